package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.grantsmith.testkit.PgBouncer.PoolMode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The pooler's configuration, shaped like Azure's built-in PgBouncer, without running it. */
class PgBouncerTest {

  @Test
  void theSettingsAreAzuresDefaults() {
    Map<String, String> s =
        PgBouncer.settings("localhost", 5555, 6666, PoolMode.TRANSACTION, "1.23.1", "/tmp/u.txt");
    assertThat(s)
        .contains(
            entry("*", "host=localhost port=5555 auth_user=postgres"),
            entry("listen_port", "6666"),
            entry("pool_mode", "transaction"),
            entry("auth_type", "scram-sha-256"),
            entry("auth_file", "/tmp/u.txt"),
            entry("auth_query", PgBouncer.AUTH_QUERY),
            entry("ignore_startup_parameters", ""),
            entry("max_prepared_statements", "0"));
    assertThat(PgBouncer.AUTH_QUERY).contains("pg_shadow").contains("valuntil").contains("$1");
  }

  @Test
  void maxPreparedStatementsIsWrittenOnlyWhereTheVersionHasIt() {
    assertThat(PgBouncer.settings("h", 1, 2, PoolMode.TRANSACTION, "1.18.0", "u"))
        .doesNotContainKey("max_prepared_statements");
    assertThat(PgBouncer.settings("h", 1, 2, PoolMode.TRANSACTION, "1.21.0", "u"))
        .containsEntry("max_prepared_statements", "0");
    assertThat(PgBouncer.atLeast("2.0.0", 1, 21)).isTrue();
    assertThat(PgBouncer.atLeast("1.9.0", 1, 21)).isFalse();
    assertThat(PgBouncer.atLeast("none", 1, 21)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void thePoolingModeIsConfigurable(PoolMode mode) {
    assertThat(PgBouncer.settings("h", 1, 2, mode, "1.18.0", "u"))
        .containsEntry("pool_mode", mode.name().toLowerCase(java.util.Locale.ROOT));
    assertThat(PgBouncer.containerEnvironment("db", 5432, mode, "1.23.1"))
        .containsEntry("POOL_MODE", mode.word());
  }

  @Test
  void theIniHasTheDatabasesThenThePoolerSection() {
    String ini =
        PgBouncer.ini(PgBouncer.settings("h", 1, 2, PoolMode.SESSION, "1.18.0", "/x/users.txt"));
    assertThat(ini)
        .contains("[databases]\n* = host=h port=1 auth_user=postgres\n\n[pgbouncer]\n")
        .contains("\npool_mode = session\n")
        .contains("\nignore_startup_parameters = \n")
        .contains("\nauth_file = /x/users.txt\n");
    assertThat(ini.indexOf("[databases]")).isLessThan(ini.indexOf("[pgbouncer]"));
  }

  @Test
  void theContainerGetsTheSameSettings() {
    Map<String, String> env =
        PgBouncer.containerEnvironment("db", 5432, PoolMode.TRANSACTION, "1.23.1");
    assertThat(env)
        .contains(
            entry("DB_HOST", "db"),
            entry("DB_PORT", "5432"),
            entry("LISTEN_PORT", "6432"),
            entry("AUTH_TYPE", "scram-sha-256"),
            entry("AUTH_QUERY", PgBouncer.AUTH_QUERY),
            entry("IGNORE_STARTUP_PARAMETERS", ""),
            entry("MAX_PREPARED_STATEMENTS", "0"));
    assertThat(PgBouncer.containerEnvironment("db", 5432, PoolMode.TRANSACTION, "1.18.0"))
        .doesNotContainKey("MAX_PREPARED_STATEMENTS");
  }
}
