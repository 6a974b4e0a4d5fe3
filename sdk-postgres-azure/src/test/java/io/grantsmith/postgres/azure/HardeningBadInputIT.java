package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceOwner;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Issue 8, point 2: every invalid field of {@link Integration} and {@link AccessRequest} (and of
 * the {@link ResourceRef}s a request holds), and every request that names something the server does
 * not have, fails with an {@link InvalidValueException} whose message names the field and shows the
 * value, before any SQL is sent: the executor received no plan, and for values checked at build
 * time no connection was even opened.
 */
class HardeningBadInputIT {
  /** Invalid values refused when they are built, with no server involved. */
  static final int BUILD_TIME_CASES = 83;

  /** Invalid requests and manager settings refused by a manager talking to a real server. */
  static final int SERVER_CASES = 31;

  /**
   * One invalid input: the field the exception must name and the value it must show (as {@link
   * InvalidValueException#describe} renders it; {@code null} where the value is missing).
   */
  private record Case(String label, String field, Object value, Supplier<?> action) {}

  /** An executor that records every plan it is given and applies none. */
  static final class Recording implements Executor {
    final List<Plan> plans = new CopyOnWriteArrayList<>();

    @Override
    public ApplyResult apply(Plan plan) {
      plans.add(plan);
      throw new AssertionError("SQL reached the executor: " + plan.toSql());
    }
  }

  private static Integration.Builder okIntegration() {
    return Integration.builder().name("ok").hostname("db.example.com");
  }

  private static String repeat(char c, int n) {
    return String.valueOf(c).repeat(n);
  }

  /** Values checked when the value is built: no server involved. */
  private static List<Case> buildTimeCases() {
    Integration ok = okIntegration().build();
    List<Case> c = new ArrayList<>();
    // Integration
    for (String bad :
        new String[] {
          "", "1abc", "-abc", "a b", "a;b", "a'b", "a\"b", "ä", "x\n", "a" + repeat('b', 64)
        }) {
      c.add(new Case("name", "Integration.name", bad, () -> okIntegration().name(bad).build()));
    }
    for (String bad :
        new String[] {
          "",
          "bad host",
          "host;drop",
          "-lead.example.com",
          "a..b",
          "host_with_underscore?",
          "h/ost",
          "h\u0000",
          repeat('a', 254)
        }) {
      c.add(
          new Case(
              "hostname",
              "Integration.hostname",
              bad,
              () -> okIntegration().hostname(bad).build()));
    }
    for (int bad : new int[] {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      c.add(new Case("port", "Integration.port", bad, () -> okIntegration().port(bad).build()));
    }
    for (String bad : new String[] {"", repeat('d', 64), repeat('\u00e9', 32), "nul\u0000db"}) {
      c.add(
          new Case(
              "database",
              "Integration.database",
              bad,
              () -> okIntegration().database(bad).build()));
    }
    for (String bad : new String[] {"", "  ", "id\n", "id\u0007"}) {
      c.add(
          new Case(
              "connectorId",
              "Integration.connectorId",
              bad,
              () -> okIntegration().connectorId(bad).build()));
    }
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
      c.add(
          new Case(
              "credentialRotationDays",
              "Integration.credentialRotationDays",
              bad,
              () -> okIntegration().credentialRotationDays(bad).build()));
    }
    for (int bad : new int[] {-1, Integer.MIN_VALUE}) {
      c.add(
          new Case(
              "userCleanupAfterDays",
              "Integration.userCleanupAfterDays",
              bad,
              () -> okIntegration().userCleanupAfterDays(bad).build()));
    }
    String longDetails = repeat('x', Integration.MAX_CUSTOM_ACCESS_DETAILS + 1);
    c.add(
        new Case(
            "customAccessDetails",
            "Integration.customAccessDetails",
            longDetails,
            () -> okIntegration().customAccessDetails(longDetails).build()));
    for (String bad : new String[] {"", "   ", "\t\n", "/etc/ssl/root\u0000.crt"}) {
      c.add(
          new Case(
              "sslRootCert",
              "Integration.sslRootCert",
              bad,
              () -> okIntegration().sslRootCert(bad).build()));
    }
    c.add(
        new Case(
            "resourceOwners",
            "Integration.resourceOwners",
            List.of(ResourceOwner.of("team", "email")),
            () -> okIntegration().addResourceOwner(ResourceOwner.of("team", "email")).build()));
    for (Duration bad :
        new Duration[] {Duration.ofSeconds(59), Duration.ZERO, Duration.ofMinutes(-5)}) {
      c.add(
          new Case(
              "maxAccessDuration",
              "Integration.maxAccessDuration",
              bad,
              () -> okIntegration().maxAccessDuration(bad).build()));
    }
    // AccessRequest
    for (String bad : new String[] {"", "   ", repeat('r', 129), "id\tx", "id\r\n"}) {
      c.add(
          new Case(
              "requestId",
              "AccessRequest.requestId",
              bad,
              () -> request(ok).requestId(bad).build()));
    }
    for (String bad : new String[] {"", " ", repeat('g', 257), "alice\n", "bob\u0000"}) {
      c.add(
          new Case(
              "grantee", "AccessRequest.grantee", bad, () -> request(ok).grantee(bad).build()));
    }
    c.add(
        new Case(
            "resources",
            "AccessRequest.resources",
            List.of(),
            () ->
                AccessRequest.builder()
                    .requestId("r")
                    .grantee("g")
                    .integration(ok)
                    .duration(Duration.ofHours(1))
                    .build()));
    for (Duration bad :
        new Duration[] {
          Duration.ofSeconds(59), Duration.ZERO, Duration.ofHours(-1), Duration.ofDays(8)
        }) {
      c.add(
          new Case(
              "duration", "AccessRequest.duration", bad, () -> request(ok).duration(bad).build()));
    }
    String longJustification = repeat('j', 1001);
    c.add(
        new Case(
            "justification",
            "AccessRequest.justification",
            longJustification,
            () -> request(ok).justification(longJustification).build()));
    c.add(
        new Case(
            "justification NUL",
            "AccessRequest.justification",
            "because\u0000",
            () -> request(ok).justification("because\u0000").build()));
    c.add(
        new Case(
            "cleanupAfterDays",
            "AccessRequest.cleanupAfterDays",
            -1,
            () -> request(ok).cleanupAfterDays(-1).build()));
    // ResourceRefs in a request
    for (String bad : new String[] {"", repeat('t', 64), repeat('\u65e5', 22), "t\u0000"}) {
      c.add(
          new Case(
              "relation name",
              "ResourceRef.name",
              bad,
              () -> ResourceRef.relation("db", "s", bad)));
      c.add(
          new Case("schema name", "ResourceRef.schema", bad, () -> ResourceRef.schema("db", bad)));
      c.add(
          new Case("database name", "ResourceRef.database", bad, () -> ResourceRef.database(bad)));
      c.add(new Case("role name", "ResourceRef.name", bad, () -> ResourceRef.role(bad)));
    }
    c.add(
        new Case(
            "relation without database",
            "ResourceRef.database",
            null,
            () -> ResourceRef.builder().kind(ResourceKind.RELATION).schema("s").name("t").build()));
    c.add(
        new Case(
            "server with a database",
            "ResourceRef.database",
            "db",
            () -> ResourceRef.builder().kind(ResourceKind.SERVER).database("db").build()));
    // Timeouts
    c.add(
        new Case(
            "timeouts",
            "Timeouts",
            Duration.ofSeconds(-1),
            () ->
                new ConnectionSource.Timeouts(
                    Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO, Duration.ZERO)));
    return c;
  }

  private static AccessRequest.Builder request(Integration integration) {
    return AccessRequest.builder()
        .requestId("REQ-1")
        .grantee("alice@example.com")
        .integration(integration)
        .level(AccessLevel.READ_ONLY)
        .duration(Duration.ofHours(1))
        .addResources(ResourceRef.database("postgres"));
  }

  /** Of the cases run: how many, how many named their field, how many showed their value. */
  private record Tally(int tried, int namedField, int showedValue) {}

  /**
   * Runs each case: it must throw an {@link InvalidValueException} whose {@code field()} is the
   * case's field and whose message starts with that field and ends with the value.
   */
  private static Tally run(List<Case> cases) {
    int tried = 0;
    int named = 0;
    int shown = 0;
    for (Case c : cases) {
      tried++;
      Throwable t = catchThrowable(c.action()::get);
      String label = c.label() + " " + InvalidValueException.describe(c.value());
      assertThat(t).as(label).isInstanceOf(InvalidValueException.class);
      InvalidValueException e = (InvalidValueException) t;
      assertThat(c.field()).as(label + ": expected field").isNotBlank();
      assertThat(e.field()).as(label).isEqualTo(c.field());
      assertThat(e.getMessage()).as(label).startsWith(c.field() + " ");
      named++;
      assertThat(e.getMessage())
          .as(label)
          .endsWith(", but was " + InvalidValueException.describe(c.value()));
      shown++;
    }
    return new Tally(tried, named, shown);
  }

  @AzurePostgresTest
  void invalidInputsFailBeforeAnySqlNamingTheFieldAndValue(AzurePostgres server, Connection admin)
      throws Exception {
    // 1. Build time: no connection can even be opened (there is none yet).
    Tally buildTime = run(buildTimeCases());

    // 2. Requests that name what the server does not have: the manager reads the catalog but
    // sends nothing to the executor.
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = AccessFixtures.integration(tc, 1);
    Recording recording = new Recording();
    AccessManager manager =
        AccessFixtures.manager(tc, integration, java.time.Clock.systemUTC())
            .withExecutor(recording);
    Integration other = Integration.builder().from(integration).name("another").build();
    List<Case> c = new ArrayList<>();
    ResourceRef[] missing = {
      ResourceRef.database("no_such_db"),
      ResourceRef.schema(db, "no_such_schema"),
      ResourceRef.relation(db, "app", "no_such_table"),
      ResourceRef.relation(db, "no_such_schema", "t"),
      ResourceRef.relation(db, "app", "T"),
      ResourceRef.relation(db, "app", "t\"; DROP TABLE app.secret; --"),
      ResourceRef.sequence(db, "app", "no_such_seq"),
      ResourceRef.function(db, "app", "f", "integer"),
      ResourceRef.function(db, "app", "no_such_function", ""),
      ResourceRef.role("no_such_role"),
      ResourceRef.role("azuresu"),
      ResourceRef.role(AccessManager.MARKER_ROLE),
    };
    for (ResourceRef r : missing) {
      c.add(
          new Case(
              "missing " + r,
              "AccessRequest.resources",
              r,
              () ->
                  manager.grant(
                      AccessFixtures.request(
                          integration,
                          "bad-input",
                          AccessLevel.READ_ONLY,
                          Duration.ofHours(1),
                          r))));
      c.add(
          new Case(
              "plan missing " + r,
              "AccessRequest.resources",
              r,
              () ->
                  manager.planGrant(
                      AccessFixtures.request(
                          integration,
                          "bad-input",
                          AccessLevel.READ_ONLY,
                          Duration.ofHours(1),
                          r))));
    }
    c.add(
        new Case(
            "other integration",
            "AccessRequest.integration",
            "another",
            () ->
                manager.grant(
                    AccessFixtures.request(
                        other,
                        "bad-input",
                        AccessLevel.READ_ONLY,
                        Duration.ofHours(1),
                        ResourceRef.relation(db, "app", "t")))));
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMinutes(-1)}) {
      c.add(new Case("extend " + bad, "extend.by", bad, () -> manager.extend("anyone", bad)));
    }
    c.add(
        new Case(
            "no connection",
            "AccessManager.credentials",
            null,
            () -> AccessManager.builder().integration(integration).build()));
    c.add(
        new Case(
            "no integration",
            "AccessManager.integration",
            null,
            () -> AccessManager.builder().credentials(tc.credentials()).build()));
    for (String bad : new String[] {"", repeat('c', 64)}) {
      c.add(
          new Case(
              "connector",
              "AccessManager.connector",
              bad,
              () -> AccessManager.builder().connector(bad)));
    }
    Tally atServer = run(c);
    assertThat(recording.plans).as("plans that reached the executor").isEmpty();
    // Nothing was created: the managed user for "bad-input" does not exist.
    io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
        .role(AccessManager.userName(integration.name(), "bad-input"))
        .doesNotExist();
    int tried = buildTime.tried() + atServer.tried();
    int named = buildTime.namedField() + atServer.namedField();
    int shown = buildTime.showedValue() + atServer.showedValue();
    System.out.printf(
        "HARDENING bad-input PG%d: %d invalid inputs tried (%d at build time, %d"
            + " against the server), %d plans reached the executor, %d named their field, %d showed"
            + " their value%n",
        server.majorVersion(),
        tried,
        buildTime.tried(),
        atServer.tried(),
        recording.plans.size(),
        named,
        shown);
    assertThat(buildTime.tried()).as("build-time cases").isEqualTo(BUILD_TIME_CASES);
    assertThat(atServer.tried()).as("server cases").isEqualTo(SERVER_CASES);
    assertThat(named)
        .as("cases whose exception named their field")
        .isEqualTo(BUILD_TIME_CASES + SERVER_CASES);
    assertThat(shown)
        .as("cases whose exception showed their value")
        .isEqualTo(BUILD_TIME_CASES + SERVER_CASES);
  }
}
