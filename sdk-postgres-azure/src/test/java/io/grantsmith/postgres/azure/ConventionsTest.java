package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.InvalidValueException;
import org.junit.jupiter.api.Test;

class ConventionsTest {
  @Test
  void theDefaultsAreTheNamesGrantsmithHasAlwaysUsed() {
    Conventions c = Conventions.defaults();
    assertThat(c.markerRole())
        .isEqualTo(AccessManager.MARKER_ROLE)
        .isEqualTo(ConnectorSetup.DEFAULT_MARKER_ROLE);
    assertThat(c.connectorName()).isEqualTo(ConnectorSetup.DEFAULT_CONNECTOR_NAME);
    assertThat(c.userName("prod", "Alice@Example.com"))
        .isEqualTo(AccessManager.userName("prod", "Alice@Example.com"))
        .startsWith("gs_alice_example_com_");
  }

  @Test
  void anEntraPrincipalsLeaseRoleIsNamedFromAllOfItsIdentity() {
    String oid = "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f";
    EntraPrincipal alice = EntraPrincipal.of(EntraPrincipal.Type.USER, "alice@contoso.com", oid);
    Conventions c = Conventions.defaults();
    String lease = c.leaseRoleName("prod", alice);
    assertThat(lease).matches("gs_e_alice_contoso_com_[0-9a-f]{8}");
    // The object id's case does not matter; the integration, type, id and name do.
    assertThat(
            c.leaseRoleName(
                "prod",
                EntraPrincipal.of(
                    EntraPrincipal.Type.USER, "alice@contoso.com", oid.toUpperCase())))
        .isEqualTo(lease);
    assertThat(c.leaseRoleName("test", alice)).isNotEqualTo(lease);
    assertThat(
            c.leaseRoleName(
                "prod", EntraPrincipal.of(EntraPrincipal.Type.SERVICE, "alice@contoso.com", oid)))
        .isNotEqualTo(lease);
    assertThat(c.userName("prod", "alice@contoso.com")).isNotEqualTo(lease);
    String longest =
        c.leaseRoleName(
            "prod", EntraPrincipal.of(EntraPrincipal.Type.GROUP, "ü".repeat(31) + "x", oid));
    assertThat(longest).matches("gs_e_[_x]+_[0-9a-f]{8}");
    assertThat(
            c.withUserPrefix("jit_access_long_")
                .leaseRoleName(
                    "prod", EntraPrincipal.of(EntraPrincipal.Type.GROUP, "t".repeat(63), oid))
                .length())
        .isEqualTo(63);
    assertThat(IssuedAccess.tokenScope("db.postgres.database.azure.com"))
        .isEqualTo(EntraPrincipal.TOKEN_SCOPE);
    assertThat(IssuedAccess.tokenScope("db.postgres.database.usgovcloudapi.net"))
        .isEqualTo("https://ossrdbms-aad.database.usgovcloudapi.net/.default");
    assertThat(IssuedAccess.tokenScope("db.postgres.database.chinacloudapi.cn"))
        .isEqualTo("https://ossrdbms-aad.database.chinacloudapi.cn/.default");
  }

  @Test
  void anotherPrefixNamesUsersThatStillFit63Bytes() {
    Conventions c = Conventions.defaults().withUserPrefix("jit_access_");
    String name = c.userName("prod", "x".repeat(300));
    assertThat(name).startsWith("jit_access_xxx").matches(".*_[0-9a-f]{8}");
    assertThat(name.length()).isEqualTo(63);
    String usual = AccessManager.userName("prod", "x".repeat(300));
    assertThat(name.substring(55)).isEqualTo(usual.substring(usual.length() - 8));
  }

  @Test
  void badNamesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> Conventions.defaults().withMarkerRole("pg_managed"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("Conventions.markerRole");
    assertThatThrownBy(() -> Conventions.defaults().withConnectorName(""))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("Conventions.connectorName");
    assertThatThrownBy(() -> Conventions.defaults().withMarkerRole("grantsmith_connector"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("Conventions.markerRole");
    for (String bad : new String[] {"", "GS_", "1x_", "pg_x", "azure_x", "a-b", "a".repeat(17)}) {
      assertThatThrownBy(() -> Conventions.defaults().withUserPrefix(bad))
          .isInstanceOf(InvalidValueException.class)
          .hasMessageContaining("Conventions.userPrefix");
    }
  }

  @Test
  void setupAndDiscoveryTakeTheConventions() {
    Conventions c =
        Conventions.defaults().withMarkerRole("acme_managed").withConnectorName("acme_connector");
    ConnectorSetup setup = ConnectorSetup.builder().conventions(c).majorVersion(16).build();
    assertThat(setup.markerRole()).isEqualTo("acme_managed");
    assertThat(setup.connectorName()).isEqualTo("acme_connector");
  }
}
