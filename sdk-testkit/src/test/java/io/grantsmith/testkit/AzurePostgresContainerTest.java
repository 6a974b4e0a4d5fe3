package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The container cannot start on CI (no Docker): its configuration is checked instead. */
class AzurePostgresContainerTest {

  @ParameterizedTest
  @EnumSource(PostgresVersion.class)
  void usesTheOfficialImageOfEachVersion(PostgresVersion version) {
    try (AzurePostgresContainer container = new AzurePostgresContainer(version)) {
      assertThat(container.getImage().toString())
          .contains("imageName=postgres:" + version.dockerTag() + ",");
      assertThat(container.getPostgresVersion()).isEqualTo(version);
    }
  }

  @Test
  void defaultsToSeventeen() {
    try (AzurePostgresContainer container = new AzurePostgresContainer()) {
      assertThat(container.getImage().toString())
          .contains("imageName=" + PostgresVersion.V17.dockerImage() + ",");
    }
  }

  @Test
  void commandAndEnvironmentRequireScram() {
    try (AzurePostgresContainer container = new AzurePostgresContainer(13)) {
      assertThat(container.getCommandParts())
          .containsSubsequence("postgres", "-c", "password_encryption=scram-sha-256")
          .contains("max_connections=200", "max_locks_per_transaction=256", "fsync=off");
      assertThat(container.getEnvMap())
          .containsEntry("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
          .containsEntry("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=trust");
    }
  }

  @Test
  void copiesTheVersionedEmulationScriptIntoTheInitDirectory() {
    try (AzurePostgresContainer container =
        new AzurePostgresContainer(15).withAdminPassword("S3cret'pw").withDatabaseName("appdb")) {
      container.configure();
      assertThat(container.copiedInitScript()).isEqualTo(container.getEmulationScript());
      assertThat(container.getEmulationScript())
          .contains("PASSWORD 'S3cret''pw'")
          .contains("pg_checkpoint")
          .doesNotContain("pg_create_subscription");
      assertThat(container.getAdminUser()).isEqualTo("serveradmin");
      assertThat(container.getAdminPassword()).isEqualTo("S3cret'pw");
      assertThat(container.getEnvMap()).containsEntry("POSTGRES_DB", "appdb");
    }
  }

  @Test
  void fluentSettersKeepTheType() {
    try (AzurePostgresContainer container =
        new AzurePostgresContainer(18)
            .withUsername("root_user")
            .withPassword("pw")
            .withEnv("TZ", "UTC")
            .withAdminPassword("x")) {
      assertThat(container.getUsername()).isEqualTo("root_user");
    }
  }
}
