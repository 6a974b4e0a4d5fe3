package io.grantsmith.benchmarks;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SslMode;
import io.grantsmith.postgres.azure.AccessGrant;
import io.grantsmith.postgres.azure.AccessManager;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.Planner;
import io.grantsmith.postgres.azure.PostgresCatalogReader;
import io.grantsmith.postgres.azure.SweepResult;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.Estate;
import io.grantsmith.testkit.PgBouncer;
import io.grantsmith.testkit.TcpRelay;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Grantsmith performance suite (issue 7). Starts one embedded PostgreSQL, builds the estates,
 * sets up a connector (non-superuser, {@code azure_pg_admin}) and times Grantsmith side by side
 * with the floor and the usual ways, every comparison in the same run. Run it with {@code
 * benchmarks/run}; {@code --help} lists the options.
 */
public final class Bench {

  private static final String CONNECTOR = "bench_connector";
  private static final String X1 = "bench_x1";
  private static final String SMALL = "bench_small";
  private static final String WIDE = "bench_wide";
  private static final int WIDE_TABLES = 5000;
  private static final int SCHEMAS = 200;
  private static final int TABLES = 25;
  private static final int ROLE_STEP = 500;
  private static final String ROLE = "__role__";

  // Options.
  private int pg = 17;
  private int reps = 5;
  private int warmup = 1;
  private int concurrencySeconds = 30;
  private int requests = 200;
  private int bigRequests = 50;
  private int leases = 1000;
  private int holders = 20;
  private int roles = 3000;
  private int perStatementSubset = 520;
  private List<Integer> scales = List.of(1, 4, 16);
  private java.util.Set<String> only = java.util.Set.of();
  private Path out =
      Files.isDirectory(Path.of("benchmarks"))
          ? Path.of("benchmarks", "target")
          : Path.of("target");

  private final Report report = new Report();
  private final long suiteStart = System.nanoTime();
  private AzurePostgres server;
  private Integration integration;
  private Credentials connector;
  private ConnectionSource connections;
  private AccessManager manager;
  private final AtomicInteger ids = new AtomicInteger();
  private double grantX1Millis = Double.NaN;
  private final List<String> databases = new ArrayList<>();

  private Bench() {}

  /**
   * Runs the suite.
   *
   * @param args options, see {@code --help}
   * @throws Exception if the suite cannot run
   */
  public static void main(String[] args) throws Exception {
    Bench b = new Bench();
    if (!b.parse(args)) {
      return;
    }
    b.run();
  }

  private boolean parse(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (a) {
        case "--pg" -> pg = Integer.parseInt(args[++i]);
        case "--reps" -> reps = Math.max(1, Integer.parseInt(args[++i]));
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--concurrency-seconds" -> concurrencySeconds = Integer.parseInt(args[++i]);
        case "--requests" -> requests = Integer.parseInt(args[++i]);
        case "--big-requests" -> bigRequests = Integer.parseInt(args[++i]);
        case "--leases" -> leases = Integer.parseInt(args[++i]);
        case "--holders" -> holders = Integer.parseInt(args[++i]);
        case "--roles" -> roles = Math.max(ROLE_STEP, Integer.parseInt(args[++i]));
        case "--subset" -> perStatementSubset = Integer.parseInt(args[++i]);
        case "--scales" -> {
          List<Integer> s = new ArrayList<>();
          for (String x : v.split(",")) {
            s.add(Integer.parseInt(x.trim()));
          }
          scales = s;
          i++;
        }
        case "--out" -> out = Path.of(args[++i]);
        case "--items" -> only = java.util.Set.of(args[++i].split(","));
        default -> {
          System.out.println(
              """
                            Grantsmith benchmarks (issue 7). Options:
                              --pg N                   PostgreSQL major version of the embedded server (default 17)
                              --reps N                 timed repetitions per measure, median quoted (default 5)
                              --warmup N               untimed warm-up runs per measure (default 1)
                              --concurrency-seconds N  duration of item 7 (default 30)
                              --requests N             single requests timed in item 5 (default 200)
                              --big-requests N         single requests timed in item 5 on the 5,000-table database (default 50)
                              --leases N               expired leases swept in item 8 (default 1000)
                              --holders N              people holding the 5,000-table schema before item 11 times (default 20)
                              --roles N                roles the connector creates in item 12, in steps of 500 (default 3000)
                              --subset N               statements timed for one-per-round-trip under latency (default 520)
                              --scales 1,4,16          estate multiples for item 9 (default 1,4,16)
                              --out DIR                where results.json and results.md go (default benchmarks/target)
                              --items 1,4,5            run only these items (default: all; 3 runs with 1, 9 needs --scales,
                                                   10 runs through a local pgbouncer)""");
          return false;
        }
      }
    }
    return true;
  }

  // ------------------------------------------------------------------------------------ setup

  private void log(String text) {
    System.out.printf(Locale.ROOT, "[%6.1f s] %s%n", (System.nanoTime() - suiteStart) / 1e9, text);
    System.out.flush();
  }

  private void run() throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    var os = ManagementFactory.getOperatingSystemMXBean();
    report.env("date", Instant.now().toString());
    report.env(
        "jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    report.env("cores", Runtime.getRuntime().availableProcessors());
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      report.env(
          "memory_gib", Math.round(sun.getTotalMemorySize() / (1024.0 * 1024 * 1024) * 10) / 10.0);
    }
    report.env("load_average_start", os.getSystemLoadAverage());
    report.env("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    report.env("repetitions", reps);
    report.env("warmup", warmup);
    log("starting embedded PostgreSQL " + pg);
    server = AzurePostgres.embedded(pg);
    try {
      try (Connection c = server.adminConnection("postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW server_version")) {
        rs.next();
        report.env("postgresql", rs.getString(1));
      }
      setUp();
      items();
    } finally {
      report.env("load_average_end", os.getSystemLoadAverage());
      report.env("suite_seconds", Math.round((System.nanoTime() - suiteStart) / 1e8) / 10.0);
      String md = report.markdown();
      System.out.println();
      System.out.println(md);
      Files.createDirectories(out);
      Files.writeString(out.resolve("results.json"), report.json(), StandardCharsets.UTF_8);
      Files.writeString(out.resolve("results.md"), md, StandardCharsets.UTF_8);
      log("wrote " + out.resolve("results.json"));
      server.close();
    }
  }

  private void setUp() throws Exception {
    List<String> dbs = new ArrayList<>(List.of("postgres", X1, SMALL));
    if (only.isEmpty() || only.contains("11")) {
      dbs.add(WIDE);
    }
    for (int scale : scales) {
      if (scale != 1) {
        dbs.add(scaled(scale));
      }
    }
    for (String db : dbs.subList(1, dbs.size())) {
      server.createDatabase(db);
      int schemas =
          db.equals(SMALL) || db.equals(WIDE)
              ? (db.equals(SMALL) ? 4 : 1)
              : SCHEMAS * (db.equals(X1) ? 1 : scaleOf(db));
      int tables = db.equals(SMALL) ? 10 : db.equals(WIDE) ? WIDE_TABLES : TABLES;
      long t0 = System.nanoTime();
      Estate.builder().inDatabase(db).schemas(schemas).tables(tables).create(server);
      log(
          String.format(
              Locale.ROOT,
              "created %s: %d schemas x %d tables in %.1f s",
              db,
              schemas,
              tables,
              (System.nanoTime() - t0) / 1e9));
    }
    databases.addAll(dbs);
    Secret password =
        Secret.of("bench-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-Pw1");
    ConnectorSetup setup =
        ConnectorSetup.builder()
            .connectorName(CONNECTOR)
            .majorVersion(server.majorVersion())
            .build();
    ConnectionSource admin = server::adminConnection;
    long t0 = System.nanoTime();
    JdbcExecutor.builder().connections(admin).build().apply(setup.plan(password, dbs));
    log(
        String.format(
            Locale.ROOT,
            "connector set up in %d databases in %.1f s (ConnectorSetup, as %s)",
            dbs.size(),
            (System.nanoTime() - t0) / 1e9,
            server.adminUser()));
    integration =
        Integration.builder()
            .name("bench")
            .hostname(server.host())
            .port(server.port())
            .sslMode(SslMode.DISABLE)
            .userCleanupAfterDays(0)
            .build();
    connector = Credentials.of(CONNECTOR, password);
    connections = ConnectionSource.of(integration, connector);
    manager = AccessManager.builder().integration(integration).credentials(connector).build();
    try (Connection c = connections.open("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      if (rs.getBoolean(1)) {
        throw new IllegalStateException("the connector must not be a superuser");
      }
    }
  }

  private static String scaled(int scale) {
    return scale == 1 ? X1 : "bench_x" + scale;
  }

  private static int scaleOf(String db) {
    return Integer.parseInt(db.substring("bench_x".length()));
  }

  private void items() {
    // Planning first: it needs no server, and later items leave the server busy (autovacuum
    // after thousands of grants and drops) on a machine of two cores.
    guard("6", this::item6);
    guard("1", () -> item1and3(X1, 1));
    guard("2", this::item2);
    guard("4", () -> item4(X1, 1));
    guard("5", this::item5);
    guard("7", this::item7);
    guard("8", this::item8);
    guard("10", this::item10);
    guard("11", this::item11);
    guard("12", this::item12);
    for (int scale : scales) {
      if (scale != 1) {
        guard("9", () -> item1and3(scaled(scale), scale));
        guard("9", () -> item4(scaled(scale), scale));
      }
    }
  }

  /** Runs an item; a failure becomes a failed row instead of ending the suite. */
  private void guard(String item, Stats.Body body) {
    if (!only.isEmpty() && !only.contains(item)) {
      return;
    }
    try {
      body.run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      report.add(
          item,
          "item " + item + " could not run",
          null,
          null,
          null,
          null,
          false,
          e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
    }
  }

  // ------------------------------------------------------------------ raw ways (comparisons)

  /** The explicit statements of read-only access to every managed schema and relation of db. */
  private List<String> explicitStatements(ConnectionSource src, String db, String role)
      throws SQLException {
    List<String> out = new ArrayList<>();
    out.add("CREATE ROLE " + role + " NOLOGIN");
    out.add("GRANT CONNECT ON DATABASE " + db + " TO " + role);
    try (Connection c = src.open(db);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT 'GRANT USAGE ON SCHEMA ' || quote_ident(nspname) || ' TO ' FROM"
                    + " pg_namespace WHERE nspname !~ '^pg_' AND nspname NOT IN ('information_schema', 'cron')"
                    + " UNION ALL SELECT 'GRANT SELECT ON TABLE ' || quote_ident(n.nspname) || '.'"
                    + " || quote_ident(c.relname) || ' TO ' FROM pg_class c JOIN pg_namespace n"
                    + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')"
                    + " AND n.nspname !~ '^pg_' AND n.nspname NOT IN ('information_schema', 'cron')")) {
      while (rs.next()) {
        out.add(rs.getString(1) + role);
      }
    }
    return out;
  }

  private static String doLoop(String db, String role) {
    return "CREATE ROLE "
        + role
        + " NOLOGIN; GRANT CONNECT ON DATABASE "
        + db
        + " TO "
        + role
        + ";"
        + " DO $$ DECLARE s text; BEGIN FOR s IN SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_'"
        + " AND nspname NOT IN ('information_schema', 'cron') LOOP"
        + " EXECUTE format('GRANT USAGE ON SCHEMA %I TO "
        + role
        + "', s);"
        + " EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO "
        + role
        + "', s);"
        + " END LOOP; END $$";
  }

  private void dropRaw(String db, String role) throws SQLException {
    try (Connection c = connections.open(db);
        Statement st = c.createStatement()) {
      st.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
    }
  }

  private String rawRole() {
    return "bench_raw_" + ids.incrementAndGet();
  }

  private AccessRequest bulkRequest(Integration in, String db) {
    int n = ids.incrementAndGet();
    return AccessRequest.builder()
        .requestId("bulk-" + n)
        .grantee("bulk" + n + "@example.com")
        .integration(in)
        .addResource(ResourceRef.database(db))
        .level(AccessLevel.READ_ONLY)
        .duration(Duration.ofHours(1))
        .build();
  }

  private static Stats timeOnOpen(
      ConnectionSource src, String db, int warmup, int reps, RoleBody body, RoleCleanup cleanup)
      throws Exception {
    Stats s = new Stats();
    try (Connection c = src.open(db)) {
      for (int i = 0; i < warmup + reps; i++) {
        String role = "bench_raw_" + ThreadLocalRandom.current().nextInt(1_000_000_000);
        long t0 = System.nanoTime();
        body.run(c, role);
        long t = System.nanoTime() - t0;
        cleanup.run(role);
        if (i >= warmup) {
          s.add(t);
        }
      }
    }
    return s;
  }

  @FunctionalInterface
  private interface RoleBody {
    void run(Connection c, String role) throws Exception;
  }

  @FunctionalInterface
  private interface RoleCleanup {
    void run(String role) throws Exception;
  }

  // --------------------------------------------------------------------------------- items

  /** Items 1 and 3 (and 9 for scale > 1): bulk read-only access and its revocation. */
  private void item1and3(String db, int scale) throws Exception {
    String tag = scale == 1 ? "1" : "9";
    int w = scale >= 16 ? Math.min(warmup, 1) : warmup;
    log("item " + tag + ": bulk read-only access on " + db);
    List<String> explicit = explicitStatements(connections, db, ROLE);
    int privileges = explicit.size() - 1;
    // Grantsmith, from request to done; revocation timed after each grant (item 3).
    Stats grant = new Stats();
    Stats revoke = new Stats();
    String detail = "";
    for (int i = 0; i < w + reps; i++) {
      AccessRequest req = bulkRequest(integration, db);
      long t0 = System.nanoTime();
      AccessGrant g = manager.grant(req);
      long tg = System.nanoTime() - t0;
      t0 = System.nanoTime();
      manager.revoke(g.username());
      long tr = System.nanoTime() - t0;
      if (i >= w) {
        grant.add(tg);
        revoke.add(tr);
      }
      ApplyResult a = g.applyResult();
      long applyNanos = a.databases().stream().mapToLong(d -> d.elapsed().toNanos()).sum();
      detail =
          String.format(
              Locale.ROOT,
              "Grantsmith sent %d statements in %d round trips; the executor took %s"
                  + " of %s (the rest: reading the roles and %d catalog snapshots, planning)",
              a.statements(),
              a.roundTrips(),
              Report.ms(applyNanos / 1e6),
              Report.ms(tg / 1e6),
              a.databases().size());
    }
    Stats floor =
        timeOnOpen(
            connections,
            db,
            w,
            reps,
            (c, role) -> {
              try (Statement st = c.createStatement()) {
                st.execute(String.join(";\n", explicitStatements(role, explicit)));
              }
            },
            role -> dropRaw(db, role));
    String size = String.format(Locale.ROOT, "%,d privileges", privileges);
    String pfx = scale == 1 ? "" : scale + "× estate: ";
    double g = grant.medianMillis();
    double f = floor.medianMillis();
    report.add(
        tag,
        pfx
            + "bulk read-only grant, "
            + size
            + ", request to done vs floor (explicit GRANTs, one round"
            + " trip, open connection)",
        Report.ms(g),
        Report.ms(f),
        g / f,
        "≤ 1.5×",
        g / f <= 1.5,
        detail);
    if (scale == 1) {
      grantX1Millis = g;
      Stats loop =
          timeOnOpen(
              connections,
              db,
              w,
              reps,
              (c, role) -> {
                try (Statement st = c.createStatement()) {
                  st.execute(doLoop(db, role));
                }
              },
              role -> dropRaw(db, role));
      double l = loop.medianMillis();
      report.add(
          tag,
          "… vs the reference's way (ALL TABLES IN SCHEMA in a DO loop, one round trip)",
          Report.ms(g),
          Report.ms(l),
          g / l,
          "< 1×",
          g < l,
          null);
      Stats each =
          timeOnOpen(
              connections,
              db,
              w,
              reps,
              (c, role) -> {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                  for (String s : explicitStatements(role, explicit)) {
                    st.execute(s);
                  }
                }
              },
              role -> dropRaw(db, role));
      double e = each.medianMillis();
      report.add(
          tag,
          "… vs one statement per round trip (autocommit)",
          Report.ms(g),
          Report.ms(e),
          g / e,
          "< 1×",
          g < e,
          null);
    }
    double r = revoke.medianMillis();
    report.add(
        scale == 1 ? "3" : "9",
        pfx
            + "revoke that access (every privilege in every database, role dropped)"
            + " vs granting it",
        Report.ms(r),
        Report.ms(g),
        r / g,
        "≤ 2×",
        r / g <= 2.0,
        "AccessManager.revoke with cleanup period 0: LOGIN off, sessions ended, REASSIGN/DROP OWNED in each of "
            + "the server's databases, role dropped");
  }

  private static List<String> explicitStatements(String role, List<String> template) {
    List<String> out = new ArrayList<>(template.size());
    for (String s : template) {
      out.add(s.replace(ROLE, role));
    }
    return out;
  }

  /** Item 2: the same through a relay that delays each direction by 1 ms. */
  private void item2() throws Exception {
    log("item 2: bulk grant under 1 ms latency each way");
    try (TcpRelay relay =
        TcpRelay.to(server.host(), server.port()).delay(Duration.ofMillis(1)).start()) {
      Integration far =
          Integration.builder().from(integration).hostname(relay.host()).port(relay.port()).build();
      ConnectionSource farConnections = ConnectionSource.of(far, connector);
      AccessManager farManager =
          AccessManager.builder().integration(far).credentials(connector).build();
      List<String> explicit = explicitStatements(connections, X1, ROLE);
      Stats grant = new Stats();
      for (int i = 0; i < warmup + reps; i++) {
        AccessRequest req = bulkRequest(far, X1);
        long t0 = System.nanoTime();
        AccessGrant g = farManager.grant(req);
        long t = System.nanoTime() - t0;
        manager.revoke(g.username());
        if (i >= warmup) {
          grant.add(t);
        }
      }
      Stats floor =
          timeOnOpen(
              farConnections,
              X1,
              warmup,
              reps,
              (c, role) -> {
                try (Statement st = c.createStatement()) {
                  st.execute(String.join(";\n", explicitStatements(role, explicit)));
                }
              },
              role -> dropRaw(X1, role));
      int subset = Math.min(perStatementSubset, explicit.size());
      Stats each =
          timeOnOpen(
              farConnections,
              X1,
              Math.min(warmup, 1),
              reps,
              (c, role) -> {
                c.setAutoCommit(true);
                try (Statement st = c.createStatement()) {
                  for (String s : explicitStatements(role, explicit).subList(0, subset)) {
                    st.execute(s);
                  }
                }
              },
              role -> dropRaw(X1, role));
      double g = grant.medianMillis();
      double f = floor.medianMillis();
      double e = each.medianMillis() * explicit.size() / subset;
      long rtt = relayRoundTrip(farConnections);
      report.add(
          "2",
          "bulk grant under latency (relay, 1 ms each way) vs floor",
          Report.ms(g),
          Report.ms(f),
          g / f,
          "≤ 1.5×",
          g / f <= 1.5,
          String.format(
              Locale.ROOT,
              "measured SELECT 1 round trip through the relay:" + " %s",
              Report.ms(rtt / 1e6)));
      report.add(
          "2",
          "… vs one statement per round trip",
          Report.ms(g),
          Report.ms(e),
          g / e,
          "≤ 0.05× (20× faster)",
          g / e <= 0.05,
          String.format(
              Locale.ROOT,
              "one-per-round-trip timed on the first %d of %d statements"
                  + " and scaled linearly (median %s for the subset)",
              subset,
              explicit.size(),
              Report.ms(each.medianMillis())));
    }
  }

  private static long relayRoundTrip(ConnectionSource src) throws SQLException {
    Stats s = new Stats();
    try (Connection c = src.open("postgres");
        Statement st = c.createStatement()) {
      for (int i = 0; i < 25; i++) {
        long t0 = System.nanoTime();
        st.execute("SELECT 1");
        s.add(System.nanoTime() - t0);
      }
    }
    return (long) s.median();
  }

  private static final String ACLEXPLODE =
      "SELECT c.oid, a.grantor, a.grantee, a.privilege_type, a.is_grantable"
          + " FROM pg_class c, aclexplode(c.relacl) a"
          + " UNION ALL SELECT n.oid, a.* FROM pg_namespace n, aclexplode(n.nspacl) a"
          + " UNION ALL SELECT p.oid, a.* FROM pg_proc p, aclexplode(p.proacl) a"
          + " UNION ALL SELECT d.oid, a.* FROM pg_database d, aclexplode(d.datacl) a"
          + " WHERE d.datname = current_database()"
          + " UNION ALL SELECT d.oid, a.* FROM pg_default_acl d, aclexplode(d.defaclacl) a";

  /** Item 4 (and 9): a full snapshot vs the bare aclexplode query, both on an open connection. */
  private void item4(String db, int scale) throws Exception {
    log("item " + (scale == 1 ? "4" : "9") + ": introspection of " + db);
    try (Connection c = connections.open(db)) {
      long[] rows = {0};
      int[] objects = {0};
      Stats snap =
          Stats.time(
              warmup + 1,
              reps,
              null,
              () -> objects[0] = PostgresCatalogReader.read(c).objects().size(),
              null);
      Stats bare =
          Stats.time(
              warmup + 1,
              reps,
              null,
              () -> {
                long n = 0;
                try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery(ACLEXPLODE)) {
                  while (rs.next()) {
                    rs.getLong(1);
                    rs.getLong(2);
                    rs.getLong(3);
                    rs.getString(4);
                    rs.getBoolean(5);
                    n++;
                  }
                }
                rows[0] = n;
              },
              null);
      double s = snap.medianMillis();
      double b = bare.medianMillis();
      report.add(
          scale == 1 ? "4" : "9",
          (scale == 1 ? "" : scale + "× estate: ")
              + "introspection: full snapshot vs bare aclexplode query",
          Report.ms(s),
          Report.ms(b),
          s / b,
          "≤ 2×",
          s / b <= 2.0,
          String.format(
              Locale.ROOT, "snapshot: %,d objects; aclexplode: %,d rows", objects[0], rows[0]));
    }
  }

  /** Item 5: one table for a new grantee, until login works. */
  private void item5() throws Exception {
    single(SMALL, requests, "database of 40 tables");
    single(X1, bigRequests, "database of 5,000 tables");
  }

  private void single(String db, int count, String where) throws Exception {
    log("item 5: " + count + " single requests in " + db);
    Stats gs = new Stats();
    for (int i = 0; i < warmup * 5 + count; i++) {
      int n = ids.incrementAndGet();
      AccessRequest req =
          AccessRequest.builder()
              .requestId("one-" + n)
              .grantee("one" + n + "@example.com")
              .integration(integration)
              .addResource(ResourceRef.relation(db, "s1", "t1"))
              .level(AccessLevel.READ_ONLY)
              .duration(Duration.ofHours(1))
              .build();
      long t0 = System.nanoTime();
      AccessGrant g = manager.grant(req);
      try (Connection u = server.connect(db, g.username(), g.password().get().reveal());
          Statement st = u.createStatement()) {
        st.executeQuery("SELECT count(*) FROM s1.t1").close();
      }
      long t = System.nanoTime() - t0;
      manager.revoke(g.username());
      if (i >= warmup * 5) {
        gs.add(t);
      }
    }
    Stats raw = new Stats();
    try (Connection c = connections.open(db);
        Statement st = c.createStatement()) {
      for (int i = 0; i < warmup * 5 + count; i++) {
        String role = rawRole();
        String pw = "Raw-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        long t0 = System.nanoTime();
        st.execute(
            "CREATE ROLE "
                + role
                + " LOGIN PASSWORD '"
                + pw
                + "' VALID UNTIL '"
                + Instant.now().plus(Duration.ofHours(1))
                + "'; GRANT CONNECT ON DATABASE "
                + db
                + " TO "
                + role
                + "; GRANT USAGE ON SCHEMA s1 TO "
                + role
                + "; GRANT SELECT ON TABLE s1.t1 TO "
                + role);
        try (Connection u = server.connect(db, role, pw);
            Statement us = u.createStatement()) {
          us.executeQuery("SELECT count(*) FROM s1.t1").close();
        }
        long t = System.nanoTime() - t0;
        st.execute("DROP OWNED BY " + role + "; DROP ROLE " + role);
        if (i >= warmup * 5) {
          raw.add(t);
        }
      }
    }
    // Where the time goes: the same request planned only (reads + planning, no apply), one
    // catalog snapshot of the shared and of the target database, and one new connection.
    AccessRequest probe =
        AccessRequest.builder()
            .requestId("probe")
            .grantee("probe@example.com")
            .integration(integration)
            .addResource(ResourceRef.relation(db, "s1", "t1"))
            .level(AccessLevel.READ_ONLY)
            .duration(Duration.ofHours(1))
            .build();
    PostgresCatalogReader reader = new PostgresCatalogReader(connections);
    Stats planOnly = Stats.time(1, 5, null, () -> manager.planGrant(probe), null);
    Stats snapShared = Stats.time(1, 5, null, () -> reader.read("postgres"), null);
    Stats snapDb = Stats.time(1, 5, null, () -> reader.read(db), null);
    Stats open = Stats.time(1, 5, null, () -> connections.open(db).close(), null);
    String breakdown =
        String.format(
            Locale.ROOT,
            "; breakdown (medians of 5): planGrant without apply %s,"
                + " snapshot of postgres %s, snapshot of %s %s, opening one connection %s",
            Report.ms(planOnly.medianMillis()),
            Report.ms(snapShared.medianMillis()),
            db,
            Report.ms(snapDb.medianMillis()),
            Report.ms(open.medianMillis()));
    double p50 = gs.percentileMillis(50);
    double p99 = gs.percentileMillis(99);
    double r50 = raw.percentileMillis(50);
    double r99 = raw.percentileMillis(99);
    report.add(
        "5",
        "single request ("
            + where
            + "): grant one table to a new grantee until login works, p50 vs"
            + " raw SQL (one round trip) + login",
        Report.ms(p50),
        Report.ms(r50),
        p50 / r50,
        "p50 < 30 ms",
        p50 < 30,
        count + " requests" + breakdown);
    report.add(
        "5", "… p99 (" + where + ")", Report.ms(p99), Report.ms(r99), p99 / r99, "—", null, null);
  }

  /**
   * Item 10: through a transaction-pooling PgBouncer shaped like Azure's, next to the same on a
   * direct connection, alternated in one loop so that both see the same machine: the bulk grant of
   * item 1 and the single request of item 5 (the login checked directly).
   */
  private void item10() throws Exception {
    log("item 10: through PgBouncer, next to direct");
    try (PgBouncer pooler = PgBouncer.inFrontOf(server)) {
      Integration pooled =
          Integration.builder()
              .from(integration)
              .hostname(pooler.host())
              .port(pooler.port())
              .build();
      item10(pooler, pooled);
    }
  }

  private void item10(PgBouncer pooler, Integration pooled) throws Exception {
    try (AccessManager viaPooler =
        AccessManager.builder().integration(pooled).credentials(connector).build()) {
      Stats bulkDirect = new Stats();
      Stats bulkPooled = new Stats();
      for (int i = 0; i < warmup + reps; i++) {
        for (AccessManager m : List.of(manager, viaPooler)) {
          long t0 = System.nanoTime();
          AccessGrant g = m.grant(bulkRequest(m == manager ? integration : pooled, X1));
          long t = System.nanoTime() - t0;
          m.revoke(g.username());
          if (i >= warmup) {
            (m == manager ? bulkDirect : bulkPooled).add(t);
          }
        }
      }
      Stats oneDirect = new Stats();
      Stats onePooled = new Stats();
      for (int i = 0; i < warmup * 5 + requests; i++) {
        for (AccessManager m : List.of(manager, viaPooler)) {
          int n = ids.incrementAndGet();
          AccessRequest req =
              AccessRequest.builder()
                  .requestId("pooled-" + n)
                  .grantee("pooled" + n + "@example.com")
                  .integration(m == manager ? integration : pooled)
                  .addResource(ResourceRef.relation(SMALL, "s1", "t1"))
                  .level(AccessLevel.READ_ONLY)
                  .duration(Duration.ofHours(1))
                  .build();
          long t0 = System.nanoTime();
          AccessGrant g = m.grant(req);
          try (Connection u = server.connect(SMALL, g.username(), g.password().get().reveal());
              Statement st = u.createStatement()) {
            st.executeQuery("SELECT count(*) FROM s1.t1").close();
          }
          long t = System.nanoTime() - t0;
          m.revoke(g.username());
          if (i >= warmup * 5) {
            (m == manager ? oneDirect : onePooled).add(t);
          }
        }
      }
      String via = "through " + pooler + ", vs the same direct";
      report.add(
          "10",
          "bulk read-only grant (as item 1), request to done, " + via,
          Report.ms(bulkPooled.medianMillis()),
          Report.ms(bulkDirect.medianMillis()),
          bulkPooled.medianMillis() / bulkDirect.medianMillis(),
          "—",
          null,
          reps + " of each, alternated");
      report.add(
          "10",
          "single request (as item 5, 40-table database) until login works, p50, " + via,
          Report.ms(onePooled.percentileMillis(50)),
          Report.ms(oneDirect.percentileMillis(50)),
          onePooled.percentileMillis(50) / oneDirect.percentileMillis(50),
          "—",
          null,
          requests + " of each, alternated");
    }
  }

  /** Item 6: planning and rendering 100,000 grants against a snapshot without grants. */
  private void item6() throws Exception {
    log("item 6: planning 100,000 grants");
    CatalogSnapshot.Builder sb =
        CatalogSnapshot.builder().database("plan").serverVersionNum(server.majorVersion() * 10000);
    List<ResourceRef> objects = new ArrayList<>();
    sb.addObject(ResourceRef.database("plan"));
    for (int s = 0; s < 1000; s++) {
      sb.addObject(ResourceRef.schema("plan", "s" + s));
      for (int t = 0; t < 100; t++) {
        objects.add(ResourceRef.relation("plan", "s" + s, "t" + t));
      }
    }
    sb.addAllObjects(objects);
    CatalogSnapshot empty = sb.build();
    DesiredState.Builder db =
        DesiredState.builder().addRole(RoleSpec.builder().name("planned").build());
    for (ResourceRef o : objects) {
      db.addGrant(
          Grant.builder().grantee("planned").resource(o).addPrivileges(Privilege.SELECT).build());
    }
    DesiredState desired = db.build();
    Planner planner = Planner.builder().sharedDatabase("plan").build();
    int[] statements = {0};
    // Compiled code, as in a service that plans all day: 10 warm-up runs (2-3 s) at least. A
    // full collection before each run moves the 100,000 desired grants and the snapshot (this
    // program's own data) out of the young generation, so that each run pays for collecting
    // its own garbage only, not for copying the fixture again and again.
    int warm = Math.max(10, warmup + 2);
    Stats.Body gc = System::gc;
    Stats plan =
        Stats.time(
            warm,
            reps,
            gc,
            () -> statements[0] = planner.plan(desired, List.of(empty)).statements().size(),
            null);
    Stats text =
        Stats.time(warm, reps, gc, () -> planner.plan(desired, List.of(empty)).toSql(), null);
    Stats naive =
        Stats.time(
            warm,
            reps,
            gc,
            () -> {
              StringBuilder b = new StringBuilder();
              for (ResourceRef o : objects) {
                b.append("GRANT SELECT ON TABLE ")
                    .append(quote(o.schema().get()))
                    .append('.')
                    .append(quote(o.name().get()))
                    .append(" TO planned;\n");
              }
              if (b.length() == 0) {
                throw new IllegalStateException();
              }
            },
            null);
    double p = plan.medianMillis();
    double n = naive.medianMillis();
    report.add(
        "6",
        "planning and rendering alone: 100,000 desired grants vs an empty snapshot (no server), vs"
            + " naive string building of the same GRANTs",
        Report.ms(p),
        Report.ms(n),
        p / n,
        "< 300 ms",
        p < 300,
        String.format(
            Locale.ROOT,
            "%,d statements planned; plan plus Plan.toSql() (dry-run text): %s;"
                + " after %d warm-up runs",
            statements[0],
            Report.ms(text.medianMillis()),
            warm));
  }

  private static String quote(String ident) {
    return ident.matches("[a-z_][a-z0-9_]*") ? ident : "\"" + ident.replace("\"", "\"\"") + "\"";
  }

  /**
   * Item 7: 8 threads over two managers (replicas) granting and revoking on overlapping objects.
   */
  private void item7() throws Exception {
    log("item 7: concurrency for " + concurrencySeconds + " s");
    AccessManager replica =
        AccessManager.builder().integration(integration).credentials(connector).build();
    AtomicLong ok = new AtomicLong();
    Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(concurrencySeconds);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      AccessManager m = t % 2 == 0 ? manager : replica;
      fs.add(
          pool.submit(
              () -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                  String grantee = "conc" + r.nextInt(6) + "@example.com";
                  try {
                    if (r.nextInt(10) < 7) {
                      m.grant(
                          AccessRequest.builder()
                              .requestId("conc-" + ids.incrementAndGet())
                              .grantee(grantee)
                              .integration(integration)
                              .addResource(ResourceRef.schema(SMALL, "s" + (1 + r.nextInt(4))))
                              .level(AccessLevel.READ_ONLY)
                              .duration(Duration.ofHours(1))
                              .build());
                    } else {
                      m.revoke(AccessManager.userName(integration.name(), grantee));
                    }
                    ok.incrementAndGet();
                  } catch (RuntimeException e) {
                    String key = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                    errors.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                  }
                }
                return null;
              }));
    }
    long t0 = System.nanoTime();
    for (Future<?> f : fs) {
      f.get();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    for (int i = 0; i < 6; i++) {
      manager.revoke(AccessManager.userName(integration.name(), "conc" + i + "@example.com"));
    }
    int errorCount = errors.values().stream().mapToInt(AtomicInteger::get).sum();
    Map<String, Integer> sorted = new TreeMap<>();
    errors.forEach((k, v) -> sorted.put(k, v.get()));
    report.add(
        "7",
        "concurrency: 8 threads (2 manager replicas) granting and revoking on overlapping schemas for "
            + concurrencySeconds
            + " s",
        String.format(Locale.ROOT, "%.1f req/s, %d errors", ok.get() / secs, errorCount),
        "—",
        null,
        "0 errors",
        errorCount == 0,
        String.format(
            Locale.ROOT,
            "%d requests done (70%% grants of one of 4 schemas, 30%% revocations, 6 grantees)%s",
            ok.get(),
            sorted.isEmpty() ? "" : "; errors: " + sorted));
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String l = nl < 0 ? s : s.substring(0, nl);
    return l.length() > 160 ? l.substring(0, 160) + "…" : l;
  }

  /** Item 8: sweep of expired leases vs revoking and dropping as many roles in bulk. */
  private void item8() throws Exception {
    log("item 8: creating " + leases + " expired leases");
    Instant past = Instant.now().minus(Duration.ofHours(3));
    AccessManager then =
        AccessManager.builder()
            .integration(integration)
            .credentials(connector)
            .clock(Clock.fixed(past, ZoneOffset.UTC))
            .build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    AtomicInteger created = new AtomicInteger();
    for (int i = 0; i < leases; i++) {
      int n = i;
      fs.add(
          pool.submit(
              () -> {
                then.grant(
                    AccessRequest.builder()
                        .requestId("lease-" + n)
                        .grantee("lease" + n + "@example.com")
                        .integration(integration)
                        .addResource(ResourceRef.relation(SMALL, "s1", "t1"))
                        .level(AccessLevel.READ_ONLY)
                        .duration(Duration.ofHours(1))
                        .build());
                created.incrementAndGet();
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    log("item 8: sweeping " + created.get() + " expired leases");
    long t0 = System.nanoTime();
    SweepResult r = manager.sweep();
    double sweep = (System.nanoTime() - t0) / 1e6;
    // The bulk floor: as many roles with the same privileges, revoked and dropped with one
    // statement per database.
    List<String> roles = new ArrayList<>();
    StringBuilder create = new StringBuilder();
    for (int i = 0; i < leases; i++) {
      String role = rawRole();
      roles.add(role);
      create
          .append("CREATE ROLE ")
          .append(role)
          .append(" LOGIN PASSWORD 'x' VALID UNTIL '")
          .append(past)
          .append("'; GRANT CONNECT ON DATABASE ")
          .append(SMALL)
          .append(" TO ")
          .append(role)
          .append("; GRANT USAGE ON SCHEMA s1 TO ")
          .append(role)
          .append("; GRANT SELECT ON s1.t1 TO ")
          .append(role)
          .append(";\n");
    }
    try (Connection c = connections.open(SMALL);
        Statement st = c.createStatement()) {
      st.execute(create.toString());
    }
    String list = String.join(", ", roles);
    t0 = System.nanoTime();
    try (Connection c = connections.open("postgres");
        Statement st = c.createStatement()) {
      StringBuilder nologin = new StringBuilder();
      for (String role : roles) {
        nologin.append("ALTER ROLE ").append(role).append(" NOLOGIN;\n");
      }
      st.execute(nologin.toString());
      st.execute(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ANY (string_to_array('"
              + list.replace(" ", "")
              + "', ','))");
    }
    for (String db : databases) {
      try (Connection c = connections.open(db);
          Statement st = c.createStatement()) {
        st.execute("DROP OWNED BY " + list);
      }
    }
    try (Connection c = connections.open("postgres");
        Statement st = c.createStatement()) {
      st.execute("DROP OWNED BY " + list + "; DROP ROLE " + list);
    }
    double floor = (System.nanoTime() - t0) / 1e6;
    report.add(
        "8",
        "sweep: "
            + leases
            + " expired leases revoked and dropped, total, vs the bulk floor (DROP OWNED"
            + " BY all of them per database, one DROP ROLE)",
        Report.ms(sweep),
        Report.ms(floor),
        sweep / floor,
        "≤ 2×",
        sweep / floor <= 2.0,
        String.format(
            Locale.ROOT,
            "%.1f ms per lease; revoked %d, dropped %d, failed %d%s",
            sweep / leases,
            r.revoked().size(),
            r.dropped().size(),
            r.failed().size(),
            r.failed().isEmpty()
                ? ""
                : " (" + firstLine(r.failed().values().iterator().next()) + ")"));
  }

  /**
   * Item 11 (issue 16): with people's access held by shared bundle roles, the Nth person's
   * read-only grant on a schema of 5,000 tables (its bundle made by earlier people) against a
   * one-table grant for a new person, and revoking one of those people against the same one-table
   * grant. The two grants alternate in one loop, so that both see the same machine.
   */
  private void item11() throws Exception {
    ResourceRef schema = ResourceRef.schema(WIDE, "s1");
    ResourceRef table = ResourceRef.relation(WIDE, "s1", "t1");
    log("item 11: " + holders + " people granted the " + WIDE_TABLES + "-table schema first");
    long t0 = System.nanoTime();
    AccessGrant first = manager.grant(personRequest("wide-first", schema));
    double firstMillis = (System.nanoTime() - t0) / 1e6;
    List<String> holding = new ArrayList<>();
    holding.add(first.username());
    for (int i = 1; i < holders; i++) {
      holding.add(manager.grant(personRequest("wide-holder" + i, schema)).username());
    }
    // A first one-table grant, so that its bundle is there too.
    manager.revoke(manager.grant(personRequest("one-first", table)).username());
    Stats wide = new Stats();
    Stats one = new Stats();
    List<String> timed = new ArrayList<>();
    for (int i = 0; i < warmup + reps; i++) {
      t0 = System.nanoTime();
      AccessGrant g = manager.grant(personRequest("wide" + i, schema));
      long tw = System.nanoTime() - t0;
      t0 = System.nanoTime();
      AccessGrant o = manager.grant(personRequest("one" + i, table));
      long to = System.nanoTime() - t0;
      manager.revoke(o.username());
      holding.add(g.username());
      if (i >= warmup) {
        wide.add(tw);
        one.add(to);
        timed.add(g.username());
      }
    }
    // Revoking one of the people holding the schema, while the others keep it.
    Stats revoke = new Stats();
    int othersAtFirst = holding.size() - 1;
    for (String user : timed) {
      t0 = System.nanoTime();
      manager.revoke(user);
      revoke.add(System.nanoTime() - t0);
      holding.remove(user);
    }
    for (String user : holding) {
      manager.revoke(user);
    }
    double w = wide.medianMillis();
    double o = one.medianMillis();
    double r = revoke.medianMillis();
    report.add(
        "11",
        String.format(
            Locale.ROOT,
            "read-only grant on a schema of %,d tables for the Nth person (bundle already there,"
                + " N = %d to %d), request to done, vs a one-table grant for a new person",
            WIDE_TABLES,
            holders + warmup + 1,
            holders + warmup + reps),
        Report.ms(w),
        Report.ms(o),
        w / o,
        "≤ 3×",
        w / o <= 3.0,
        String.format(
            Locale.ROOT,
            "the first person's grant of the schema (bundle made): %s; the one-table grant"
                + " names s1.t1 of the same database",
            Report.ms(firstMillis)));
    report.add(
        "11",
        "revoking one of those people (LOGIN off, sessions ended, memberships removed, role"
            + " dropped) vs the one-table grant",
        Report.ms(r),
        Report.ms(o),
        r / o,
        "≤ 2×",
        r / o <= 2.0,
        "AccessManager.revoke with cleanup period 0; the other "
            + othersAtFirst
            + " people still held the schema at the first of these revocations");
  }

  /**
   * Item 12: what one person's role statements cost the server as the connector has created more
   * roles. Raw SQL, no Grantsmith code: per person one transaction (CREATE ROLE, membership in a
   * marker role and a bundle role, COMMENT), {@value #ROLE_STEP} people per step, timed per step.
   * On 16+ a role's creator holds ADMIN OPTION on it (and, with {@code createrole_self_grant}, SET
   * and INHERIT), and every membership change makes the server recompute the connector's
   * memberships, which then number as many as the roles it created.
   */
  private void item12() throws Exception {
    log("item 12: the connector creates " + roles + " roles, " + ROLE_STEP + " per step");
    boolean v16 = server.majorVersion() >= 16;
    String marker = quoteIdent("bench_r12_marker");
    String bundle = quoteIdent("bench_r12_bundle");
    List<Double> perPerson = new ArrayList<>();
    try (Connection c = connections.open("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE ROLE " + marker + " NOLOGIN; CREATE ROLE " + bundle + " NOLOGIN");
      int made = 0;
      while (made < roles) {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < ROLE_STEP; i++) {
          String role = quoteIdent("bench_r12_" + ++made);
          sql.append("BEGIN; CREATE ROLE ")
              .append(role)
              .append(" LOGIN PASSWORD 'x' VALID UNTIL '2100-01-01'; GRANT ")
              .append(marker)
              .append(" TO ")
              .append(role)
              .append("; GRANT ")
              .append(bundle)
              .append(" TO ")
              .append(role)
              .append(v16 ? " WITH INHERIT TRUE, SET FALSE" : "")
              .append("; COMMENT ON ROLE ")
              .append(role)
              .append(" IS 'bench'; COMMIT;\n");
        }
        long t0 = System.nanoTime();
        st.execute(sql.toString());
        double ms = (System.nanoTime() - t0) / 1e6 / ROLE_STEP;
        perPerson.add(ms);
        log(String.format(Locale.ROOT, "item 12: %d roles, %.1f ms per person", made, ms));
      }
      for (int from = 1; from <= made; from += ROLE_STEP) {
        StringBuilder drop = new StringBuilder("DROP ROLE ");
        for (int i = from; i < from + ROLE_STEP && i <= made; i++) {
          drop.append(i == from ? "" : ", ").append(quoteIdent("bench_r12_" + i));
        }
        st.execute(drop.toString());
      }
      st.execute("DROP ROLE " + marker + ", " + bundle);
    }
    double first = perPerson.get(0);
    double last = perPerson.get(perPerson.size() - 1);
    StringBuilder steps = new StringBuilder();
    for (int i = 0; i < perPerson.size(); i++) {
      steps
          .append(i == 0 ? "" : ", ")
          .append((i + 1) * ROLE_STEP)
          .append(": ")
          .append(Report.ms(perPerson.get(i)));
    }
    report.add(
        "12",
        "one person's role statements as the connector (CREATE ROLE, 2 memberships, COMMENT;"
            + " one transaction) with "
            + roles
            + " roles it created vs with "
            + ROLE_STEP,
        Report.ms(last),
        Report.ms(first),
        last / first,
        "—",
        null,
        "per person at each step: " + steps);
  }

  private static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  private AccessRequest personRequest(String who, ResourceRef resource) {
    int n = ids.incrementAndGet();
    return AccessRequest.builder()
        .requestId("person-" + n)
        .grantee(who + "-" + n + "@example.com")
        .integration(integration)
        .addResource(resource)
        .level(AccessLevel.READ_ONLY)
        .duration(Duration.ofHours(1))
        .build();
  }
}
