package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Membership;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessExpansion.Catalog;
import io.grantsmith.postgres.azure.AccessExpansion.Names;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The pure core of a grant: request, lease and snapshots in, desired state out, no server. */
class AccessExpansionTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final String USER = "gs_alice_1234abcd";
  private static final Names NAMES = new Names(USER, "connector", "grantsmith_managed");
  private static final ResourceRef SCHEMA = ResourceRef.schema("shop", "sales");
  private static final ResourceRef ORDERS = ResourceRef.relation("shop", "sales", "orders");
  private static final ResourceRef ORDERS_ID =
      ResourceRef.sequence("shop", "sales", "orders_id_seq");
  private static final ResourceRef ITEMS = ResourceRef.relation("shop", "sales", "items");
  private static final ResourceRef SYSTEM = ResourceRef.relation("shop", "pg_catalog", "pg_class");

  private static final Integration INTEGRATION =
      Integration.builder()
          .name("prod")
          .hostname("db.example.com")
          .port(5432)
          .sslMode(SslMode.REQUIRE)
          .build();

  private static Catalog catalog() {
    CatalogSnapshot postgres =
        CatalogSnapshot.builder()
            .database("postgres")
            .serverVersionNum(170000)
            .addObject(ResourceRef.database("postgres"))
            .addAllRoles(
                List.of(
                    RoleInfo.builder().name("auditors").build(),
                    RoleInfo.builder().name("admin").superuser(true).build()))
            .build();
    CatalogSnapshot shop =
        CatalogSnapshot.builder()
            .database("shop")
            .serverVersionNum(170000)
            .addObject(ResourceRef.database("shop"))
            .addObject(SCHEMA)
            .addObject(ORDERS)
            .addObject(ORDERS_ID)
            .addObject(ITEMS)
            .addObject(SYSTEM)
            .build();
    Map<String, CatalogSnapshot> snaps = new LinkedHashMap<>();
    snaps.put("postgres", postgres);
    snaps.put("shop", shop);
    return new Catalog(
        "postgres", snaps, List.of("postgres", "shop"), Map.of(ORDERS, List.of(ORDERS_ID)));
  }

  private static AccessRequest request(String id, AccessLevel level, ResourceRef... resources) {
    return AccessRequest.builder()
        .requestId(id)
        .grantee("alice@example.com")
        .integration(INTEGRATION)
        .level(level)
        .duration(Duration.ofHours(2))
        .addResources(resources)
        .build();
  }

  private static Grant grant(ResourceRef on, Privilege... p) {
    return Grant.builder().grantee(USER).resource(on).addPrivileges(p).build();
  }

  private static AccessExpansion.Access expand(ResourceRef resource) {
    return AccessExpansion.expand(
        List.of(new Approval(AccessLevel.READ_ONLY, resource)),
        NAMES,
        AccessPolicy.standard(),
        catalog());
  }

  private static Supplier<Secret> counting(AtomicInteger calls) {
    return () -> {
      calls.incrementAndGet();
      return Secret.of("Generated-Password-1");
    };
  }

  private static GrantDesign design(
      AccessRequest request, LeaseState current, Supplier<Secret> pw) {
    return GrantDesign.of(
        new GrantDesign.Input(
            request, INTEGRATION, AccessPolicy.standard(), NAMES, current, catalog(), NOW, null),
        pw);
  }

  @Test
  void aTableComesWithConnectUsageOnItsSchemaAndItsOwnSequences() {
    AccessExpansion.Access access = expand(ORDERS);

    assertThat(access.grants())
        .containsExactlyInAnyOrder(
            grant(ResourceRef.database("shop"), Privilege.CONNECT),
            grant(SCHEMA, Privilege.USAGE),
            grant(ORDERS, Privilege.SELECT),
            grant(ORDERS_ID, Privilege.SELECT));
    assertThat(access.memberOf()).containsExactly("grantsmith_managed");
  }

  @Test
  void aDatabaseCoversEveryObjectOutsideSystemSchemas() {
    AccessExpansion.Access access = expand(ResourceRef.database("shop"));

    assertThat(access.grants()).extracting(Grant::resource).contains(ORDERS, ITEMS, ORDERS_ID);
    assertThat(access.grants()).extracting(Grant::resource).doesNotContain(SYSTEM);
  }

  @Test
  void theServerMeansEveryConnectableDatabase() {
    AccessExpansion.Access access = expand(ResourceRef.server());

    assertThat(access.grants())
        .contains(
            grant(ResourceRef.database("postgres"), Privilege.CONNECT),
            grant(ResourceRef.database("shop"), Privilege.CONNECT));
  }

  @Test
  void aRoleBecomesAMembershipButNeverASuperuserTheMarkerOrTheConnector() {
    AccessExpansion.Access access = expand(ResourceRef.role("auditors"));
    assertThat(access.memberOf()).containsExactly("auditors", "grantsmith_managed");
    assertThat(access.grants()).isEmpty();

    for (String refused : List.of("admin", "grantsmith_managed", "connector", "missing")) {
      assertThatThrownBy(() -> expand(ResourceRef.role(refused)))
          .isInstanceOf(InvalidValueException.class);
    }
  }

  @Test
  void anObjectThatDoesNotExistIsRefused() {
    assertThatThrownBy(
            () ->
                design(
                    request("R1", AccessLevel.READ_ONLY, ResourceRef.relation("shop", "x", "y")),
                    null,
                    () -> Secret.of("unused-Password-1")))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("must name objects that exist");
  }

  @Test
  void aFreshUserGetsANewPasswordLoginLastAndALeaseThatRecordsTheApproval() {
    AtomicInteger calls = new AtomicInteger();
    GrantDesign d = design(request("R1", AccessLevel.READ_ONLY, ORDERS), null, counting(calls));

    assertThat(calls).hasValue(1);
    assertThat(d.password()).isNotNull();
    RoleSpec role = d.desired().roles().get(0);
    assertThat(role.name()).isEqualTo(USER);
    assertThat(role.login()).isTrue();
    assertThat(role.validUntil()).contains(NOW.plus(Duration.ofHours(2)));
    assertThat(role.memberOf()).containsExactly("grantsmith_managed");
    assertThat(d.desired().memberships()).containsExactly(Membership.of(USER, "connector"));
    assertThat(d.lease().expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
    assertThat(d.lease().grantedAt()).isEqualTo(NOW);
    assertThat(d.comment())
        .startsWith("{\"grantsmith\":1,\"integration\":\"prod\",\"requestId\":\"R1\"")
        .contains("\"approved\":[{\"level\":")
        .contains("\"kind\":\"RELATION\"");
    assertThat(d.database()).isEqualTo("shop");
  }

  @Test
  void aSecondRequestWidensTheActiveLeaseKeepsThePasswordAndTheLaterExpiry() {
    Instant later = NOW.plus(Duration.ofHours(5));
    Lease lease =
        Lease.builder()
            .roleName(USER)
            .requestId("R1")
            .grantee("alice@example.com")
            .grantedAt(NOW.minus(Duration.ofHours(1)))
            .expiresAt(later)
            .build();
    LeaseState current =
        LeaseState.of(
            USER, true, later, lease, null, List.of(new Approval(AccessLevel.READ_ONLY, ORDERS)));
    AtomicInteger calls = new AtomicInteger();

    GrantDesign d = design(request("R2", AccessLevel.READ_ONLY, ITEMS), current, counting(calls));

    assertThat(calls).hasValue(0);
    assertThat(d.password()).isNull();
    assertThat(d.lease().expiresAt()).isEqualTo(later);
    assertThat(d.lease().grantedAt()).isEqualTo(NOW.minus(Duration.ofHours(1)));
    assertThat(d.desired().grants()).extracting(Grant::resource).contains(ORDERS, ORDERS_ID, ITEMS);
    assertThat(d.comment()).contains("\"requests\":[\"R1\",\"R2\"]");
  }

  @Test
  void approvalsKeepTheirOrderAndARepeatedOneMovesToTheEnd() {
    LeaseState current =
        LeaseState.of(
            USER,
            true,
            null,
            null,
            null,
            List.of(
                new Approval(AccessLevel.READ_ONLY, ORDERS),
                new Approval(AccessLevel.READ_ONLY, ITEMS)));

    assertThat(AccessExpansion.approvals(current, request("R3", AccessLevel.READ_ONLY, ORDERS)))
        .extracting(Approval::resource)
        .containsExactly(ITEMS, ORDERS);
    assertThat(
            AccessExpansion.databases(
                List.of(new Approval(AccessLevel.READ_ONLY, ResourceRef.server())),
                List.of("postgres", "shop")))
        .containsExactly("postgres", "shop");
    assertThat(AccessExpansion.relations(current.approvals().get())).containsExactly(ORDERS, ITEMS);
  }
}
