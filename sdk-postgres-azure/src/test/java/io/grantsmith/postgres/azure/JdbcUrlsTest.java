package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import io.grantsmith.postgres.azure.internal.Renderer;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.PGProperty;

class JdbcUrlsTest {
  @ParameterizedTest
  @EnumSource(SslMode.class)
  void everySslModeIsPassedToPgjdbcInLibpqSpelling(SslMode mode) {
    Properties p = JdbcUrls.properties(mode, ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("sslmode")).isEqualTo(mode.libpqName());
  }

  @Test
  void theIntegrationsCaCertificateGoesToPgjdbc() {
    Properties p =
        JdbcUrls.properties(withCaFile(SslMode.VERIFY_FULL), ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
    assertThat(p.getProperty("sslrootcert")).isEqualTo("/etc/ca.pem");
  }

  @Test
  void timeoutsAreSetByDefault() {
    Properties p = JdbcUrls.properties(SslMode.REQUIRE, ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("connectTimeout")).isEqualTo("10");
    assertThat(p.getProperty("socketTimeout")).isEqualTo("120");
    // No startup options, which a transaction-pooling PgBouncer refuses: the statement and lock
    // timeouts are set in each transaction.
    assertThat(p.getProperty("options")).isNull();
    assertThat(p.getProperty("prepareThreshold")).isEqualTo("0");
  }

  @Test
  void theTransactionTimeoutsAreSetLocalInMilliseconds() {
    assertThat(Renderer.transactionTimeouts(Duration.ofSeconds(60), Duration.ZERO))
        .containsExactly("SET LOCAL statement_timeout = 60000", "SET LOCAL lock_timeout = 0");
  }

  @Test
  void connectionsMadeFromAnIntegrationCarryTheirTimeouts() {
    ConnectionSource.Timeouts t =
        new ConnectionSource.Timeouts(
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ZERO);
    ConnectionSource plain = db -> null;
    assertThat(plain.timeouts()).isEmpty();
    assertThat(ConnectionSource.withTimeouts(plain, t).timeouts()).contains(t);
    assertThat(ConnectionSource.pooled(ConnectionSource.withTimeouts(plain, t)).timeouts())
        .contains(t);
  }

  @Test
  void thePropertiesAreExactlyTheDriversKeysWithTheirValues() {
    ConnectionSource.Timeouts t =
        new ConnectionSource.Timeouts(
            Duration.ofMillis(300), Duration.ofSeconds(7), Duration.ofMillis(1500), Duration.ZERO);
    Properties p = JdbcUrls.properties(withCaFile(SslMode.VERIFY_CA), t);
    assertThat(p)
        .containsOnly(
            entry("sslmode", "verify-ca"),
            entry("sslrootcert", "/etc/ca.pem"),
            entry("connectTimeout", "1"),
            entry("loginTimeout", "1"),
            entry("socketTimeout", "7"),
            entry("prepareThreshold", "0"),
            entry("ApplicationName", "grantsmith"));
    assertThat(PGProperty.SSL_MODE.getOrNull(p)).isEqualTo("verify-ca");
  }

  @Test
  void urlsQuoteDatabaseNamesAndBracketIpv6Hosts() {
    assertThat(JdbcUrls.jdbcUrl("db.example.com", 5432, "my db/x"))
        .isEqualTo("jdbc:postgresql://db.example.com:5432/my%20db%2Fx");
    assertThat(JdbcUrls.jdbcUrl("::1", 6432, "postgres"))
        .isEqualTo("jdbc:postgresql://[::1]:6432/postgres");
  }

  private static io.grantsmith.api.Integration withCaFile(SslMode mode) {
    return io.grantsmith.api.Integration.builder()
        .name("x")
        .hostname("db.example.com")
        .sslMode(mode)
        .sslRootCert("/etc/ca.pem")
        .build();
  }
}
