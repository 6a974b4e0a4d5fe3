package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.AccessFlow;
import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Approval;
import io.grantsmith.api.ApprovalRule;
import io.grantsmith.api.Approver;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditEvent.Outcome;
import io.grantsmith.api.AuditEvent.Reason;
import io.grantsmith.api.AuditEvent.Type;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Executor;
import io.grantsmith.api.FlowDecision;
import io.grantsmith.api.IdentityDirectory;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.SecretRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Approvals enforced at the point of grant, proven on a real server: a request the flows do not
 * approve leaves the server exactly as it was (catalogs read as the superuser, and no login), one
 * they approve works for the user, and every step leaves its audit event in order.
 */
class ApprovalsIT {

  private static final String ALICE = "alice@example.com";
  private static final String BOB = "bob@example.com";
  private static final String CAROL = "carol@example.com";

  /** Records every event, in order. */
  static final class Recorder implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(AuditEvent event) {
      events.add(event);
    }

    List<Type> types() {
      return events.stream().map(AuditEvent::type).toList();
    }
  }

  /** Counts the plans it is given, then applies them. */
  static final class CountingExecutor implements Executor {
    final Executor inner;
    final AtomicInteger applied = new AtomicInteger();

    CountingExecutor(Executor inner) {
      this.inner = inner;
    }

    @Override
    public ApplyResult apply(Plan plan) {
      applied.incrementAndGet();
      return inner.apply(plan);
    }
  }

  /** Read-only on app's tables for the support group, approved by Bob, with a justification. */
  static AccessFlows flows(Integration integration, String db) {
    return AccessFlows.builder()
        .addFlow(
            AccessFlow.builder()
                .name("app-read")
                .addRequester("support")
                .integration(integration.name())
                .addResource(db + "/app/*")
                .maxLevel(AccessLevel.READ_ONLY)
                .maxDuration(Duration.ofHours(2))
                .approval(ApprovalRule.anyOf(Approver.identity(BOB)))
                .justificationRequired(true)
                .build())
        .directory(IdentityDirectory.of(Map.of("support", Set.of(ALICE, CAROL))))
        .build();
  }

  @AzurePostgresTest
  void aRequestWithoutItsApprovalChangesNothingAndWithItAccessWorks(AzurePostgres server)
      throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    Recorder audit = new Recorder();
    CountingExecutor executor = new CountingExecutor(tc.executor());
    AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .executor(executor)
            .flows(flows(integration, db))
            .auditSink(audit)
            .build();
    AccessRequest request =
        request(
            integration,
            ALICE,
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t"));
    String id = request.requestId();
    String user = AccessManager.userName(integration.name(), ALICE);
    Instant approvedAt = Instant.now().minusSeconds(5);
    List<String> before = catalogs(server, db);

    List<Authorization> refused =
        List.of(
            // no approval at all
            Authorization.builder().requester(ALICE).justification("INC-1").build(),
            // the requester approving her own request
            Authorization.builder()
                .requester(ALICE)
                .justification("INC-1")
                .addApproval(Approval.of(ALICE, approvedAt, id))
                .build(),
            // the right approver, for another request
            Authorization.builder()
                .requester(ALICE)
                .justification("INC-1")
                .addApproval(Approval.of(BOB, approvedAt, "REQ-other"))
                .build(),
            // someone who is not an approver
            Authorization.builder()
                .requester(ALICE)
                .justification("INC-1")
                .addApproval(Approval.of(CAROL, approvedAt, id))
                .build(),
            // approved, but no justification
            Authorization.builder()
                .requester(ALICE)
                .addApproval(Approval.of(BOB, approvedAt, id))
                .build(),
            // approved, but the requester may not ask
            Authorization.builder()
                .requester("mallory@example.com")
                .justification("INC-1")
                .addApproval(Approval.of(BOB, approvedAt, id))
                .build());
    for (Authorization auth : refused) {
      assertThatThrownBy(() -> manager.grant(request, auth))
          .as(auth.toString())
          .isInstanceOf(AccessNotApprovedException.class)
          .hasMessageContaining(id);
    }
    AccessNotApprovedException needs =
        (AccessNotApprovedException) catchThrowable(() -> manager.grant(request, refused.get(0)));
    assertThat(needs.decision()).isInstanceOf(FlowDecision.NeedsApproval.class);
    assertThat(needs.decision().describe()).contains(BOB);
    // A higher level than the flow allows, even approved.
    AccessRequest write =
        AccessRequest.builder().from(request).level(AccessLevel.READ_WRITE).build();
    AccessNotApprovedException denied =
        (AccessNotApprovedException)
            catchThrowable(
                () ->
                    manager.grant(
                        write,
                        Authorization.builder()
                            .requester(ALICE)
                            .justification("INC-1")
                            .addApproval(Approval.of(BOB, approvedAt, id))
                            .build()));
    assertThat(denied.decision()).isInstanceOf(FlowDecision.Denied.class);
    assertThat(denied.decision().describe()).contains("maxLevel");
    // With flows, a grant that names no requester is refused.
    assertThatThrownBy(() -> manager.grant(request))
        .isInstanceOf(AccessNotApprovedException.class)
        .hasMessageContaining("requester");

    assertThat(executor.applied).as("plans sent for refused requests").hasValue(0);
    assertThat(catalogs(server, db)).as("catalogs after refusals").isEqualTo(before);
    assertThat(manager.lease(user)).isEmpty();
    assertThat(server).user(user, "any-password-1").cannotLogin(db);
    int refusals = refused.size() + 3;
    assertThat(audit.types()).hasSize(2 * refusals);
    for (int i = 0; i < refusals; i++) {
      AuditEvent requested = audit.events.get(2 * i);
      AuditEvent deniedEvent = audit.events.get(2 * i + 1);
      assertThat(requested.type()).isEqualTo(Type.REQUESTED);
      assertThat(requested.outcome()).isEqualTo(Outcome.PENDING);
      assertThat(deniedEvent.type()).isEqualTo(Type.DENIED);
      assertThat(deniedEvent.outcome()).isEqualTo(Outcome.REFUSED);
      assertThat(deniedEvent.requestId()).contains(id);
      assertThat(deniedEvent.approvers()).isEmpty();
      assertThat(deniedEvent.detail()).isPresent();
    }

    // Approved by Bob: access works, as the user.
    audit.events.clear();
    AccessGrant g =
        manager.grant(
            request,
            Authorization.builder()
                .requester(ALICE)
                .justification("INC-1: refund stuck")
                .addApproval(Approval.of(CAROL, approvedAt, id)) // counts for nothing
                .addApproval(Approval.of(BOB, approvedAt, id))
                .build());
    String pw = g.password().orElseThrow().reveal();
    assertThat(g.username()).isEqualTo(user);
    assertThat(server)
        .user(user, pw)
        .canLogin(db)
        .canSelectFrom(db, "app.t")
        .cannotInsertInto(db, "app.t")
        .cannotSelectFrom(db, "app.secret")
        .cannotSelectFrom(db, "other.o");
    assertThat(audit.types()).containsExactly(Type.REQUESTED, Type.APPROVED, Type.GRANTED);
    AuditEvent requested = audit.events.get(0);
    assertThat(requested.requester()).contains(ALICE);
    assertThat(requested.detail()).contains("justification: INC-1: refund stuck");
    AuditEvent approved = audit.events.get(1);
    assertThat(approved.approvers()).containsExactly(BOB);
    assertThat(approved.detail().orElseThrow()).contains("app-read");
    AuditEvent granted = audit.events.get(2);
    assertThat(granted.outcome()).isEqualTo(Outcome.SUCCESS);
    assertThat(granted.integration()).isEqualTo(integration.name());
    assertThat(granted.requestId()).contains(id);
    assertThat(granted.requester()).contains(ALICE);
    assertThat(granted.grantee()).contains(ALICE);
    assertThat(granted.user()).contains(user);
    assertThat(granted.approvers()).containsExactly(BOB);
    assertThat(granted.resources()).containsExactly(db + "/app/t");
    assertThat(granted.level()).contains(AccessLevel.READ_ONLY);
    assertThat(granted.expiresAt()).contains(g.expiresAt());

    // Extend, reset the password, revoke: one event each, and the drop at once (cleanup 0 days).
    audit.events.clear();
    manager.extend(user, Duration.ofMinutes(10)).orElseThrow();
    String fresh = manager.resetPassword(id).password().orElseThrow().reveal();
    manager.revoke(id);
    assertThat(audit.types())
        .containsExactly(Type.EXTENDED, Type.PASSWORD_RESET, Type.REVOKED, Type.CLEANED_UP);
    assertThat(audit.events).allSatisfy(e -> assertThat(e.user()).contains(user));
    assertThat(audit.events).allSatisfy(e -> assertThat(e.requestId()).contains(id));
    assertThat(audit.events.get(0).expiresAt()).contains(g.expiresAt().plusSeconds(600));
    assertThat(audit.events.get(2).reason()).contains(Reason.MANUAL);
    assertThat(server).user(user, fresh).cannotLogin(db);
    // Revoking again changes nothing and records nothing.
    manager.revoke(id);
    assertThat(audit.events).hasSize(4);
    // A failure is recorded too.
    assertThatThrownBy(() -> manager.resetPassword(id)).isInstanceOf(RuntimeException.class);
    assertThat(audit.events.get(4).type()).isEqualTo(Type.FAILED);
    assertThat(audit.events.get(4).outcome()).isEqualTo(Outcome.FAILURE);

    // No event holds a password.
    for (AuditEvent e : audit.events) {
      assertThat(e.toString()).doesNotContain(pw).doesNotContain(fresh);
    }
  }

  @AzurePostgresTest
  void auditFailuresBlockOnlyTheGrantsThatAskForIt(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    AtomicInteger attempts = new AtomicInteger();
    AuditSink broken =
        event -> {
          attempts.incrementAndGet();
          throw new AuditException("the audit store is down");
        };
    CountingExecutor executor = new CountingExecutor(tc.executor());
    AccessRequest request =
        request(
            integration,
            "dave@example.com",
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t"));
    String user = AccessManager.userName(integration.name(), "dave@example.com");

    try (AccessManager strict =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .executor(executor)
            .auditSink(broken)
            .auditFailuresBlockGrants(true)
            .build()) {
      List<String> before = catalogs(server, db);
      assertThatThrownBy(() -> strict.grant(request))
          .isInstanceOf(AuditException.class)
          .hasMessageContaining("before any change");
      assertThat(executor.applied).hasValue(0);
      assertThat(catalogs(server, db)).isEqualTo(before);
      assertThat(server).user(user, "any-password-1").cannotLogin(db);
    }

    try (AccessManager lenient =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .auditSink(broken)
            .build()) {
      String pw = lenient.grant(request).password().orElseThrow().reveal();
      assertThat(server).user(user, pw).canSelectFrom(db, "app.t");
      int seen = attempts.get();
      assertThat(lenient.revoke(user).databases()).isNotEmpty();
      assertThat(attempts.get()).as("the revoke tried to record its events").isGreaterThan(seen);
      assertThat(server).user(user, pw).cannotLogin(db);
    }
  }

  @AzurePostgresTest
  void sweepsExpiredLeasesAndRotationLeaveTheirEvents(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 0);
    Recorder audit = new Recorder();
    AccessRequest erin =
        request(
            integration,
            "erin@example.com",
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t"));
    AccessRequest frank =
        request(
            integration,
            "frank@example.com",
            AccessLevel.READ_ONLY,
            Duration.ofHours(1),
            ResourceRef.relation(db, "app", "t"));
    // Leases that ended an hour ago.
    try (AccessManager past =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .clock(offset(Duration.ofHours(-2)))
            .build()) {
      past.grant(erin);
      past.grant(frank);
    }
    AccessSecretsIT.MemoryStore store = new AccessSecretsIT.MemoryStore(tc.credentials());
    try (AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .clock(Clock.systemUTC())
            .auditSink(audit)
            .build()) {
      // Granting again to Erin revokes her expired lease first.
      AccessRequest again =
          AccessRequest.builder().from(erin).requestId(erin.requestId() + "-2").build();
      String erinUser = manager.grant(again).username();
      assertThat(audit.types()).containsExactly(Type.REQUESTED, Type.REVOKED, Type.GRANTED);
      assertThat(audit.events.get(1).reason()).contains(Reason.EXPIRED);
      assertThat(audit.events.get(1).requestId()).contains(erin.requestId());
      assertThat(audit.events.get(1).user()).contains(erinUser);

      audit.events.clear();
      SweepResult swept = manager.sweep();
      String frankUser = AccessManager.userName(integration.name(), "frank@example.com");
      assertThat(swept.revoked()).containsExactly(frankUser);
      assertThat(audit.types()).containsExactly(Type.REVOKED, Type.CLEANED_UP);
      assertThat(audit.events.get(0).reason()).contains(Reason.SWEEP);
      assertThat(audit.events)
          .allSatisfy(
              e -> {
                assertThat(e.user()).contains(frankUser);
                assertThat(e.requestId()).contains(frank.requestId());
                assertThat(e.grantee()).contains("frank@example.com");
              });

      audit.events.clear();
      Credentials rotated = manager.rotateConnectorPassword(store, SecretRef.environment("X"));
      assertThat(audit.types()).containsExactly(Type.PASSWORD_RESET);
      assertThat(audit.events.get(0).user()).contains(tc.name);
      assertThat(audit.events.get(0).toString()).doesNotContain(rotated.password().reveal());

      // A dry run records nothing.
      audit.events.clear();
      manager.withExecutor(new DryRunExecutor()).revoke(erinUser);
      assertThat(audit.events).isEmpty();
    }
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("nothing was thrown");
  }

  /**
   * The server's catalogs that a grant changes, read as the superuser: every role with its login,
   * expiry and comment, every membership, and the ACLs of every database, and of the schemas and
   * relations of {@code db}.
   */
  static List<String> catalogs(AzurePostgres server, String db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = server.superuserConnection(db);
        Statement st = c.createStatement()) {
      for (String sql :
          List.of(
              "SELECT rolname || ' ' || rolcanlogin || ' ' || coalesce(rolvaliduntil::text, '-')"
                  + " || ' ' || coalesce(shobj_description(oid, 'pg_authid'), '-')"
                  + " FROM pg_roles ORDER BY 1",
              "SELECT roleid::regrole::text || ' > ' || member::regrole::text"
                  + " FROM pg_auth_members ORDER BY 1",
              "SELECT datname || ' ' || coalesce(datacl::text, '-') FROM pg_database ORDER BY 1",
              "SELECT nspname || ' ' || coalesce(nspacl::text, '-') FROM pg_namespace ORDER BY 1",
              "SELECT oid::regclass::text || ' ' || coalesce(relacl::text, '-') FROM pg_class"
                  + " WHERE relnamespace NOT IN ('pg_catalog'::regnamespace,"
                  + " 'information_schema'::regnamespace) ORDER BY 1",
              "SELECT coalesce(defaclacl::text, '-') FROM pg_default_acl ORDER BY 1")) {
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }
}
