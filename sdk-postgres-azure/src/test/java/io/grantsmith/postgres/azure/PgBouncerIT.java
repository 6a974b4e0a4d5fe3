package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.manager;
import static io.grantsmith.postgres.azure.AccessFixtures.offset;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.SecretRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.PgBouncer;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.ServerType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;

/**
 * Issue 18: the whole lifecycle through a real PgBouncer pooling in transaction mode with Azure's
 * defaults (no ignored startup parameters, no prepared statements tracked), every access proven by
 * logging in directly as the user, and through the pooler where a user would. Kept lean: it runs on
 * the newest of the configured versions only (PostgreSQL 18 in CI's matrix; {@code
 * -Dgrantsmith.pg.versions=13} runs it on 13).
 */
class PgBouncerIT {

  @AzurePostgresTest
  void theLifecycleWorksThroughTransactionPooling(AzurePostgres server) throws Exception {
    Assumptions.assumeTrue(server.type() == ServerType.EMBEDDED, "pgbouncer runs locally");
    Assumptions.assumeTrue(
        server.majorVersion() == newestConfigured(),
        "kept lean: on the newest configured version only");
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    try (PgBouncer pooler = PgBouncer.inFrontOf(server)) {
      System.out.println("POOLER " + pooler);
      // Shaped like Azure's: startup options are refused (the cause of the first failure).
      java.util.Properties withOptions = new java.util.Properties();
      withOptions.setProperty("user", tc.name);
      withOptions.setProperty("password", tc.password.reveal());
      withOptions.setProperty("options", "-c statement_timeout=1000");
      assertThatThrownBy(
              () ->
                  java.sql.DriverManager.getConnection(pooler.jdbcUrl("postgres"), withOptions)
                      .close())
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08P01"));
      Integration integration =
          Integration.builder()
              .from(integration(tc, 0))
              .hostname(pooler.host())
              .port(pooler.port())
              .build();
      AccessManager manager = manager(tc, integration, Clock.systemUTC());

      // A grant, then a second one: the second failed with 42P05 (a named statement taken on
      // the pooled server connection) while the driver prepared statements on the server.
      AccessGrant g =
          manager.grant(
              request(
                  integration,
                  "pooled-alice",
                  AccessLevel.READ_ONLY,
                  Duration.ofHours(1),
                  ResourceRef.relation(db, "app", "t")));
      String user = g.username();
      String pw = g.password().orElseThrow().reveal();
      assertThat(g.jdbcUrl()).contains(":" + pooler.port() + "/");
      assertThat(server)
          .user(user, pw)
          .canLogin(db)
          .canSelectFrom(db, "app.t")
          .cannotInsertInto(db, "app.t");
      assertThat(countThroughPooler(pooler, db, user, pw, "app.t")).isNotNegative();

      AccessGrant g2 =
          manager.grant(
              request(
                  integration,
                  "pooled-alice",
                  AccessLevel.ADMIN,
                  Duration.ofHours(2),
                  ResourceRef.schema(db, "app")));
      assertThat(g2.username()).isEqualTo(user);
      assertThat(server).user(user, pw).canInsertInto(db, "app.t").canSelectFrom(db, "app.secret");
      assertThat(countThroughPooler(pooler, db, user, pw, "app.secret")).isNotNegative();

      // Extend, then revoke: login fails directly and through the pooler.
      assertThat(manager.extend(user, Duration.ofMinutes(30))).isPresent();
      manager.revoke(user);
      assertThat(server).user(user, pw).cannotLogin(db);
      assertThatThrownBy(() -> pooler.connect(db, user, pw).close())
          .isInstanceOf(SQLException.class);

      // The sweep's lock is transaction-scoped: held in a transaction through the pooler, a
      // sweep skips; once it ends, the sweep runs.
      try (Connection c = pooler.connect("postgres", tc.name, tc.password.reveal());
          Statement st = c.createStatement()) {
        c.setAutoCommit(false);
        st.execute("SELECT pg_advisory_xact_lock(" + AccessManager.SWEEP_LOCK_KEY + ")");
        assertThat(manager.sweep().skipped()).isTrue();
        c.rollback();
      }

      // Two replicas sweep at once, three hours on: each expired lease is revoked once and the
      // users dropped (cleanup after 0 days); nothing fails.
      String bob = grantRead(manager, integration, db, "pooled-bob");
      String carol = grantRead(manager, integration, db, "pooled-carol");
      List<AccessManager> replicas =
          List.of(
              manager(tc, integration, offset(Duration.ofHours(3))),
              manager(tc, integration, offset(Duration.ofHours(3))));
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<SweepResult>> sweeps =
          replicas.stream()
              .map(
                  r ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            try {
                              start.await();
                            } catch (InterruptedException e) {
                              Thread.currentThread().interrupt();
                            }
                            return r.sweep();
                          }))
              .toList();
      start.countDown();
      Set<String> revoked = new HashSet<>();
      for (CompletableFuture<SweepResult> f : sweeps) {
        SweepResult r = f.get();
        System.out.println("POOLER sweep " + r);
        assertThat(r.failed()).isEmpty();
        for (String u : r.revoked()) {
          assertThat(revoked.add(u)).as("revoked once: " + u).isTrue();
        }
      }
      assertThat(revoked).contains(bob, carol);
      for (String u : List.of(bob, carol, user)) {
        assertThat(server).role(u).doesNotExist();
      }

      // The connector's password is rotated through the pooler; the pooler takes the new one at
      // once and the manager goes on with it.
      AccessSecretsIT.MemoryStore store = new AccessSecretsIT.MemoryStore(tc.credentials());
      Credentials next =
          manager.rotateConnectorPassword(store, SecretRef.environment("GRANTSMITH_TEST"));
      assertThat(server).user(tc.name, next.password().reveal()).canLogin("postgres");
      assertThat(server).user(tc.name, tc.password.reveal()).cannotLogin("postgres");
      pooler.connect("postgres", tc.name, next.password().reveal()).close();
      String dave = grantRead(manager, integration, db, "pooled-dave");
      assertThat(server).role(dave).exists();
      manager.revoke(dave);
      assertThat(server).role(dave).doesNotExist();
    }
  }

  @AzurePostgresTest
  void statementPoolingIsRefusedBeforeAnyChange(AzurePostgres server) throws Exception {
    Assumptions.assumeTrue(server.type() == ServerType.EMBEDDED, "pgbouncer runs locally");
    Assumptions.assumeTrue(
        server.majorVersion() == newestConfigured(),
        "kept lean: on the newest configured version only");
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    try (PgBouncer pooler = PgBouncer.inFrontOf(server, PgBouncer.PoolMode.STATEMENT)) {
      Integration integration =
          Integration.builder()
              .from(integration(tc, 0))
              .hostname(pooler.host())
              .port(pooler.port())
              .build();
      AccessManager manager = manager(tc, integration, Clock.systemUTC());
      String before = managedUsers(server);
      assertThatThrownBy(() -> grantRead(manager, integration, db, "pooled-erin"))
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining("pooler on port " + pooler.port())
          .hasMessageContaining("PgBouncer")
          .hasMessageContaining("port 5432")
          .hasMessageContaining("Nothing was changed");
      assertThat(managedUsers(server)).isEqualTo(before);
      assertThatThrownBy(manager::sweep)
          .isInstanceOf(GrantsmithException.class)
          .hasMessageContaining("port 5432");
    }
  }

  private static String managedUsers(AzurePostgres server) throws SQLException {
    return AccessFixtures.scalar(
        server,
        "postgres",
        "SELECT count(*) || ':' || coalesce(string_agg(rolname, ',' ORDER BY rolname), '')"
            + " FROM pg_roles WHERE rolname LIKE 'gs\\_pooled\\_erin%'");
  }

  /** The newest of the versions this run tests ({@code -Dgrantsmith.pg.versions}). */
  private static int newestConfigured() {
    return PostgresVersion.configured().stream().mapToInt(PostgresVersion::major).max().orElse(0);
  }

  private static String grantRead(
      AccessManager manager, Integration integration, String db, String grantee)
      throws SQLException {
    AccessGrant g =
        manager.grant(
            request(
                integration,
                grantee,
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.relation(db, "app", "t")));
    return g.username();
  }

  private static long countThroughPooler(
      PgBouncer pooler, String db, String user, String pw, String table) throws SQLException {
    try (Connection c = pooler.connect(db, user, pw);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
