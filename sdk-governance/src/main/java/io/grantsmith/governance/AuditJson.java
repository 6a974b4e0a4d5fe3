package io.grantsmith.governance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.governance.internal.StrictJson;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The JSON of an {@link AuditEvent}, schema version 1: one compact object with every key present in
 * a fixed order ({@code null} or {@code []} when a value is absent). The schema is documented in
 * {@code AUDIT-SCHEMA.md} of this module and in the README.
 *
 * <pre>{@code
 * {"schemaVersion":1,"id":"6f1c...","type":"GRANTED","reason":null,
 *  "time":"2026-03-02T09:00:00Z","integration":"orders-prod","requestId":"REQ-1042",
 *  "requester":"alice@example.com","grantee":"alice@example.com","user":"jit_alice_3f2a",
 *  "approvers":["bob@example.com"],"resources":["orders/sales"],"level":"read-only",
 *  "expiresAt":"2026-03-02T11:00:00Z","outcome":"SUCCESS","detail":null}
 * }</pre>
 */
public final class AuditJson {
  /** The keys, in the order they are written. */
  public static final List<String> KEYS =
      List.of(
          "schemaVersion",
          "id",
          "type",
          "reason",
          "time",
          "integration",
          "requestId",
          "requester",
          "grantee",
          "user",
          "approvers",
          "resources",
          "level",
          "expiresAt",
          "outcome",
          "detail");

  private static final Set<String> REQUIRED =
      Set.of("schemaVersion", "id", "type", "time", "integration", "outcome");

  private AuditJson() {}

  /**
   * Writes an event as one line of JSON (no line break inside, none at the end).
   *
   * @param event the event
   * @return the JSON text
   */
  public static String write(AuditEvent event) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode o = f.objectNode();
    o.put("schemaVersion", event.schemaVersion());
    o.put("id", event.id().toString());
    o.put("type", event.type().name());
    o.put("reason", event.reason().map(Enum::name).orElse(null));
    o.put("time", event.time().toString());
    o.put("integration", event.integration());
    o.put("requestId", event.requestId().orElse(null));
    o.put("requester", event.requester().orElse(null));
    o.put("grantee", event.grantee().orElse(null));
    o.put("user", event.user().orElse(null));
    ArrayNode approvers = o.putArray("approvers");
    event.approvers().forEach(approvers::add);
    ArrayNode resources = o.putArray("resources");
    event.resources().forEach(resources::add);
    o.put("level", event.level().map(AccessLevel::label).orElse(null));
    o.put("expiresAt", event.expiresAt().map(Instant::toString).orElse(null));
    o.put("outcome", event.outcome().name());
    o.put("detail", event.detail().orElse(null));
    try {
      return StrictJson.MAPPER.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads an event written by {@link #write}.
   *
   * @param json the JSON text
   * @return the event
   * @throws InvalidValueException naming the key of the first bad value, or if the schema version
   *     is not 1
   */
  public static AuditEvent read(String json) {
    Map<String, JsonNode> m =
        StrictJson.object(StrictJson.parse(json, "audit event"), "", Set.copyOf(KEYS), REQUIRED);
    int version = StrictJson.integer(m.get("schemaVersion"), "schemaVersion");
    InvalidValueException.check(
        version == AuditEvent.SCHEMA_VERSION,
        "schemaVersion",
        "must be " + AuditEvent.SCHEMA_VERSION,
        version);
    AuditEvent.Builder b =
        AuditEvent.builder()
            .schemaVersion(version)
            .id(convert(m, "id", "must be a UUID", UUID::fromString))
            .type(convert(m, "type", "must be an event type", AuditEvent.Type::valueOf))
            .time(convert(m, "time", "must be an ISO-8601 instant", Instant::parse))
            .integration(StrictJson.text(m.get("integration"), "integration"))
            .outcome(convert(m, "outcome", "must be an outcome", AuditEvent.Outcome::valueOf));
    optional(m, "reason", "must be a revocation reason", AuditEvent.Reason::valueOf)
        .ifPresent(b::reason);
    optional(m, "requestId", "", s -> s).ifPresent(b::requestId);
    optional(m, "requester", "", s -> s).ifPresent(b::requester);
    optional(m, "grantee", "", s -> s).ifPresent(b::grantee);
    optional(m, "user", "", s -> s).ifPresent(b::user);
    optional(m, "level", "must be read-only, read-write or admin", AccessLevel::parse)
        .ifPresent(b::level);
    optional(m, "expiresAt", "must be an ISO-8601 instant", Instant::parse).ifPresent(b::expiresAt);
    optional(m, "detail", "", s -> s).ifPresent(b::detail);
    if (m.containsKey("approvers") && !m.get("approvers").isNull()) {
      b.addAllApprovers(StrictJson.array(m.get("approvers"), "approvers", StrictJson::text));
    }
    if (m.containsKey("resources") && !m.get("resources").isNull()) {
      b.addAllResources(StrictJson.array(m.get("resources"), "resources", StrictJson::text));
    }
    return b.build();
  }

  private static <T> T convert(
      Map<String, JsonNode> m, String key, String rule, java.util.function.Function<String, T> f) {
    return StrictJson.convert(StrictJson.text(m.get(key), key), key, rule, f);
  }

  private static <T> Optional<T> optional(
      Map<String, JsonNode> m, String key, String rule, java.util.function.Function<String, T> f) {
    JsonNode n = m.get(key);
    if (n == null || n.isNull()) {
      return Optional.empty();
    }
    return Optional.of(convert(m, key, rule, f));
  }
}
