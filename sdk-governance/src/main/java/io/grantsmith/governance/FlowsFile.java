package io.grantsmith.governance;

import com.fasterxml.jackson.databind.JsonNode;
import io.grantsmith.api.AccessFlow;
import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.ApprovalRule;
import io.grantsmith.api.Approver;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.IdentityDirectory;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourcePattern;
import io.grantsmith.api.ResourceTags;
import io.grantsmith.api.TimeWindow;
import io.grantsmith.governance.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A flows file: access flows, and optionally the groups and resource tags they rely on, as strict
 * JSON. The format is documented in {@code FLOWS.md} of this module.
 *
 * <pre>{@code
 * FlowsFile file = FlowsFile.read(Path.of("orders-flows.json"));
 * FlowDecision decision = file.accessFlows().evaluate(request, authorization, clock.instant());
 * }</pre>
 *
 * <p>Reading is strict: unknown keys, duplicate keys, values of the wrong JSON type and bad values
 * are refused with an {@link InvalidValueException} whose {@link InvalidValueException#field()} is
 * the JSON path of the value, e.g. {@code flows[1].maxDuration}.
 */
public final class FlowsFile {
  /** The only version of the format so far. */
  public static final int VERSION = 1;

  /** The largest file read, in bytes. */
  public static final int MAX_BYTES = 1 << 20;

  private static final Set<String> ROOT_KEYS = Set.of("version", "flows", "groups", "resourceTags");
  private static final Set<String> FLOW_KEYS =
      Set.of(
          "name",
          "integration",
          "requesters",
          "resources",
          "maxLevel",
          "maxDuration",
          "approval",
          "justificationRequired",
          "window");
  private static final Set<String> FLOW_REQUIRED =
      Set.of(
          "name", "integration", "requesters", "resources", "maxLevel", "maxDuration", "approval");
  private static final Set<String> RULE_KEYS = Set.of("anyOf", "allOf");
  private static final Set<String> WINDOW_KEYS = Set.of("days", "start", "end", "zone");

  private final List<AccessFlow> flows;
  private final Map<String, Set<String>> groups;
  private final Map<String, Map<String, String>> resourceTags;

  private FlowsFile(
      List<AccessFlow> flows,
      Map<String, Set<String>> groups,
      Map<String, Map<String, String>> resourceTags) {
    this.flows = List.copyOf(flows);
    this.groups = groups;
    this.resourceTags = resourceTags;
  }

  /**
   * Reads and checks a flows file (UTF-8, at most {@link #MAX_BYTES}).
   *
   * @param path the file
   * @return its content
   * @throws InvalidValueException naming the JSON path of the first bad value
   * @throws GrantsmithException if the file cannot be read
   */
  public static FlowsFile read(Path path) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new GrantsmithException("cannot read flows file " + path + ": " + e, e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new GrantsmithException(
          "flows file " + path + " is larger than " + MAX_BYTES + " bytes");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new GrantsmithException("flows file " + path + " is not UTF-8");
    }
    return parse(text);
  }

  /**
   * Parses and checks the JSON text of a flows file.
   *
   * @param json the text
   * @return its content
   * @throws InvalidValueException naming the JSON path of the first bad value
   */
  public static FlowsFile parse(String json) {
    JsonNode root = StrictJson.parse(json, "flows file");
    Map<String, JsonNode> top = StrictJson.object(root, "", ROOT_KEYS, Set.of("flows"));
    if (top.containsKey("version")) {
      int version = StrictJson.integer(top.get("version"), "version");
      InvalidValueException.check(
          version == VERSION, "version", "must be " + VERSION + " (or left out)", version);
    }
    Map<String, Set<String>> groups =
        top.containsKey("groups") ? groups(top.get("groups")) : Map.of();
    Map<String, Map<String, String>> tags =
        top.containsKey("resourceTags") ? tags(top.get("resourceTags")) : Map.of();
    List<AccessFlow> flows = StrictJson.array(top.get("flows"), "flows", FlowsFile::flow);
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < flows.size(); i++) {
      String name = flows.get(i).name();
      InvalidValueException.check(
          names.add(name), "flows[" + i + "].name", "must be unique in the file", name);
    }
    return new FlowsFile(flows, groups, tags);
  }

  /**
   * The flows, in file order.
   *
   * @return the flows
   */
  public List<AccessFlow> flows() {
    return flows;
  }

  /**
   * The groups of {@code "groups"}: each group's member identities.
   *
   * @return the groups, empty when the file has none
   */
  public Map<String, Set<String>> groups() {
    return groups;
  }

  /**
   * The tags of {@code "resourceTags"}, keyed by {@link ResourcePattern}.
   *
   * @return the tags, empty when the file has none
   */
  public Map<String, Map<String, String>> resourceTags() {
    return resourceTags;
  }

  /**
   * The flows with the file's groups ({@link IdentityDirectory#of}) and resource tags ({@link
   * ResourceTags#of}).
   *
   * @return the flows, ready to evaluate
   */
  public AccessFlows accessFlows() {
    return accessFlows(IdentityDirectory.of(groups), ResourceTags.of(resourceTags));
  }

  /**
   * The flows with an integrator's own directory and tags instead of the file's.
   *
   * @param directory resolves groups
   * @param tags finds resource owners
   * @return the flows, ready to evaluate
   */
  public AccessFlows accessFlows(IdentityDirectory directory, ResourceTags tags) {
    return AccessFlows.builder().addAllFlows(flows).directory(directory).resourceTags(tags).build();
  }

  private static Map<String, Set<String>> groups(JsonNode node) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    StrictJson.map(node, "groups")
        .forEach(
            (group, members) -> {
              String path = StrictJson.child("groups", group);
              InvalidValueException.check(!group.isBlank(), path, "must not be blank", group);
              out.put(
                  group, new LinkedHashSet<>(StrictJson.array(members, path, FlowsFile::nonBlank)));
            });
    Map<String, Set<String>> frozen = new LinkedHashMap<>();
    out.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    return java.util.Collections.unmodifiableMap(frozen);
  }

  private static Map<String, Map<String, String>> tags(JsonNode node) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    StrictJson.map(node, "resourceTags")
        .forEach(
            (pattern, tags) -> {
              String path = StrictJson.child("resourceTags", pattern);
              ResourcePattern.parse(path, pattern);
              Map<String, String> values = new LinkedHashMap<>();
              StrictJson.map(tags, path)
                  .forEach((k, v) -> values.put(k, nonBlank(v, StrictJson.child(path, k))));
              out.put(pattern, java.util.Collections.unmodifiableMap(values));
            });
    return java.util.Collections.unmodifiableMap(out);
  }

  private static AccessFlow flow(JsonNode node, String path) {
    Map<String, JsonNode> f = StrictJson.object(node, path, FLOW_KEYS, FLOW_REQUIRED);
    AccessFlow.Builder b = AccessFlow.builder();
    b.name(StrictJson.text(f.get("name"), path + ".name"));
    b.integration(StrictJson.text(f.get("integration"), path + ".integration"));
    b.addAllRequesters(
        nonEmpty(
            StrictJson.array(f.get("requesters"), path + ".requesters", FlowsFile::nonBlank),
            path + ".requesters"));
    List<String> resources =
        nonEmpty(
            StrictJson.array(f.get("resources"), path + ".resources", FlowsFile::pattern),
            path + ".resources");
    b.addAllResources(resources);
    String level = StrictJson.text(f.get("maxLevel"), path + ".maxLevel");
    b.maxLevel(
        StrictJson.convert(
            level,
            path + ".maxLevel",
            "must be one of read-only, read-write, admin",
            AccessLevel::parse));
    String duration = StrictJson.text(f.get("maxDuration"), path + ".maxDuration");
    b.maxDuration(
        StrictJson.convert(
            duration,
            path + ".maxDuration",
            "must be an ISO-8601 duration of at least one minute, such as PT4H or P1D",
            FlowsFile::duration));
    b.approval(rule(f.get("approval"), path + ".approval"));
    if (present(f, "justificationRequired")) {
      b.justificationRequired(
          StrictJson.bool(f.get("justificationRequired"), path + ".justificationRequired"));
    }
    if (present(f, "window")) {
      b.window(window(f.get("window"), path + ".window"));
    }
    try {
      return b.build();
    } catch (InvalidValueException e) {
      // A rule that only the whole flow can check: name the flow's key.
      String field = e.field().replaceFirst("^AccessFlow\\.", path + ".");
      String shown = e.getMessage().substring(e.getMessage().lastIndexOf(", but was ") + 10);
      throw new InvalidValueException(field, e.rule(), new Rendered(shown));
    }
  }

  /** A value already rendered by {@link InvalidValueException#describe}. */
  private record Rendered(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private static boolean present(Map<String, JsonNode> members, String key) {
    return members.containsKey(key) && !members.get(key).isNull();
  }

  private static ApprovalRule rule(JsonNode node, String path) {
    if (node != null && node.isTextual()) {
      String text = node.textValue();
      InvalidValueException.check(
          text.equals("automatic"),
          path,
          "must be \"automatic\" or an object with anyOf or allOf",
          text);
      return ApprovalRule.automatic();
    }
    Map<String, JsonNode> r = StrictJson.object(node, path, RULE_KEYS, Set.of());
    InvalidValueException.check(
        r.size() == 1,
        path,
        "must have exactly one of anyOf, allOf",
        new java.util.TreeSet<>(r.keySet()));
    String mode = r.keySet().iterator().next();
    String p = path + "." + mode;
    List<Approver> approvers = nonEmpty(StrictJson.array(r.get(mode), p, FlowsFile::approver), p);
    InvalidValueException.check(
        new LinkedHashSet<>(approvers).size() == approvers.size(),
        p,
        "must not repeat an approver",
        approvers.toString());
    return mode.equals("anyOf") ? ApprovalRule.anyOf(approvers) : ApprovalRule.allOf(approvers);
  }

  private static Approver approver(JsonNode node, String path) {
    String text = StrictJson.text(node, path);
    String rule = "must be resource-owners, integration-owners, identity:NAME or group:NAME";
    if (text.equals("resource-owners")) {
      return Approver.resourceOwners();
    }
    if (text.equals("integration-owners")) {
      return Approver.integrationOwners();
    }
    if (text.startsWith("identity:")) {
      return StrictJson.convert(text.substring(9), path, rule, Approver::identity);
    }
    if (text.startsWith("group:")) {
      return StrictJson.convert(text.substring(6), path, rule, Approver::group);
    }
    throw new InvalidValueException(path, rule, text);
  }

  private static TimeWindow window(JsonNode node, String path) {
    Map<String, JsonNode> w = StrictJson.object(node, path, WINDOW_KEYS, WINDOW_KEYS);
    List<DayOfWeek> days =
        nonEmpty(StrictJson.array(w.get("days"), path + ".days", FlowsFile::day), path + ".days");
    LocalTime start = time(w.get("start"), path + ".start");
    LocalTime end = time(w.get("end"), path + ".end");
    InvalidValueException.check(
        !start.equals(end), path + ".end", "must differ from start", end.toString());
    String zone = StrictJson.text(w.get("zone"), path + ".zone");
    ZoneId zoneId =
        StrictJson.convert(
            zone, path + ".zone", "must be a time zone such as Europe/Berlin or UTC", ZoneId::of);
    return TimeWindow.builder().addAllDays(days).start(start).end(end).zone(zoneId).build();
  }

  private static DayOfWeek day(JsonNode node, String path) {
    String text = StrictJson.text(node, path);
    String t = text.toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(t) || d.name().substring(0, 3).equals(t)) {
        return d;
      }
    }
    throw new InvalidValueException(path, "must be a day of the week such as monday or mon", text);
  }

  private static LocalTime time(JsonNode node, String path) {
    String text = StrictJson.text(node, path);
    return StrictJson.convert(
        text,
        path,
        "must be a time of day HH:MM such as 08:00",
        t -> {
          InvalidValueException.check(t.matches("\\d\\d:\\d\\d"), path, "HH:MM", t);
          return LocalTime.parse(t);
        });
  }

  private static Duration duration(String text) {
    Duration d = Duration.parse(text);
    if (d.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException("too short");
    }
    return d;
  }

  private static String pattern(JsonNode node, String path) {
    return ResourcePattern.parse(path, StrictJson.text(node, path)).toString();
  }

  private static String nonBlank(JsonNode node, String path) {
    String text = StrictJson.text(node, path);
    InvalidValueException.check(!text.isBlank(), path, "must not be blank", text);
    return text;
  }

  private static <T> List<T> nonEmpty(List<T> list, String path) {
    InvalidValueException.check(!list.isEmpty(), path, "must not be empty", list);
    return list;
  }
}
