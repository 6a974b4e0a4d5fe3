package com.example.orders;

import io.grantsmith.api.AccessFlow;
import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Approval;
import io.grantsmith.api.ApprovalRule;
import io.grantsmith.api.Approver;
import io.grantsmith.api.AuditSink;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.IdentityDirectory;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** The README's access flow: a grant only with the approval the flow asks for, audited. */
public final class ApprovedGrant {

  private ApprovedGrant() {}

  /**
   * Grants Alice read-only access to the sales schema once Bob approved it.
   *
   * @param auditSink where the audit events go, e.g. a JsonLinesAuditSink of sdk-governance
   * @param approvedAt when Bob approved
   * @return the grant
   */
  public static AccessGrant grant(AuditSink auditSink, Instant approvedAt) {
    // tag::flows[]
    Integration prod =
        Integration.builder()
            .name("orders-prod")
            .hostname("orders-prod.postgres.database.azure.com")
            .build();
    AccessFlows flows =
        AccessFlows.builder()
            .addFlow(
                AccessFlow.builder()
                    .name("sales-read")
                    .addRequester("support") // a group of the directory below
                    .integration("orders-prod")
                    .addResource("orders/sales/*")
                    .maxLevel(AccessLevel.READ_ONLY)
                    .maxDuration(Duration.ofHours(4))
                    .approval(ApprovalRule.anyOf(Approver.identity("bob@example.com")))
                    .justificationRequired(true)
                    .build())
            .directory(IdentityDirectory.of(Map.of("support", Set.of("alice@example.com"))))
            .build();
    AccessManager manager =
        AccessManager.builder()
            .integration(prod)
            .credentials(
                Credentials.of(
                    "grantsmith_connector", Secret.of(System.getenv("GRANTSMITH_PASSWORD"))))
            .flows(flows)
            .auditSink(auditSink) // every decision and change, never a password
            .build();
    AccessRequest request =
        AccessRequest.builder()
            .requestId("REQ-1043")
            .grantee("alice@example.com")
            .integration(prod)
            .addResource(ResourceRef.relation("orders", "sales", "invoices"))
            .level(AccessLevel.READ_ONLY)
            .duration(Duration.ofHours(2))
            .build();
    try {
      manager.grant(request, Authorization.of("alice@example.com")); // no approval yet
    } catch (AccessNotApprovedException e) {
      System.out.println(e.decision().describe()); // needs approval: flow sales-read ...
    }
    AccessGrant grant =
        manager.grant(
            request,
            Authorization.builder()
                .requester("alice@example.com")
                .addApproval(Approval.of("bob@example.com", approvedAt, "REQ-1043"))
                .justification("INC-7: refunds stuck")
                .build());
    // end::flows[]
    manager.close();
    return grant;
  }
}
