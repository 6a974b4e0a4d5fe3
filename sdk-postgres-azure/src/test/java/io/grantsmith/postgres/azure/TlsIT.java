package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.TestCertificates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 8, point 7: end-to-end TLS against an embedded server started with TLS on and a self-signed
 * certificate for {@code localhost} only (no IP in its SAN), on every configured version. {@code
 * sslmode=require} through {@link ConnectionSource#of} really encrypts ({@code pg_stat_ssl.ssl})
 * and a whole grant works over it; {@code verify-full} succeeds with {@code sslrootcert} for {@code
 * localhost} and fails with SQLSTATE 08006 for {@code 127.0.0.1}, a host name the certificate is
 * not for, and without a root certificate. Every connection the SDK opens as the connector during
 * the grant and the revoke is asked whether it is encrypted. The root certificate reaches pgjdbc
 * through {@link Integration#sslRootCert()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
  /** The fewest connections the SDK opens in the grant below (reads and writes). */
  static final int MIN_IN_GRANT = 7;

  /**
   * The fewest connections the SDK opens in the revoke below (the user's privileges are its
   * bundles', so the revoke works in the shared database only).
   */
  static final int MIN_IN_REVOKE = 8;

  private final java.util.Map<Integer, AzurePostgres> servers = new java.util.LinkedHashMap<>();
  private TestCertificates certs;

  @BeforeAll
  void start() {
    certs = TestCertificates.selfSigned("localhost", List.of("localhost"), List.of());
  }

  @AfterAll
  void stop() {
    servers.values().forEach(AzurePostgres::close);
  }

  private AzurePostgres server(int major) {
    return servers.computeIfAbsent(major, m -> AzurePostgres.embeddedWithTls(m, certs));
  }

  private static Integration integration(String host, AzurePostgres server, SslMode mode) {
    return Integration.builder()
        .name("tls")
        .hostname(host)
        .port(server.port())
        .sslMode(mode)
        .build();
  }

  private static Credentials admin(AzurePostgres server) {
    return Credentials.of(server.adminUser(), Secret.of(server.adminPassword()));
  }

  /** {@link ConnectionSource#of} for the integration with the test CA as its root. */
  private ConnectionSource withRootCert(Integration integration, Credentials credentials) {
    return ConnectionSource.of(
        Integration.builder()
            .from(integration)
            .sslRootCert(certs.rootCertificate().toString())
            .build(),
        credentials);
  }

  /**
   * Hands out the connections of a source after asking the server whether each one is encrypted
   * ({@code pg_stat_ssl.ssl} of its own backend), counting them.
   */
  static final class SslChecking implements ConnectionSource {
    final ConnectionSource delegate;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger encrypted = new AtomicInteger();
    final Set<String> databases = ConcurrentHashMap.newKeySet();

    SslChecking(ConnectionSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection open(String database) throws SQLException {
      Connection c = delegate.open(database);
      opened.incrementAndGet();
      databases.add(database);
      if (ssl(c)) {
        encrypted.incrementAndGet();
      }
      return c;
    }
  }

  private static boolean ssl(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @TestFactory
  List<DynamicTest> tls() {
    return PostgresVersion.configured().stream()
        .map(
            v -> DynamicTest.dynamicTest("PostgreSQL " + v.major(), () -> check(server(v.major()))))
        .toList();
  }

  private void check(AzurePostgres server) throws Exception {
    // require: encrypted, no certificate check.
    try (Connection c =
        ConnectionSource.of(integration("localhost", server, SslMode.REQUIRE), admin(server))
            .open("postgres")) {
      assertThat(ssl(c)).as("require encrypts").isTrue();
    }
    // disable really is plain text on the same server, so the check above means something.
    try (Connection c =
        ConnectionSource.of(integration("localhost", server, SslMode.DISABLE), admin(server))
            .open("postgres")) {
      assertThat(ssl(c)).as("disable does not encrypt").isFalse();
    }
    // verify-full with the root certificate and the right host name.
    try (Connection c =
        withRootCert(integration("localhost", server, SslMode.VERIFY_FULL), admin(server))
            .open("postgres")) {
      assertThat(ssl(c)).isTrue();
    }
    // verify-ca does not check the host name: 127.0.0.1 passes.
    try (Connection c =
        withRootCert(integration("127.0.0.1", server, SslMode.VERIFY_CA), admin(server))
            .open("postgres")) {
      assertThat(ssl(c)).isTrue();
    }
    // verify-full against a certificate for another host name.
    assertThatThrownBy(
            () ->
                withRootCert(integration("127.0.0.1", server, SslMode.VERIFY_FULL), admin(server))
                    .open("postgres")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("127.0.0.1")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));
    // verify-full without a root certificate (pgjdbc looks in ~/.postgresql/root.crt).
    assertThatThrownBy(
            () ->
                ConnectionSource.of(
                        integration("localhost", server, SslMode.VERIFY_FULL), admin(server))
                    .open("postgres")
                    .close())
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08006"));

    // A whole grant and revoke as a connector over sslmode=require.
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration =
        Integration.builder()
            .from(tc.integration)
            .name("tls-" + tc.name)
            .sslMode(SslMode.REQUIRE)
            .build();
    // Every connection the SDK opens as the connector (AccessManager's reads, JdbcExecutor's
    // writes) is asked whether it is encrypted.
    SslChecking sdk = new SslChecking(ConnectionSource.of(integration, tc.credentials()));
    AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .connections(sdk)
            .connector(tc.name)
            .build();
    AccessGrant g =
        manager.grant(
            AccessFixtures.request(
                integration,
                "tls-user",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    int inGrant = sdk.opened.get();
    assertThat(g.sslMode()).isEqualTo(SslMode.REQUIRE);
    try (Connection c =
            ConnectionSource.of(
                    integration, Credentials.of(g.username(), g.password().orElseThrow()))
                .open(db);
        Statement st = c.createStatement()) {
      assertThat(ssl(c)).isTrue();
      st.executeQuery("SELECT * FROM app.t").close();
    }
    manager.revoke(g.username());
    int inRevoke = sdk.opened.get() - inGrant;
    System.out.printf(
        "HARDENING tls PG%d: %d SDK connections over require (%d in the grant,"
            + " %d in the revoke, in %d databases), %d encrypted%n",
        server.majorVersion(),
        sdk.opened.get(),
        inGrant,
        inRevoke,
        sdk.databases.size(),
        sdk.encrypted.get());
    assertThat(inGrant).as("SDK connections in the grant").isGreaterThanOrEqualTo(MIN_IN_GRANT);
    assertThat(inRevoke).as("SDK connections in the revoke").isGreaterThanOrEqualTo(MIN_IN_REVOKE);
    assertThat(sdk.encrypted.get()).as("encrypted SDK connections").isEqualTo(sdk.opened.get());
    assertThat(sdk.databases)
        .as("databases the SDK connected to")
        .containsExactlyInAnyOrder("postgres", db);
    io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
        .user(g.username(), g.password().get().reveal())
        .cannotLogin(db);
  }
}
