package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.api.Statement;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;

/**
 * Issue 8, point 3: over a whole lifecycle logged at DEBUG (grant, a second grant once rotation is
 * due, extend, password reset, revoke, sweep, rotation of the connector's password, failing
 * applies, dry runs), no generated or connector password appears in the log output (System.err,
 * where slf4j-simple writes), in an exception's message or stack trace, in a {@code toString}, or
 * in a plan or dry-run script. The number of passwords searched is the README's figure.
 */
class SecretsIT {

  /** slf4j-simple fixes a logger's level when it is made: set DEBUG on those that exist too. */
  private static Map<Object, Integer> debugOn() throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    System.setProperty("org.slf4j.simpleLogger.log.io.grantsmith", "debug");
    Map<Object, Integer> old = new HashMap<>();
    Object factory = LoggerFactory.getILoggerFactory();
    Field mapField = factory.getClass().getDeclaredField("loggerMap");
    mapField.setAccessible(true);
    // Make sure the SDK's loggers exist, then lower every io.grantsmith logger to DEBUG.
    for (Class<?> c :
        new Class<?>[] {
          AccessManager.class,
          JdbcExecutor.class,
          LoggingExecutor.class,
          PostgresCatalogReader.class,
          ConnectorSetup.class
        }) {
      LoggerFactory.getLogger(c);
    }
    for (Map.Entry<?, ?> e : ((Map<?, ?>) mapField.get(factory)).entrySet()) {
      if (e.getKey().toString().startsWith("io.grantsmith")) {
        Field level = findField(e.getValue().getClass(), "currentLogLevel");
        level.setAccessible(true);
        old.put(e.getValue(), level.getInt(e.getValue()));
        level.setInt(e.getValue(), 10); // LocationAwareLogger.DEBUG_INT
      }
    }
    return old;
  }

  private static void restore(Map<Object, Integer> old) throws Exception {
    for (Map.Entry<Object, Integer> e : old.entrySet()) {
      Field level = findField(e.getKey().getClass(), "currentLogLevel");
      level.setAccessible(true);
      level.setInt(e.getKey(), e.getValue());
    }
    System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
    System.clearProperty("org.slf4j.simpleLogger.log.io.grantsmith");
  }

  private static Field findField(Class<?> c, String name) throws NoSuchFieldException {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      try {
        return k.getDeclaredField(name);
      } catch (NoSuchFieldException next) {
        // look further up
      }
    }
    throw new NoSuchFieldException(name);
  }

  static final class MemoryStore implements SecretStore {
    final Map<SecretRef, Credentials> map = new ConcurrentHashMap<>();

    @Override
    public Credentials load(SecretRef ref) {
      return map.get(ref);
    }

    @Override
    public void store(SecretRef ref, Credentials credentials) {
      map.put(ref, credentials);
    }
  }

  private static String trace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return t + "\n" + w;
  }

  private static int countOf(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  @AzurePostgresTest
  void noPasswordLeaksAnywhereOverAWholeLifecycle(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration =
        Integration.builder()
            .from(AccessFixtures.integration(tc, 0))
            .credentialRotationDays(1)
            .build();
    // Every password searched for, with the step that made it: the connector's, then each one
    // the SDK generates (labelled by the step running at the time) and the test's own.
    List<Searched> secrets = new CopyOnWriteArrayList<>();
    secrets.add(new Searched("connector password before rotation", tc.password));
    AtomicReference<String> step = new AtomicReference<>("set-up");
    SecurePasswordGenerator gen = new SecurePasswordGenerator();
    io.grantsmith.api.PasswordGenerator recording =
        () -> {
          Secret s = gen.generate();
          secrets.add(new Searched(step.get(), s));
          return s;
        };
    AtomicReference<Clock> clock = new AtomicReference<>(Clock.systemUTC());
    Clock moving =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return clock.get().instant();
          }
        };
    MemoryStore store = new MemoryStore();
    SecretRef ref = SecretRef.environment("GRANTSMITH_TEST_CONNECTOR");
    store.store(ref, tc.credentials());

    List<String> texts = new ArrayList<>();
    StringBuilder nonAsciiText = new StringBuilder();
    Secret[] nonAsciiHolder = new Secret[1];
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    Map<Object, Integer> levels = debugOn();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AccessManager manager =
          AccessManager.builder()
              .integration(integration)
              .credentials(tc.credentials())
              .clock(moving)
              .passwordGenerator(recording)
              .build();
      AccessManager logging =
          manager.withExecutor(
              new LoggingExecutor(JdbcExecutor.builder().connections(tc.connections()).build()));
      texts.add(manager.toString());
      // 1. grant
      step.set("grant");
      AccessRequest first =
          AccessFixtures.request(
              integration,
              "secret-keeper@example.com",
              AccessLevel.READ_ONLY,
              Duration.ofDays(2),
              ResourceRef.relation(db, "app", "t"));
      AccessGrant g1 = logging.grant(first);
      texts.add(g1.toString());
      texts.add(g1.applyResult().toString());
      texts.add(g1.lease().toString());
      texts.add(g1.jdbcUrl());
      texts.add(g1.connectionString());
      texts.add(String.valueOf(g1.password()));
      texts.add(first.toString());
      // 2. a second grant once the rotation period (1 day) has passed: a new password
      clock.set(Clock.offset(Clock.systemUTC(), Duration.ofDays(1).plusMinutes(5)));
      step.set("second grant, rotation due");
      AccessGrant g2 =
          manager.grant(
              AccessFixtures.request(
                  integration,
                  "secret-keeper@example.com",
                  AccessLevel.READ_WRITE,
                  Duration.ofHours(1),
                  ResourceRef.relation(db, "app", "t")));
      clock.set(Clock.systemUTC());
      assertThat(g2.password()).as("rotated on the second grant").isPresent();
      texts.add(g2.toString());
      // 3. plan and dry run of a grant that creates a user with a password
      AccessRequest fresh =
          AccessFixtures.request(
              integration,
              "dry-run@example.com",
              AccessLevel.READ_ONLY,
              Duration.ofHours(1),
              ResourceRef.relation(db, "app", "t"));
      step.set("planGrant");
      Plan planned = manager.planGrant(fresh);
      texts.add(planned.toString());
      texts.add(planned.toSql());
      for (Statement s : planned.statements()) {
        texts.add(s.toString());
        texts.add(s.redacted());
        texts.add(s.sql());
      }
      step.set("dry-run grant");
      DryRunExecutor dry = new DryRunExecutor();
      AccessGrant dryGrant = manager.withExecutor(dry).grant(fresh);
      texts.add(dryGrant.toString());
      texts.add(dry.script());
      for (Plan p : dry.plans()) {
        texts.add(p.toString());
        texts.add(p.toSql());
      }
      for (Statement s : dry.statements()) {
        texts.add(s.toString());
        texts.add(s.redacted());
        texts.add(s.sql());
      }
      // 4. extend, reset the password (for real, as a dry run, and failing), revoke, sweep
      step.set("extend");
      texts.add(String.valueOf(manager.extend(g1.username(), Duration.ofMinutes(30))));
      step.set("resetPassword");
      AccessGrant reset = logging.resetPassword(first.requestId());
      Secret resetPassword =
          reset
              .password()
              .orElseThrow(() -> new AssertionError("resetPassword returned no password"));
      io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
          .user(g1.username(), resetPassword.reveal())
          .canLogin(db);
      io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
          .user(g1.username(), g2.password().orElseThrow().reveal())
          .cannotLogin(db);
      texts.add(reset.toString());
      texts.add(reset.applyResult().toString());
      texts.add(reset.lease().toString());
      texts.add(reset.jdbcUrl());
      texts.add(reset.connectionString());
      texts.add(String.valueOf(reset.password()));
      step.set("dry-run resetPassword");
      DryRunExecutor dryReset = new DryRunExecutor();
      AccessGrant dryResetGrant = manager.withExecutor(dryReset).resetPassword(g1.username());
      assertThat(dryResetGrant.password()).as("a dry-run reset returns no password").isEmpty();
      texts.add(dryResetGrant.toString());
      texts.add(dryReset.script());
      for (Plan p : dryReset.plans()) {
        texts.add(p.toString());
        texts.add(p.toSql());
      }
      for (Statement s : dryReset.statements()) {
        texts.add(s.toString());
        texts.add(s.redacted());
        texts.add(s.sql());
      }
      step.set("resetPassword on read-only connections");
      AccessManager readOnlyReset =
          AccessManager.builder()
              .integration(integration)
              .connections(readOnly(integration, tc.credentials()))
              .connector(tc.name)
              .passwordGenerator(recording)
              .build();
      ApplyException resetFailure =
          catchThrowableOfType(
              ApplyException.class,
              () ->
                  readOnlyReset
                      .withExecutor(
                          new LoggingExecutor(
                              JdbcExecutor.builder()
                                  .connections(readOnly(integration, tc.credentials()))
                                  .maxAttempts(1)
                                  .build()))
                      .resetPassword(g1.username()));
      assertThat(resetFailure)
          .as("a reset on read-only connections")
          .isNotNull()
          .isExactlyInstanceOf(ApplyException.class);
      assertThat(resetFailure.sqlState()).contains(READ_ONLY_SQL_TRANSACTION);
      texts.add(trace(resetFailure));
      io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
          .user(g1.username(), resetPassword.reveal())
          .canLogin(db);
      step.set("revoke");
      texts.add(manager.planRevoke(g1.username()).toSql());
      ApplyResult revoked = logging.revoke(g1.username());
      texts.add(revoked.toString());
      step.set("resetPassword after revoke");
      GrantsmithException noLease =
          catchThrowableOfType(
              GrantsmithException.class, () -> manager.resetPassword(g1.username()));
      assertThat(noLease)
          .as("a reset of a revoked lease")
          .isNotNull()
          .isExactlyInstanceOf(GrantsmithException.class);
      texts.add(trace(noLease));
      step.set("grant that expires");
      AccessGrant g3 =
          manager.grant(
              AccessFixtures.request(
                  integration,
                  "expires@example.com",
                  AccessLevel.READ_ONLY,
                  Duration.ofMinutes(1),
                  ResourceRef.relation(db, "app", "t")));
      texts.add(g3.toString());
      clock.set(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(5)));
      step.set("sweep");
      SweepResult swept = manager.sweep();
      assertThat(swept.revoked()).containsExactly(g3.username());
      texts.add(swept.toString());
      clock.set(Clock.systemUTC());
      texts.add(manager.leases().toString());
      // 5. rotate the connector's password (it lands in the store, nowhere else)
      step.set("rotateConnectorPassword");
      Credentials rotated = manager.rotateConnectorPassword(store, ref);
      assertThat(secrets.get(secrets.size() - 1).password()).isEqualTo(rotated.password());
      texts.add(rotated.toString());
      texts.add(store.map.toString());
      // a dry-run rotation
      step.set("dry-run rotateConnectorPassword");
      texts.add(
          manager
              .withExecutor(new DryRunExecutor())
              .rotateConnectorPassword(store, ref)
              .toString());
      // 6. failing applies: a password statement for a role that does not exist, ...
      step.set("failing applies");
      Secret doomed = gen.generate();
      secrets.add(new Searched("ALTER ROLE of a missing role", doomed));
      Statement bad = new Renderer(server.majorVersion()).setPassword(db, "no_such_role_x", doomed);
      texts.add(bad.toString());
      ApplyException failure =
          catchThrowableOfType(
              ApplyException.class,
              () ->
                  JdbcExecutor.builder()
                      .connections(ConnectionSource.of(integration, rotated))
                      .maxAttempts(1)
                      .build()
                      .apply(
                          Plan.builder()
                              .addStep(
                                  io.grantsmith.api.Step.builder()
                                      .database(db)
                                      .description("doomed")
                                      .addStatement(bad)
                                      .build())
                              .build()));
      assertThat(failure)
          .as("ALTER ROLE of a missing role")
          .isNotNull()
          .isExactlyInstanceOf(ApplyException.class);
      assertThat(failure.sqlState()).contains(UNDEFINED_OBJECT);
      texts.add(trace(failure));
      // ... a password that is not ASCII is refused before any SQL exists (it could only be
      // sent in clear text), and the refusal does not show it ...
      Secret nonAscii = Secret.of("Pässwörd-" + java.util.UUID.randomUUID());
      InvalidValueException clearFailure =
          catchThrowableOfType(
              InvalidValueException.class,
              () ->
                  new Renderer(server.majorVersion()).setPassword(db, "no_such_role_y", nonAscii));
      assertThat(clearFailure)
          .as("a password that is not ASCII")
          .isNotNull()
          .isExactlyInstanceOf(InvalidValueException.class);
      nonAsciiText.append(trace(clearFailure));
      texts.add(trace(clearFailure));
      nonAsciiHolder[0] = nonAscii;
      secrets.add(new Searched("a password that is not ASCII", nonAscii));
      // ... a grant on read-only connections, through the logging executor ...
      step.set("grant on read-only connections");
      ConnectionSource readOnly = readOnly(integration, rotated);
      AccessManager failing =
          AccessManager.builder()
              .integration(integration)
              .connections(readOnly)
              .connector(tc.name)
              .passwordGenerator(recording)
              .build();
      ApplyException readOnlyFailure =
          catchThrowableOfType(
              ApplyException.class,
              () ->
                  failing
                      .withExecutor(
                          new LoggingExecutor(
                              JdbcExecutor.builder().connections(readOnly).maxAttempts(1).build()))
                      .grant(
                          AccessFixtures.request(
                              integration,
                              "read-only@example.com",
                              AccessLevel.READ_ONLY,
                              Duration.ofHours(1),
                              ResourceRef.relation(db, "app", "t"))));
      assertThat(readOnlyFailure)
          .as("a grant on read-only connections")
          .isNotNull()
          .isExactlyInstanceOf(ApplyException.class);
      assertThat(readOnlyFailure.sqlState()).contains(READ_ONLY_SQL_TRANSACTION);
      texts.add(trace(readOnlyFailure));
      // ... and a login with the old, rotated-away connector password.
      step.set("grant as the connector with its old password");
      GrantsmithException oldLogin =
          catchThrowableOfType(
              GrantsmithException.class,
              () ->
                  AccessManager.builder()
                      .integration(integration)
                      .credentials(tc.credentials())
                      .build()
                      .grant(fresh));
      assertThat(oldLogin)
          .as("a login with the rotated-away password")
          .isNotNull()
          .isExactlyInstanceOf(GrantsmithException.class);
      assertThat(sqlStates(oldLogin))
          .as("SQLSTATEs of %s", oldLogin)
          .containsExactly(INVALID_PASSWORD);
      texts.add(trace(oldLogin));
      step.set("clean-up");
      manager.revoke(g3.username());
      manager.revoke(dryGrant.username());
      Thread.sleep(500); // let the embedded server's log lines arrive
    } finally {
      System.setErr(originalErr);
      restore(levels);
    }
    String captureAll = captured.toString(StandardCharsets.UTF_8);
    System.err.print(captureAll);
    // The embedded PostgreSQL's own log (forwarded by zonky to the same stream) records failing
    // statements, as PostgreSQL does on Azure: kept apart from the SDK's output.
    StringBuilder sdk = new StringBuilder();
    StringBuilder serverLog = new StringBuilder();
    for (String line : captureAll.split("\n")) {
      (line.startsWith("[postgres:pid(")
                  || line.startsWith("[pg_ctl:pid(")
                  || line.startsWith("[initdb:pid(")
              ? serverLog
              : sdk)
          .append(line)
          .append('\n');
    }
    String log = sdk.toString();
    int inServerLog = 0;
    for (Searched s : secrets) {
      if (serverLog.indexOf(s.password().reveal()) >= 0) {
        inServerLog++;
      }
    }
    System.out.printf(
        "HARDENING secrets (server log): %d passwords and %d SCRAM verifiers in the"
            + " embedded server's own log of failing statements%n",
        inServerLog, countOf(serverLog.toString(), "SCRAM-SHA-256$"));
    assertThat(log).as("DEBUG output was captured").contains("DEBUG");
    String all = log + "\n" + String.join("\n", texts);
    int searched = 0;
    int found = 0;
    List<String> leaks = new ArrayList<>();
    for (Searched s : secrets) {
      searched++;
      if (all.contains(s.password().reveal())) {
        found++;
        leaks.add(s.step() + ": " + s.password().reveal().substring(0, 3) + "...");
      }
    }
    // SCRAM verifiers in the log and in exception traces (plans' sql() holds them by design).
    int verifiers = countOf(log, "SCRAM-SHA-256$");
    for (String t : texts) {
      if (t.contains("\tat ")) {
        verifiers += countOf(t, "SCRAM-SHA-256$");
      }
    }
    boolean nonAsciiLeaked =
        nonAsciiText.toString().contains(nonAsciiHolder[0].reveal())
            || log.contains(nonAsciiHolder[0].reveal());
    System.out.printf(
        "HARDENING secrets: %d passwords searched for in %d bytes of DEBUG log"
            + " and %d texts, %d found; SCRAM verifiers shown: %d; non-ASCII password of a failing"
            + " statement shown in the exception: %s%n",
        searched, log.length(), texts.size(), found, verifiers, nonAsciiLeaked);
    for (Searched s : secrets) {
      System.out.printf("HARDENING secrets: searched the password of: %s%n", s.step());
    }
    // Each step that makes a password made exactly one, and no other step made any: the count
    // is of distinct, real passwords, each with the step it comes from.
    assertThat(secrets)
        .extracting(Searched::step)
        .containsExactly(
            "connector password before rotation",
            "grant",
            "second grant, rotation due",
            "planGrant",
            "dry-run grant",
            "resetPassword",
            "dry-run resetPassword",
            "resetPassword on read-only connections",
            "grant that expires",
            "rotateConnectorPassword",
            "dry-run rotateConnectorPassword",
            "ALTER ROLE of a missing role",
            "a password that is not ASCII",
            "grant on read-only connections");
    assertThat(secrets)
        .extracting(s -> s.password().reveal())
        .doesNotHaveDuplicates()
        .allSatisfy(pw -> assertThat(pw).hasSizeGreaterThanOrEqualTo(32));
    assertThat(leaks).as("passwords that leaked").isEmpty();
    assertThat(verifiers).as("SCRAM verifiers in the log or in exceptions").isZero();
    assertThat(nonAsciiLeaked).as("the non-ASCII password in its refusal or the log").isFalse();
    // The README's figure is this run's count.
    assertThat(readmeSecretsRow())
        .as("the README's SecretsIT row")
        .contains("**" + searched + " passwords** searched per version, **" + found + " found**");
  }

  /** A password searched for, and the step of the lifecycle that made it. */
  private record Searched(String step, Secret password) {}

  private static final String READ_ONLY_SQL_TRANSACTION = "25006";
  private static final String UNDEFINED_OBJECT = "42704";
  private static final String INVALID_PASSWORD = "28P01";

  /** Connections on which every transaction is read-only: each write fails with 25006. */
  private static ConnectionSource readOnly(Integration integration, Credentials credentials) {
    return d -> {
      Connection c = ConnectionSource.of(integration, credentials).open(d);
      try (java.sql.Statement st = c.createStatement()) {
        st.execute("SET default_transaction_read_only = on");
      }
      return c;
    };
  }

  /** The SQLSTATEs of the SQLExceptions in a cause chain. */
  private static List<String> sqlStates(Throwable t) {
    List<String> states = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.sql.SQLException e) {
        states.add(e.getSQLState());
      }
    }
    return states;
  }

  /** The README's row for this suite, found from the working directory upwards. */
  private static String readmeSecretsRow() throws java.io.IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path readme = dir.resolve("README.md");
      if (Files.isRegularFile(readme) && Files.isRegularFile(dir.resolve("mvnw"))) {
        return Files.readAllLines(readme, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("| `SecretsIT`"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no SecretsIT row in " + readme));
      }
    }
    throw new AssertionError("README.md not found above " + Path.of("").toAbsolutePath());
  }
}
