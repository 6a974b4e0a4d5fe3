package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
