package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AzurePostgresExtensionTest {

  @Test
  void annotationVersionsWinOverConfiguration() {
    String before = System.getProperty(PostgresVersion.VERSIONS_PROPERTY);
    try {
      System.setProperty(PostgresVersion.VERSIONS_PROPERTY, "14,15");
      assertThat(AzurePostgresExtension.versions(new int[] {18, 13, 18}))
          .containsExactly(PostgresVersion.V18, PostgresVersion.V13);
      assertThat(AzurePostgresExtension.versions(new int[0]))
          .containsExactly(PostgresVersion.V14, PostgresVersion.V15);
    } finally {
      if (before == null) {
        System.clearProperty(PostgresVersion.VERSIONS_PROPERTY);
      } else {
        System.setProperty(PostgresVersion.VERSIONS_PROPERTY, before);
      }
    }
  }
}
