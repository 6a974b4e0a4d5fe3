package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogSnapshotTest {

  @Test
  void snapshotSortsObjectsAndMembershipsAndAnswersLookups() {
    Grant alice = Fixtures.grant().build();
    Grant bob = Fixtures.grant().grantee("bob").build();
    RoleInfo auditors = RoleInfo.builder().name("auditors").build();
    CatalogSnapshot s =
        CatalogSnapshot.builder()
            .database("orders")
            .serverVersionNum(170002)
            .addObject(ResourceRef.relation("orders", "sales", "invoices"))
            .addObject(ResourceRef.database("orders"))
            .addObject(ResourceRef.schema("orders", "sales"))
            .addAllGrants(List.of(alice, bob))
            .addAllRoles(List.of(auditors))
            .addAllMemberships(
                List.of(
                    Membership.of("writers", "alice"),
                    Membership.of("auditors", "alice"),
                    Membership.of("auditors", "bob")))
            .build();

    assertThat(s.majorVersion()).isEqualTo(17);
    assertThat(s.objects())
        .containsExactly(
            ResourceRef.database("orders"),
            ResourceRef.schema("orders", "sales"),
            ResourceRef.relation("orders", "sales", "invoices"));
    assertThat(s.memberships())
        .containsExactly(
            Membership.of("auditors", "alice"),
            Membership.of("auditors", "bob"),
            Membership.of("writers", "alice"));
    assertThat(s.grantsTo("alice")).containsExactly(alice);
    assertThat(s.grantsTo("carol")).isEmpty();
    assertThat(s.membershipsOf("alice"))
        .containsExactlyInAnyOrder(
            Membership.of("auditors", "alice"), Membership.of("writers", "alice"));
    assertThat(s.role("auditors")).hasValue(auditors);
    assertThat(s.role("nobody")).isEmpty();
  }

  @Test
  void roleInfoHasPostgresDefaults() {
    RoleInfo r = RoleInfo.builder().name("alice").build();

    assertThat(r.superuser()).isFalse();
    assertThat(r.login()).isFalse();
    assertThat(r.inherit()).isTrue();
    assertThat(r.createRole()).isFalse();
    assertThat(r.createDb()).isFalse();
    assertThat(r.connectionLimit()).isEqualTo(-1);
    assertThat(r.validUntil()).isEmpty();
    assertThat(r.comment()).isEmpty();
  }
}
