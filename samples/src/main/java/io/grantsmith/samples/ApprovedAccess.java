package io.grantsmith.samples;

import io.grantsmith.api.AccessFlow;
import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Approval;
import io.grantsmith.api.ApprovalRule;
import io.grantsmith.api.Approver;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.IdentityDirectory;
import io.grantsmith.api.Integration;
import io.grantsmith.api.IntegrationOwner;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.governance.JsonLinesAuditSink;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Access that needs an approval: the support team may read the sales schema for up to four hours
 * once an integration owner approved; the request is refused until then, and every step goes to an
 * audit file (JSON Lines).
 */
public final class ApprovedAccess {
  private ApprovedAccess() {}

  /**
   * The flows of the sample: {@code support} (Alice) may read {@code shop/sales/*}, approved by any
   * integration owner (the {@code dba} group: Bob).
   *
   * @param integration the integration the flow is for
   * @return the flows
   */
  public static AccessFlows flows(Integration integration) {
    return AccessFlows.builder()
        .addFlow(
            AccessFlow.builder()
                .name("sales-read")
                .addRequester("support")
                .integration(integration.name())
                .addResource("shop/sales/*")
                .maxLevel(AccessLevel.READ_ONLY)
                .maxDuration(Duration.ofHours(4))
                .approval(ApprovalRule.anyOf(Approver.integrationOwners()))
                .justificationRequired(true)
                .build())
        .directory(
            IdentityDirectory.of(
                Map.of(
                    "support", Set.of("alice@example.com"),
                    "dba", Set.of("bob@example.com"))))
        .build();
  }

  /**
   * Asks for Alice's access without an approval (refused, nothing changes), then with Bob's.
   *
   * @param base the server (its owners are set here: the {@code dba} group)
   * @param connector the connector's credentials
   * @param auditLog the audit file, appended to
   * @return the grant
   */
  public static AccessGrant grant(Integration base, Credentials connector, Path auditLog) {
    Integration integration =
        Integration.builder()
            .from(base)
            .addIntegrationOwner(IntegrationOwner.of("entra group", "dba"))
            .build();
    AccessRequest request =
        AccessRequest.builder()
            .requestId("REQ-2001")
            .grantee("alice@example.com")
            .integration(integration)
            .addResource(ResourceRef.relation("shop", "sales", "orders"))
            .level(AccessLevel.READ_ONLY)
            .duration(Duration.ofHours(2))
            .justification("INC-7: refunds stuck")
            .build();
    try (AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(connector)
            .flows(flows(integration))
            .auditSink(new JsonLinesAuditSink(auditLog))
            .build()) {
      try {
        manager.grant(request, Authorization.of("alice@example.com"));
        throw new IllegalStateException("granted without approval");
      } catch (AccessNotApprovedException e) {
        System.out.println("Refused: " + e.decision().describe());
      }
      Authorization approved =
          Authorization.builder()
              .requester("alice@example.com")
              .addApproval(Approval.of("bob@example.com", Instant.now(), request.requestId()))
              .build();
      return manager.grant(request, approved);
    }
  }

  /**
   * Runs against an embedded server, the audit trail in {@code audit.jsonl} (or the file named).
   *
   * @param args optional: the audit file
   */
  public static void main(String[] args) {
    Path auditLog = Path.of(args.length > 0 ? args[0] : "audit.jsonl");
    SampleServer.run(
        (integration, connector) -> {
          AccessGrant g = grant(integration, connector, auditLog);
          System.out.println("Granted " + g.username() + " until " + g.expiresAt());
          System.out.println("Audit trail: " + auditLog.toAbsolutePath());
        });
  }
}
