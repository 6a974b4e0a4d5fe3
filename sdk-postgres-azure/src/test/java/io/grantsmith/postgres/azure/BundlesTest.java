package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.BundleKey;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How approvals map to bundle roles: a pure function, no server. */
class BundlesTest {
  private static final Conventions NAMES = Conventions.defaults();
  private static final AccessPolicy STANDARD = AccessPolicy.standard();
  private static final ResourceRef SALES = ResourceRef.schema("shop", "sales");

  private static Bundles.Split split(int major, Approval... approvals) {
    return Bundles.split(
        List.of(approvals), STANDARD, major, NAMES, "connector", List.of("postgres", "shop"));
  }

  @Test
  void readOnlyOnASchemaIsOneBundleHoldingWhatTheGrantExpandsTo() {
    Bundles.Split s = split(17, new Approval(AccessLevel.READ_ONLY, SALES));
    assertThat(s.direct()).isEmpty();
    assertThat(s.bundles()).hasSize(1);
    BundleKey key = s.bundles().get(0).key();
    assertThat(key.on(ResourceKind.DATABASE)).containsExactly(Privilege.CONNECT);
    assertThat(key.on(ResourceKind.SCHEMA)).containsExactly(Privilege.USAGE);
    assertThat(key.on(ResourceKind.RELATION)).containsExactly(Privilege.SELECT);
    assertThat(key.on(ResourceKind.SEQUENCE)).containsExactly(Privilege.SELECT);
    assertThat(key.on(ResourceKind.FUNCTION)).isEmpty();
    assertThat(s.bundles().get(0).name()).startsWith("gs_b_shop_sales_").matches(".*_[0-9a-f]{12}");
  }

  @Test
  void equalKeysShareANameAndAnotherPolicyMeansAnotherBundle() {
    Approval a = new Approval(AccessLevel.READ_ONLY, SALES);
    assertThat(split(17, a).names()).isEqualTo(split(17, a).names());
    AccessPolicy withExecute =
        (level, kind) ->
            kind == ResourceKind.FUNCTION
                ? EnumSet.of(Privilege.EXECUTE)
                : STANDARD.privileges(level, kind);
    Bundles.Split other =
        Bundles.split(List.of(a), withExecute, 17, NAMES, "connector", List.of("postgres", "shop"));
    assertThat(other.names()).doesNotContainAnyElementsOf(split(17, a).names());
    assertThat(split(17, new Approval(AccessLevel.READ_WRITE, SALES)).names())
        .doesNotContainAnyElementsOf(split(17, a).names());
  }

  @Test
  void eachConnectorHasBundlesOfItsOwn() {
    List<Approval> a = List.of(new Approval(AccessLevel.READ_ONLY, SALES));
    List<String> dbs = List.of("postgres", "shop");
    assertThat(Bundles.split(a, STANDARD, 17, NAMES, "connector_b", dbs).names())
        .doesNotContainAnyElementsOf(
            Bundles.split(a, STANDARD, 17, NAMES, "connector", dbs).names());
  }

  @Test
  void adminThatCreatesUsesABundleOnlyFrom16() {
    Approval admin = new Approval(AccessLevel.ADMIN, SALES);
    assertThat(split(16, admin).bundles()).hasSize(1);
    for (int major : new int[] {13, 14, 15}) {
      Bundles.Split s = split(major, admin, new Approval(AccessLevel.READ_WRITE, SALES));
      assertThat(s.direct()).containsExactly(admin);
      assertThat(s.bundles()).hasSize(1);
      assertThat(s.bundles().get(0).key().on(ResourceKind.RELATION)).contains(Privilege.INSERT);
    }
    // ADMIN on one table creates nothing: a bundle on every version.
    assertThat(
            split(13, new Approval(AccessLevel.ADMIN, ResourceRef.relation("shop", "s", "t")))
                .bundles())
        .hasSize(1);
  }

  @Test
  void rolesStayDirectAndTheServerIsOneBundlePerDatabase() {
    Approval role = new Approval(AccessLevel.READ_ONLY, ResourceRef.role("auditors"));
    Approval server = new Approval(AccessLevel.READ_ONLY, ResourceRef.server());
    Bundles.Split s = split(17, role, server);
    assertThat(s.direct()).containsExactly(role);
    assertThat(s.bundles())
        .extracting(b -> b.key().resource())
        .containsExactly(ResourceRef.database("postgres"), ResourceRef.database("shop"));
    assertThat(split(15, new Approval(AccessLevel.ADMIN, ResourceRef.server())).direct())
        .hasSize(1);
  }

  @Test
  void maintainIsInTheKeyOnlyWhereTheServerKnowsIt() {
    ResourceRef t = ResourceRef.relation("shop", "s", "t");
    Set<Privilege> on16 =
        split(16, new Approval(AccessLevel.ADMIN, t))
            .bundles()
            .get(0)
            .key()
            .on(ResourceKind.RELATION);
    Set<Privilege> on17 =
        split(17, new Approval(AccessLevel.ADMIN, t))
            .bundles()
            .get(0)
            .key()
            .on(ResourceKind.RELATION);
    assertThat(on16).doesNotContain(Privilege.MAINTAIN);
    assertThat(on17).contains(Privilege.MAINTAIN);
  }

  @Test
  void namesFit63BytesAndNeverLookLikeAUser() {
    String longName = "x".repeat(63);
    Bundles.Split s =
        split(
            17,
            new Approval(AccessLevel.READ_ONLY, ResourceRef.relation("shop", longName, longName)));
    String name = s.bundles().get(0).name();
    assertThat(name.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
    // A user's name ends with _ and 8 hex digits; a bundle's with 12 hex digits.
    assertThat(name).matches(".*[^_][0-9a-f]{12}|.*_[0-9a-f]{12}").doesNotMatch(".*_[0-9a-f]{8}");
    assertThat(NAMES.bundleMarkerRole()).isEqualTo("grantsmith_managed_bundles");
    assertThat(NAMES.withMarkerRole("m".repeat(63)).bundleMarkerRole().length())
        .isLessThanOrEqualTo(63);
  }

  @Test
  void theCommentRecordsTheKeyAndItsState() {
    BundleKey key = split(17, new Approval(AccessLevel.READ_ONLY, SALES)).bundles().get(0).key();
    assertThat(key.text())
        .startsWith("{\"grantsmithBundle\":1,\"database\":\"shop\",\"kind\":\"SCHEMA\"")
        .contains("\"RELATION\":[\"SELECT\"]");
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    assertThat(key.comment(BundleKey.UNUSED_SINCE, at))
        .startsWith(key.text().substring(0, key.text().length() - 1))
        .endsWith(",\"unusedSince\":\"2026-01-02T03:04:05Z\"}");
  }
}
