package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@link AccessFlows#evaluate} over small random worlds: a few identities and groups, flows over a
 * few resources, resource tags, requests and approvals drawn from the same pools so that flows
 * match, approvals count and rules are met often enough to matter.
 */
class AccessFlowsProperties {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final String REQUEST_ID = "REQ-1";
  static final String INTEGRATION = "orders-prod";
  static final List<String> IDENTITIES = List.of("u0", "u1", "u2", "u3", "u4");
  static final List<String> GROUPS = List.of("g0", "g1");
  static final List<String> PATTERNS =
      List.of(
          "orders",
          "orders/*",
          "orders/sales",
          "orders/sales/*",
          "orders/sales/items",
          "billing/*",
          "role:auditors",
          "server",
          "*");
  static final List<ResourceRef> RESOURCES =
      List.of(
          ResourceRef.database("orders"),
          ResourceRef.schema("orders", "sales"),
          ResourceRef.schema("orders", "ops"),
          ResourceRef.relation("orders", "sales", "items"),
          ResourceRef.relation("orders", "sales", "invoices"),
          ResourceRef.schema("billing", "main"),
          ResourceRef.relation("billing", "main", "ledger"),
          ResourceRef.role("auditors"),
          ResourceRef.server());

  /** Everything one evaluation sees. */
  record World(
      Integration integration,
      Map<String, Set<String>> groups,
      Map<String, Map<String, String>> tags,
      List<AccessFlow> flows,
      AccessRequest request,
      Authorization authorization) {

    AccessFlows accessFlows() {
      return AccessFlows.builder()
          .addAllFlows(flows)
          .directory(IdentityDirectory.of(groups))
          .resourceTags(ResourceTags.of(tags))
          .build();
    }

    FlowDecision decide() {
      return accessFlows().evaluate(request, authorization, NOW);
    }

    World with(AccessRequest r) {
      return new World(integration, groups, tags, flows, r, authorization);
    }

    World with(Authorization a) {
      return new World(integration, groups, tags, flows, request, a);
    }

    World withFlows(List<AccessFlow> f) {
      return new World(integration, groups, tags, f, request, authorization);
    }

    AccessFlow flow(String name) {
      return flows.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
    }

    boolean qualifies(AccessFlow flow, String identity) {
      return flow.requesters().stream()
          .anyMatch(
              e ->
                  e.equals("*")
                      || e.equals(identity)
                      || groups.getOrDefault(e, Set.of()).contains(identity));
    }
  }

  // ---- the properties --------------------------------------------------------------------------

  @Property
  void aRequestForAResourceOutsideEveryFlowIsNeverApproved(
      @ForAll("worldsWithoutEverything") World world) {
    AccessRequest outside =
        AccessRequest.builder()
            .from(world.request())
            .addResource(ResourceRef.relation("archive", "old", "orders"))
            .build();

    FlowDecision decision = world.with(outside).decide();

    assertThat(decision).isInstanceOf(FlowDecision.Denied.class);
    Statistics.label("flows").collect(world.flows().size());
  }

  @Property
  void aRequesterOutsideEveryFlowIsNeverApproved(@ForAll("worlds") World world) {
    List<AccessFlow> flows = new ArrayList<>();
    for (AccessFlow f : world.flows()) {
      Set<String> requesters = new LinkedHashSet<>(f.requesters());
      requesters.remove("*");
      if (requesters.isEmpty()) {
        requesters.add("u0");
      }
      flows.add(AccessFlow.builder().from(f).requesters(requesters).build());
    }
    Authorization outsider =
        Authorization.builder().from(world.authorization()).requester("outsider").build();

    FlowDecision decision = world.withFlows(flows).with(outsider).decide();

    assertThat(decision).isInstanceOf(FlowDecision.Denied.class);
    assertThat(((FlowDecision.Denied) decision).reasons())
        .allSatisfy(r -> assertThat(r.field()).isEqualTo("requesters"));
  }

  @Property
  void aRequestOnAnIntegrationWithoutFlowsIsDenied(@ForAll("worlds") World world) {
    List<AccessFlow> elsewhere =
        world.flows().stream()
            .map(f -> AccessFlow.builder().from(f).integration("other-prod").build())
            .collect(Collectors.toList());

    FlowDecision decision = world.withFlows(elsewhere).decide();

    assertThat(decision).isInstanceOf(FlowDecision.Denied.class);
    assertThat(((FlowDecision.Denied) decision).reasons())
        .singleElement()
        .satisfies(r -> assertThat(r.field()).isEqualTo("integration"));
  }

  @Property
  void aLongerDurationThanEveryFlowAllowsIsNeverApproved(
      @ForAll("worlds") World world, @ForAll("minutes") int extraMinutes) {
    Duration longest =
        world.flows().stream().map(AccessFlow::maxDuration).max(Duration::compareTo).orElseThrow();
    AccessRequest longer =
        AccessRequest.builder()
            .from(world.request())
            .duration(longest.plusMinutes(extraMinutes))
            .build();

    FlowDecision decision = world.with(longer).decide();

    assertThat(decision.isApproved()).isFalse();
    assertThat(decision).isInstanceOf(FlowDecision.Denied.class);
  }

  @Property
  void aHigherLevelThanEveryFlowAllowsIsNeverApproved(@ForAll("worlds") World world) {
    List<AccessFlow> capped =
        world.flows().stream()
            .map(
                f ->
                    AccessFlow.builder()
                        .from(f)
                        .maxLevel(
                            f.maxLevel() == AccessLevel.ADMIN
                                ? AccessLevel.READ_WRITE
                                : f.maxLevel())
                        .build())
            .collect(Collectors.toList());
    AccessRequest admin =
        AccessRequest.builder().from(world.request()).level(AccessLevel.ADMIN).build();

    FlowDecision decision = world.withFlows(capped).with(admin).decide();

    assertThat(decision).isInstanceOf(FlowDecision.Denied.class);
  }

  @Property
  void whatIsApprovedKeepsWithinTheApprovingFlow(@ForAll("worlds") World world) {
    FlowDecision decision = world.decide();

    Statistics.label("decision")
        .collect(decision.getClass().getSimpleName())
        .coverage(
            c -> {
              c.check("Approved").percentage(p -> p >= 5);
              c.check("NeedsApproval").percentage(p -> p >= 5);
              c.check("Denied").percentage(p -> p >= 5);
            });
    if (decision instanceof FlowDecision.Approved approved) {
      AccessFlow flow = world.flow(approved.flow());
      AccessRequest r = world.request();
      assertThat(flow.integration()).isEqualTo(r.integration().name());
      assertThat(r.level()).isLessThanOrEqualTo(flow.maxLevel());
      assertThat(r.duration()).isLessThanOrEqualTo(flow.maxDuration());
      assertThat(world.qualifies(flow, world.authorization().requester())).isTrue();
      assertThat(world.qualifies(flow, r.grantee())).isTrue();
      if (flow.justificationRequired()) {
        assertThat(
                world
                    .authorization()
                    .justification()
                    .or(r::justification)
                    .filter(j -> !j.isBlank()))
            .isPresent();
      }
      if (flow.approval().isAutomatic()) {
        assertThat(approved.approvals()).isEmpty();
      } else {
        assertThat(approved.approvals()).isNotEmpty();
      }
    }
  }

  @Property
  void theRequesterAndTheGranteeAreNeverCountedAsApprovers(@ForAll("worlds") World world) {
    Authorization a = world.authorization();
    Authorization withSelfApprovals =
        Authorization.builder()
            .from(a)
            .addApproval(Approval.of(a.requester(), NOW.minusSeconds(60), REQUEST_ID))
            .addApproval(Approval.of(world.request().grantee(), NOW.minusSeconds(30), REQUEST_ID))
            .build();

    FlowDecision with = world.with(withSelfApprovals).decide();

    assertThat(with).isEqualTo(world.decide());
    if (with instanceof FlowDecision.Approved approved) {
      assertThat(approved.approvals())
          .extracting(Approval::approver)
          .doesNotContain(a.requester(), world.request().grantee());
    }
  }

  @Property
  void approvalsForAnotherRequestOrByNonApproversOrFromTheFutureCountForNothing(
      @ForAll("worlds") World world, @ForAll("identities") String someone) {
    Authorization a = world.authorization();
    Authorization withNoise =
        Authorization.builder()
            .from(a)
            .addApproval(Approval.of(someone, NOW.minusSeconds(60), "REQ-OTHER"))
            .addApproval(Approval.of("stranger", NOW.minusSeconds(60), REQUEST_ID))
            .addApproval(Approval.of(someone, NOW.plusSeconds(60), REQUEST_ID))
            .build();

    assertThat(world.with(withNoise).decide()).isEqualTo(world.decide());
  }

  @Property
  void allOfNeedsEveryApproverAndAnyOfNeedsOne(
      @ForAll("approverSets") Set<String> required,
      @ForAll("approverSets") Set<String> approving,
      @ForAll boolean allOf) {
    List<Approver> approvers =
        required.stream().map(Approver::identity).collect(Collectors.toList());
    AccessFlow flow =
        AccessFlow.builder()
            .name("four-eyes")
            .addRequester("*")
            .integration(INTEGRATION)
            .addResource("*")
            .maxLevel(AccessLevel.ADMIN)
            .maxDuration(Duration.ofHours(8))
            .approval(allOf ? ApprovalRule.allOf(approvers) : ApprovalRule.anyOf(approvers))
            .build();
    Authorization auth =
        Authorization.builder()
            .requester("requester")
            .addAllApprovals(
                approving.stream()
                    .map(id -> Approval.of(id, NOW.minusSeconds(5), REQUEST_ID))
                    .collect(Collectors.toList()))
            .build();
    AccessRequest request =
        AccessRequest.builder()
            .requestId(REQUEST_ID)
            .grantee("requester")
            .integration(integration(List.of("u0"), false))
            .addResource(ResourceRef.schema("orders", "sales"))
            .duration(Duration.ofHours(1))
            .build();

    FlowDecision decision =
        AccessFlows.builder().addFlow(flow).build().evaluate(request, auth, NOW);

    boolean expected =
        allOf ? approving.containsAll(required) : approving.stream().anyMatch(required::contains);
    assertThat(decision.isApproved()).as(decision.describe()).isEqualTo(expected);
    if (!expected) {
      FlowDecision.Pending pending = ((FlowDecision.NeedsApproval) decision).pending().get(0);
      Set<String> missing =
          pending.missing().stream().map(m -> m.name().get()).collect(Collectors.toSet());
      Set<String> expectedMissing = new LinkedHashSet<>(required);
      expectedMissing.removeAll(approving);
      assertThat(missing).isEqualTo(expectedMissing);
    }
    Statistics.label("approved").collect(expected);
  }

  @Property
  void aValidApprovalNeverTakesAnApprovalAway(
      @ForAll("worlds") World world, @ForAll("identities") String approver) {
    Authorization more =
        Authorization.builder()
            .from(world.authorization())
            .addApproval(Approval.of(approver, NOW.minusSeconds(1), REQUEST_ID))
            .build();

    if (world.decide().isApproved()) {
      assertThat(world.with(more).decide().isApproved()).isTrue();
    }
  }

  // ---- generators ------------------------------------------------------------------------------

  @Provide
  Arbitrary<Integer> minutes() {
    return Arbitraries.integers().between(1, 24 * 60);
  }

  @Provide
  Arbitrary<String> identities() {
    return Arbitraries.of(IDENTITIES);
  }

  @Provide
  Arbitrary<Set<String>> approverSets() {
    return Arbitraries.of(IDENTITIES).set().ofMinSize(1).ofMaxSize(4);
  }

  @Provide
  Arbitrary<World> worlds() {
    return worlds(true);
  }

  @Provide
  Arbitrary<World> worldsWithoutEverything() {
    return worlds(false);
  }

  static Integration integration(List<String> owners, boolean resourceOwners) {
    Integration.Builder b =
        Integration.builder()
            .name(INTEGRATION)
            .hostname("orders-prod.postgres.database.azure.com")
            .maxAccessDuration(Duration.ofHours(48))
            .addIntegrationOwner(IntegrationOwner.of("okta user", owners.toArray(new String[0])));
    if (resourceOwners) {
      b.addResourceOwner(ResourceOwner.of("owner", "okta user"));
    }
    return b.build();
  }

  private static Arbitrary<String> names() {
    List<String> all = new ArrayList<>(IDENTITIES);
    all.addAll(GROUPS);
    return Arbitraries.of(all);
  }

  private static Arbitrary<Approver> approvers() {
    return Arbitraries.oneOf(
        Arbitraries.of(IDENTITIES).map(Approver::identity),
        Arbitraries.of(GROUPS).map(Approver::group),
        Arbitraries.just(Approver.resourceOwners()),
        Arbitraries.just(Approver.integrationOwners()));
  }

  private static Arbitrary<ApprovalRule> rules() {
    Arbitrary<List<Approver>> some = approvers().list().uniqueElements().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(ApprovalRule.automatic())),
        net.jqwik.api.Tuple.of(3, some.map(ApprovalRule::anyOf)),
        net.jqwik.api.Tuple.of(3, some.map(ApprovalRule::allOf)));
  }

  private static Arbitrary<AccessFlow> flows(int index, boolean everything) {
    Arbitrary<Set<String>> requesters =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, names()),
                net.jqwik.api.Tuple.of(2, Arbitraries.just("*")))
            .set()
            .ofMinSize(1)
            .ofMaxSize(3);
    List<String> patterns =
        everything ? PATTERNS : PATTERNS.stream().filter(p -> !p.equals("*")).toList();
    Arbitrary<String> broad =
        Arbitraries.of(everything ? List.of("*", "orders/*") : List.of("orders/*"));
    Arbitrary<Set<String>> resources =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, broad),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(patterns)))
            .set()
            .ofMinSize(1)
            .ofMaxSize(3);
    return Combinators.combine(
            requesters,
            resources,
            Arbitraries.of(AccessLevel.class),
            Arbitraries.integers().between(1, 8),
            rules(),
            Arbitraries.of(true, false, false))
        .as(
            (req, res, level, hours, rule, justification) ->
                AccessFlow.builder()
                    .name("f" + index)
                    .addAllRequesters(req)
                    .integration(INTEGRATION)
                    .addAllResources(res)
                    .maxLevel(level)
                    .maxDuration(Duration.ofHours(hours))
                    .approval(rule)
                    .justificationRequired(justification)
                    .build());
  }

  private static Arbitrary<World> worlds(boolean everything) {
    Arbitrary<Map<String, Set<String>>> groups =
        Arbitraries.of(IDENTITIES)
            .set()
            .ofMaxSize(3)
            .list()
            .ofSize(GROUPS.size())
            .map(
                sets -> {
                  Map<String, Set<String>> m = new HashMap<>();
                  for (int i = 0; i < GROUPS.size(); i++) {
                    m.put(GROUPS.get(i), sets.get(i));
                  }
                  return m;
                });
    Arbitrary<Map<String, Map<String, String>>> tags =
        Arbitraries.maps(
                Arbitraries.of(PATTERNS),
                Arbitraries.oneOf(
                        names(), Combinators.combine(names(), names()).as((a, b) -> a + ", " + b))
                    .map(owner -> Map.of("owner", owner)))
            .ofMaxSize(3);
    Arbitrary<Integration> integrations =
        Combinators.combine(names().set().ofMinSize(1).ofMaxSize(2), Arbitraries.of(true, false))
            .as((owners, tagged) -> integration(List.copyOf(owners), tagged));
    Arbitrary<List<AccessFlow>> flowLists =
        Arbitraries.integers()
            .between(1, 3)
            .flatMap(
                n -> {
                  List<Arbitrary<AccessFlow>> each = new ArrayList<>();
                  for (int i = 0; i < n; i++) {
                    each.add(flows(i, everything));
                  }
                  return Combinators.combine(each).as(List::copyOf);
                });
    Arbitrary<List<Approval>> approvals =
        Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(IDENTITIES), Arbitraries.just("stranger")),
                Arbitraries.of(REQUEST_ID, REQUEST_ID, "REQ-2"),
                Arbitraries.integers().between(-600, 60))
            .as((who, id, offset) -> Approval.of(who, NOW.plusSeconds(offset), id))
            .list()
            .ofMaxSize(4);
    Arbitrary<Authorization> authorizations =
        Combinators.combine(
                Arbitraries.of(IDENTITIES),
                approvals,
                Arbitraries.of("", "INC-311: refunds stuck").injectNull(0.4))
            .as(
                (who, given, why) -> {
                  Authorization.Builder b =
                      Authorization.builder().requester(who).addAllApprovals(given);
                  if (why != null) {
                    b.justification(why);
                  }
                  return b.build();
                });
    return Combinators.combine(integrations, groups, tags, flowLists, authorizations)
        .flatAs(
            (integration, g, t, f, auth) ->
                requests(integration, auth.requester())
                    .map(r -> new World(integration, g, t, f, r, auth)));
  }

  private static Arbitrary<AccessRequest> requests(Integration integration, String requester) {
    return Combinators.combine(
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(requester)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(IDENTITIES))),
            Arbitraries.of(RESOURCES).set().ofMinSize(1).ofMaxSize(2),
            Arbitraries.of(
                AccessLevel.READ_ONLY,
                AccessLevel.READ_ONLY,
                AccessLevel.READ_WRITE,
                AccessLevel.ADMIN),
            Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 10 * 60))),
            Arbitraries.of("needed for INC-311").injectNull(0.5))
        .as(
            (grantee, resources, level, minutes, why) -> {
              AccessRequest.Builder b =
                  AccessRequest.builder()
                      .requestId(REQUEST_ID)
                      .grantee(grantee)
                      .integration(integration)
                      .addAllResources(resources)
                      .level(level)
                      .duration(Duration.ofMinutes(minutes));
              if (why != null) {
                b.justification(why);
              }
              return b.build();
            });
  }
}
