package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.ServerType;
import io.grantsmith.testkit.TestCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A zonky.io embedded PostgreSQL with the Azure emulation applied. */
public final class EmbeddedServer extends AbstractServer {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedServer.class);
  private static final String SUPERUSER = "postgres";

  private final PostgresVersion version;
  private final EmbeddedPostgres postgres;
  private final String adminPassword;
  private final TestCertificates tls;

  private EmbeddedServer(
      PostgresVersion version,
      EmbeddedPostgres postgres,
      String adminPassword,
      TestCertificates tls) {
    this.version = version;
    this.postgres = postgres;
    this.adminPassword = adminPassword;
    this.tls = tls;
  }

  /** Starts a server of the given version and applies the emulation. */
  public static EmbeddedServer start(PostgresVersion version) {
    return start(version, null);
  }

  /**
   * Starts a server of the given version with TLS on ({@code ssl = on} with the given certificate
   * and key; clients may still connect without TLS) and applies the emulation.
   *
   * @param version the version
   * @param tls the server certificate, or null for no TLS
   * @return the started server
   */
  public static EmbeddedServer start(PostgresVersion version, TestCertificates tls) {
    long started = System.nanoTime();
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setPgBinaryResolver(PgBinaries.resolver(version))
            .setOverrideWorkingDirectory(
                new File(System.getProperty("java.io.tmpdir"), "grantsmith-pg"))
            .setPGStartupWait(Duration.ofSeconds(90))
            .setLocaleConfig("locale", "C")
            .setDataDirectoryCustomizer(dataDir -> writeHba(dataDir));
    for (Map.Entry<String, String> setting : AzureEmulation.serverSettings().entrySet()) {
      builder.setServerConfig(setting.getKey(), setting.getValue());
    }
    if (tls != null) {
      builder.setServerConfig("ssl", "on");
      builder.setServerConfig("ssl_cert_file", quoteSetting(tls.certificate().toString()));
      builder.setServerConfig("ssl_key_file", quoteSetting(tls.privateKey().toString()));
    }
    EmbeddedPostgres postgres;
    try {
      postgres = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot start embedded " + version, e);
    }
    EmbeddedServer server = new EmbeddedServer(version, postgres, randomPassword(), tls);
    try {
      server.emulateAzure();
    } catch (RuntimeException e) {
      server.closeForReal();
      throw e;
    }
    LOG.info(
        "Embedded {} ({}) ready on port {}{} in {} ms",
        version,
        version.binariesVersion(),
        postgres.getPort(),
        tls == null ? "" : " with TLS",
        (System.nanoTime() - started) / 1_000_000);
    return server;
  }

  private static String quoteSetting(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /**
   * Returns the certificate the server presents, if it was started with TLS.
   *
   * @return the certificate files, or empty
   */
  @Override
  public Optional<TestCertificates> tlsCertificates() {
    return Optional.ofNullable(tls);
  }

  private static void writeHba(File dataDir) {
    try {
      Files.writeString(
          dataDir.toPath().resolve("pg_hba.conf"),
          AzureEmulation.pgHba(SUPERUSER),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void emulateAzure() {
    for (AzureEmulation.Step step :
        AzureEmulation.steps(version.major(), adminPassword, "postgres")) {
      try (Connection c = superuserConnection(step.database())) {
        Sql.execute(c, step.sql());
      } catch (SQLException e) {
        throw new IllegalStateException(
            Sql.describe("Azure emulation failed on " + version, step.sql(), e), e);
      }
    }
  }

  @Override
  public int majorVersion() {
    return version.major();
  }

  @Override
  public ServerType type() {
    return ServerType.EMBEDDED;
  }

  @Override
  public String host() {
    return "localhost";
  }

  @Override
  public int port() {
    return postgres.getPort();
  }

  @Override
  public String adminUser() {
    return AzureEmulation.ADMIN_USER;
  }

  @Override
  public String adminPassword() {
    return adminPassword;
  }

  @Override
  public Connection superuserConnection(String database) throws SQLException {
    return connect(database, SUPERUSER, null);
  }

  @Override
  protected Map<String, String> urlParameters() {
    return Map.of("sslmode", "disable");
  }

  @Override
  protected void shutdown() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("Could not stop embedded {}", version, e);
    }
  }
}
