package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Membership;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.AccessExpansion.Access;
import io.grantsmith.postgres.azure.AccessExpansion.Catalog;
import io.grantsmith.postgres.azure.AccessExpansion.Names;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The pure core of a grant, second half: from a request, the lease it widens and the catalog
 * snapshots, the managed user's {@link DesiredState} (role, LOGIN, {@code VALID UNTIL}, the lease
 * as its comment, password, memberships and privileges), without I/O. For a Microsoft Entra
 * principal the managed role is its lease role: NOLOGIN, no password, the principal in its lease.
 * Data flows one way: {@link GrantOperation} reads the server, {@link AccessExpansion} expands the
 * approvals, this designs the desired state, the {@link Planner} plans it and the {@link
 * io.grantsmith.api.Executor} applies the plan.
 *
 * @param desired the user's desired state
 * @param access what it is to hold
 * @param comment the lease's JSON, as the role comment
 * @param lease the lease
 * @param password the new password, or null if the current one is kept
 * @param database the database to connect to
 */
record GrantDesign(
    DesiredState desired,
    Access access,
    String comment,
    Lease lease,
    Secret password,
    String database) {

  /**
   * A grant's inputs.
   *
   * @param request the request
   * @param integration the integration
   * @param policy what each access level means
   * @param names the roles involved
   * @param current the lease the grant widens (active, not revoked), or null for a fresh user
   * @param catalog the catalogs
   * @param now the current instant
   * @param bundles how the approvals are held: the bundles the user is to be a member of and the
   *     approvals granted to it directly; null to grant every approval directly
   */
  record Input(
      AccessRequest request,
      Integration integration,
      AccessPolicy policy,
      Names names,
      LeaseState current,
      Catalog catalog,
      Instant now,
      Bundles.Split bundles) {}

  /**
   * The grant's desired state, lease and password.
   *
   * @param in the inputs
   * @param passwords asked for a password only if the user gets a new one
   * @return the design
   * @throws InvalidValueException if an approval names something that does not exist or a role that
   *     must not be granted
   */
  static GrantDesign of(Input in, Supplier<Secret> passwords) {
    AccessRequest request = in.request();
    LeaseState current = in.current();
    String user = in.names().user();
    List<Approval> approvals = AccessExpansion.approvals(current, request);
    boolean legacy = AccessExpansion.earlier(current) == null;
    List<Approval> direct = in.bundles() == null ? approvals : in.bundles().direct();
    Access access = AccessExpansion.expand(direct, in.names(), in.policy(), in.catalog());
    if (in.bundles() != null) {
      access.memberOf().addAll(in.bundles().names());
    }
    if (legacy) {
      // A lease written before approvals were recorded: keep what the user holds.
      for (CatalogSnapshot s : in.catalog().snapshots().values()) {
        access.grants().addAll(s.grantsTo(user));
      }
      for (Membership m : in.catalog().shared().membershipsOf(user)) {
        access.memberOf().add(m.role());
      }
    }
    Instant now = in.now();
    Lease old = current != null ? current.lease().get() : null;
    Instant requested = now.plus(request.duration());
    Instant expiry =
        old != null && old.expiresAt().isAfter(requested) ? old.expiresAt() : requested;
    Instant grantedAt = old != null ? old.grantedAt() : now;
    Instant cleanupAt =
        request.effectiveCleanupAfterDays().isPresent()
            ? expiry.plus(Duration.ofDays(request.effectiveCleanupAfterDays().getAsInt()))
            : null;
    Instant passwordSetAt = current != null ? current.passwordSetAt().orElse(null) : null;
    Secret password = null;
    EntraPrincipal principal = request.entraPrincipal().orElse(null);
    // An active user without LOGIN is a grant that stopped half-way: its password was never
    // handed out, so a new one is. An Entra principal's lease role never logs in and has none.
    if (principal == null
        && (current == null
            || rotationDue(in.integration(), passwordSetAt, now)
            || !current.login())) {
      password = passwords.get();
      passwordSetAt = now;
    }
    List<String> ids = new ArrayList<>(current != null ? current.requestIds() : List.of());
    ids.remove(request.requestId());
    ids.add(request.requestId());
    String comment =
        LeaseCodec.encode(
            new LeaseCodec.Fields(
                in.integration().name(),
                request.requestId(),
                ids,
                request.grantee(),
                grantedAt,
                expiry,
                cleanupAt,
                passwordSetAt,
                null,
                legacy ? null : approvals,
                principal));
    RoleSpec.Builder spec =
        RoleSpec.builder().name(user).login(principal == null).validUntil(expiry).comment(comment);
    access.memberOf().forEach(spec::addMemberOf);
    if (password != null) {
      spec.password(password);
    }
    DesiredState desired =
        DesiredState.builder()
            .addRole(spec.build())
            .addAllGrants(access.grants())
            .addMembership(Membership.of(user, in.names().connector()))
            .build();
    Lease.Builder lease =
        Lease.builder()
            .roleName(user)
            .requestId(request.requestId())
            .grantee(request.grantee())
            .grantedAt(grantedAt)
            .expiresAt(expiry);
    if (cleanupAt != null) {
      lease.cleanupAt(cleanupAt);
    }
    if (principal != null) {
      lease.entraPrincipal(principal);
    }
    String database =
        request.resources().stream()
            .filter(x -> x.database().isPresent())
            .map(ResourceRef::requireDatabase)
            .findFirst()
            .orElse(in.catalog().sharedDatabase());
    return new GrantDesign(desired, access, comment, lease.build(), password, database);
  }

  private static boolean rotationDue(Integration integration, Instant passwordSetAt, Instant now) {
    return integration.credentialRotationDays().isPresent()
        && (passwordSetAt == null
            || !passwordSetAt
                .plus(Duration.ofDays(integration.credentialRotationDays().getAsInt()))
                .isAfter(now));
  }
}
