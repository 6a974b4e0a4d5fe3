package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcUrlsTest {
  @ParameterizedTest
  @EnumSource(SslMode.class)
  void everySslModeIsPassedToPgjdbcInLibpqSpelling(SslMode mode) {
    Properties p = JdbcUrls.properties(mode, ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("sslmode")).isEqualTo(mode.libpqName());
  }

  @Test
  void theIntegrationsCaCertificateGoesToPgjdbc() {
    io.grantsmith.api.Integration i =
        io.grantsmith.api.Integration.builder()
            .name("x")
            .hostname("db.example.com")
            .sslMode(SslMode.VERIFY_FULL)
            .sslRootCert("/etc/ca.pem")
            .build();
    Properties p = JdbcUrls.properties(i, ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("sslmode")).isEqualTo("verify-full");
    assertThat(p.getProperty("sslrootcert")).isEqualTo("/etc/ca.pem");
  }

  @Test
  void timeoutsAreSetByDefault() {
    Properties p = JdbcUrls.properties(SslMode.REQUIRE, ConnectionSource.Timeouts.defaults());
    assertThat(p.getProperty("connectTimeout")).isEqualTo("10");
    assertThat(p.getProperty("socketTimeout")).isEqualTo("120");
    assertThat(p.getProperty("options"))
        .isEqualTo("-c statement_timeout=60000 -c lock_timeout=30000");
  }

  @Test
  void urlsQuoteDatabaseNamesAndBracketIpv6Hosts() {
    assertThat(JdbcUrls.jdbcUrl("db.example.com", 5432, "my db/x"))
        .isEqualTo("jdbc:postgresql://db.example.com:5432/my%20db%2Fx");
    assertThat(JdbcUrls.jdbcUrl("::1", 6432, "postgres"))
        .isEqualTo("jdbc:postgresql://[::1]:6432/postgres");
  }
}
