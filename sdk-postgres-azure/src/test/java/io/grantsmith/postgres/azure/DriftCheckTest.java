package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.Footprint.Held;
import io.grantsmith.postgres.azure.internal.Footprint.Kind;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The drift decision without a server: a lease's approval against what a role holds. */
class DriftCheckTest {
  private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");
  private static final String MARKER = "grantsmith_managed";
  private static final ResourceRef T = ResourceRef.relation("shop", "s", "t");
  private static final List<Grant> READ_T =
      List.of(Grant.builder().grantee("u").resource(T).addPrivilege(Privilege.SELECT).build());

  private static Lease lease(Instant expires) {
    return Lease.builder()
        .roleName("u")
        .requestId("R1")
        .grantee("alice")
        .grantedAt(NOW.minus(Duration.ofHours(1)))
        .expiresAt(expires)
        .build();
  }

  private static Held select(String table, String grantor) {
    return new Held(
        "u",
        "shop",
        Kind.PRIVILEGE,
        "table",
        List.of("s", table),
        List.of(),
        null,
        "SELECT",
        grantor,
        false);
  }

  private static Held member(String role, String grantor) {
    return new Held(
        "u",
        "postgres",
        Kind.MEMBERSHIP,
        "role",
        List.of(role),
        List.of(),
        null,
        null,
        grantor,
        false);
  }

  private static Set<String> kinds(List<Drift> drift) {
    return drift.stream().map(d -> d.kind().name()).collect(Collectors.toSet());
  }

  private static LeaseState active(boolean login) {
    Instant expiry = NOW.plus(Duration.ofHours(1));
    return LeaseState.of("u", login, expiry, lease(expiry), null, List.of());
  }

  @Test
  void aLeaseRoleNeverLogsInAndIsGrantedToItsPrincipalOnlyWhileActive() {
    EntraPrincipal p =
        EntraPrincipal.of(
            EntraPrincipal.Type.GROUP, "Data Team", "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f");
    Instant expiry = NOW.plus(Duration.ofHours(1));
    Lease lease = Lease.builder().from(lease(expiry)).entraPrincipal(p).build();
    LeaseState on = LeaseState.of("u", false, expiry, lease, null, List.of());
    Held principal = memberOfLease("Data Team");
    List<Held> marked = List.of(member(MARKER, "conn"));
    // Active, NOLOGIN, granted to its principal: clean.
    assertThat(
            DriftCheck.check(
                on, marked, List.of(), Set.of(MARKER), MARKER, NOW, List.of(principal)))
        .isEmpty();
    // Not granted to it (a grant that stopped before its last step), and granted to another.
    List<Drift> other =
        DriftCheck.check(
            on, marked, List.of(), Set.of(MARKER), MARKER, NOW, List.of(memberOfLease("eve")));
    assertThat(other)
        .extracting(d -> d.kind() + " " + d.role())
        .containsExactlyInAnyOrder("UNAPPROVED_MEMBERSHIP eve", "MISSING_MEMBERSHIP Data Team");
    // LOGIN on, at any time, and the principal still a member after the lease.
    LeaseState loginOn = LeaseState.of("u", true, expiry, lease, null, List.of());
    assertThat(
            kinds(
                DriftCheck.check(
                    loginOn, marked, List.of(), Set.of(MARKER), MARKER, NOW, List.of(principal))))
        .containsExactly("LOGIN_ON_LEASE_ROLE");
    Instant later = expiry.plus(Duration.ofMinutes(1));
    List<Drift> after =
        DriftCheck.check(on, marked, null, Set.of(MARKER), MARKER, later, List.of(principal));
    assertThat(after)
        .extracting(d -> d.kind() + " " + d.role())
        .containsExactly("UNAPPROVED_MEMBERSHIP Data Team");
  }

  private static Held memberOfLease(String member) {
    return new Held(
        member,
        "postgres",
        Kind.MEMBERSHIP,
        "role",
        List.of("u"),
        List.of(),
        null,
        null,
        "conn",
        true);
  }

  @Test
  void exactlyTheApprovalIsClean() {
    assertThat(
            DriftCheck.check(
                active(true),
                List.of(select("t", "azure_pg_admin"), member(MARKER, "conn")),
                READ_T,
                Set.of(MARKER),
                MARKER,
                NOW))
        .isEmpty();
  }

  @Test
  void aPrivilegeNoLeaseApprovesIsReportedWithItsGrantor() {
    List<Drift> d =
        DriftCheck.check(
            active(true),
            List.of(
                select("t", "azure_pg_admin"), select("secret", "admin"), member(MARKER, "conn")),
            READ_T,
            Set.of(MARKER),
            MARKER,
            NOW);
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.kind()).isEqualTo(Drift.Kind.UNAPPROVED_PRIVILEGE);
              assertThat(x.grantor()).contains("admin");
              assertThat(x.object()).contains("table s.secret");
              assertThat(x.database()).contains("shop");
              assertThat(x.privilege()).contains("SELECT");
            });
  }

  @Test
  void missingApprovalsAndForeignMembershipsAreReported() {
    List<Drift> d =
        DriftCheck.check(
            active(true),
            List.of(member("extra", "admin")),
            READ_T,
            Set.of(MARKER, "auditors"),
            MARKER,
            NOW);
    assertThat(kinds(d))
        .containsExactlyInAnyOrder(
            "MISSING_PRIVILEGE", "MISSING_MEMBERSHIP", "UNAPPROVED_MEMBERSHIP");
    assertThat(d)
        .filteredOn(x -> x.kind() == Drift.Kind.MISSING_MEMBERSHIP)
        .extracting(x -> x.object().orElseThrow())
        .containsExactlyInAnyOrder("role auditors", "role " + MARKER);
  }

  @Test
  void loginAndValidUntilMustFollowTheLease() {
    assertThat(kinds(DriftCheck.check(active(false), List.of(), List.of(), Set.of(), MARKER, NOW)))
        .containsExactly("LOGIN_OFF_DURING_LEASE");
    Instant expired = NOW.minus(Duration.ofMinutes(5));
    LeaseState after = LeaseState.of("u", true, expired, lease(expired), null, List.of());
    assertThat(kinds(DriftCheck.check(after, List.of(), null, Set.of(), MARKER, NOW)))
        .containsExactly("LOGIN_AFTER_LEASE");
    Instant expiry = NOW.plus(Duration.ofHours(1));
    LeaseState far =
        LeaseState.of("u", true, expiry.plus(Duration.ofDays(1)), lease(expiry), null, List.of());
    assertThat(kinds(DriftCheck.check(far, List.of(), List.of(), Set.of(), MARKER, NOW)))
        .containsExactly("VALID_UNTIL_MISMATCH");
    LeaseState none = LeaseState.of("u", false, null, lease(expiry), null, List.of());
    assertThat(kinds(DriftCheck.check(none, List.of(), List.of(), Set.of(), MARKER, NOW)))
        .containsExactlyInAnyOrder("VALID_UNTIL_MISMATCH", "LOGIN_OFF_DURING_LEASE");
  }

  @Test
  void afterTheLeaseEverythingHeldIsUnapproved() {
    Instant revoked = NOW.minus(Duration.ofMinutes(1));
    LeaseState st =
        LeaseState.of(
            "u", false, revoked, lease(NOW.plus(Duration.ofHours(1))), revoked, List.of());
    Held owned =
        new Held(
            "u",
            "shop",
            Kind.OWNER,
            "table",
            List.of("s", "mine"),
            List.of(),
            null,
            null,
            null,
            true);
    assertThat(
            kinds(
                DriftCheck.check(
                    st,
                    List.of(select("t", "admin"), owned, member(MARKER, "conn")),
                    null,
                    Set.of(MARKER),
                    MARKER,
                    NOW)))
        .containsExactlyInAnyOrder("UNAPPROVED_PRIVILEGE", "OWNED_AFTER_LEASE");
  }

  @Test
  void aRoleWithoutALeaseIsReported() {
    LeaseState st = LeaseState.of("u", false, null, null, null, null);
    assertThat(kinds(DriftCheck.check(st, List.of(), null, Set.of(), MARKER, NOW)))
        .containsExactly("NO_LEASE");
  }

  @Test
  void aLeaseWithoutRecordedApprovalsIsNotJudgedOnPrivileges() {
    assertThat(
            DriftCheck.check(
                active(true),
                List.of(select("secret", "admin"), member("extra", "admin")),
                null,
                Set.of(MARKER),
                MARKER,
                NOW))
        .isEmpty();
  }

  @Test
  void validUntilMayDifferFromTheLeaseByASecondAtMost() {
    Instant expiry = NOW.plus(Duration.ofHours(1));
    for (long off : new long[] {-1, 0, 1}) {
      LeaseState st =
          LeaseState.of("u", true, expiry.plusSeconds(off), lease(expiry), null, List.of());
      assertThat(DriftCheck.check(st, List.of(), null, Set.of(), MARKER, NOW)).isEmpty();
    }
    for (long off : new long[] {-2, 2}) {
      LeaseState st =
          LeaseState.of("u", true, expiry.plusSeconds(off), lease(expiry), null, List.of());
      assertThat(kinds(DriftCheck.check(st, List.of(), null, Set.of(), MARKER, NOW)))
          .containsExactly("VALID_UNTIL_MISMATCH");
    }
  }

  @Test
  void aRevocationEndsTheLeaseAtTheRevocationTime() {
    Instant revoked = NOW.minus(Duration.ofMinutes(1));
    Instant expiry = NOW.plus(Duration.ofHours(1));
    LeaseState atRevocation = LeaseState.of("u", false, revoked, lease(expiry), revoked, List.of());
    assertThat(DriftCheck.check(atRevocation, List.of(), null, Set.of(), MARKER, NOW)).isEmpty();
    LeaseState stillAtExpiry = LeaseState.of("u", false, expiry, lease(expiry), revoked, List.of());
    assertThat(kinds(DriftCheck.check(stillAtExpiry, List.of(), null, Set.of(), MARKER, NOW)))
        .containsExactly("VALID_UNTIL_MISMATCH");
    LeaseState noValidUntil = LeaseState.of("u", false, null, lease(expiry), revoked, List.of());
    assertThat(kinds(DriftCheck.check(noValidUntil, List.of(), null, Set.of(), MARKER, NOW)))
        .containsExactly("VALID_UNTIL_MISMATCH");
  }

  @Test
  void approvedMembershipsAndPrivilegesOnOtherKindsAreJudged() {
    Held column =
        new Held(
            "u",
            "shop",
            Kind.PRIVILEGE,
            "table column",
            List.of("s", "t", "c"),
            List.of(),
            null,
            "SELECT",
            "admin",
            false);
    List<Drift> d =
        DriftCheck.check(
            active(true),
            List.of(
                select("t", "azure_pg_admin"),
                member(MARKER, "conn"),
                member("auditors", "conn"),
                column),
            READ_T,
            Set.of(MARKER, "auditors"),
            MARKER,
            NOW);
    assertThat(d)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.kind()).isEqualTo(Drift.Kind.UNAPPROVED_PRIVILEGE);
              assertThat(x.object()).contains("table column s.t.c");
            });
  }
}
