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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Issue 8, point 2: every invalid field of {@link Integration} and {@link AccessRequest} (and of
 * the {@link ResourceRef}s a request holds), and every request that names something the server
 * does not have, fails with an {@link InvalidValueException} whose message names the field and
 * shows the value, before any SQL is sent: the executor received no plan, and for values
 * checked at build time no connection was even opened.
 */
class HardeningBadInputIT {
  /** How many invalid inputs the last run tried; read by the report. */
  static final AtomicInteger TRIED = new AtomicInteger();

  private record Case(String label, String field, String value, Supplier<?> action) {}

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
    for (String bad : new String[] {"", "1abc", "-abc", "a b", "a;b", "a'b", "a\"b", "ä", "x\n",
        "a" + repeat('b', 64)}) {
      c.add(new Case("name", "Integration.name", bad,
          () -> okIntegration().name(bad).build()));
    }
    for (String bad : new String[] {"", "bad host", "host;drop", "-lead.example.com",
        "a..b", "host_with_underscore?", "h/ost", "h\u0000", repeat('a', 254)}) {
      c.add(new Case("hostname", "Integration.hostname", bad,
          () -> okIntegration().hostname(bad).build()));
    }
    for (int bad : new int[] {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      c.add(new Case("port", "Integration.port", String.valueOf(bad),
          () -> okIntegration().port(bad).build()));
    }
    for (String bad : new String[] {"", repeat('d', 64), repeat('\u00e9', 32), "nul\u0000db"}) {
      c.add(new Case("database", "Integration.database", bad,
          () -> okIntegration().database(bad).build()));
    }
    for (String bad : new String[] {"", "  ", "id\n", "id\u0007"}) {
      c.add(new Case("connectorId", "Integration.connectorId", bad,
          () -> okIntegration().connectorId(bad).build()));
    }
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
      c.add(new Case("credentialRotationDays", "Integration.credentialRotationDays",
          String.valueOf(bad), () -> okIntegration().credentialRotationDays(bad).build()));
    }
    for (int bad : new int[] {-1, Integer.MIN_VALUE}) {
      c.add(new Case("userCleanupAfterDays", "Integration.userCleanupAfterDays",
          String.valueOf(bad), () -> okIntegration().userCleanupAfterDays(bad).build()));
    }
    String longDetails = repeat('x', Integration.MAX_CUSTOM_ACCESS_DETAILS + 1);
    c.add(new Case("customAccessDetails", "Integration.customAccessDetails", "xxxxxxxx",
        () -> okIntegration().customAccessDetails(longDetails).build()));
    c.add(new Case("resourceOwners", "Integration.resourceOwners", "",
        () -> okIntegration().addResourceOwner(ResourceOwner.of("team", "email")).build()));
    for (Duration bad : new Duration[] {Duration.ofSeconds(59), Duration.ZERO,
        Duration.ofMinutes(-5)}) {
      c.add(new Case("maxAccessDuration", "Integration.maxAccessDuration", bad.toString(),
          () -> okIntegration().maxAccessDuration(bad).build()));
    }
    // AccessRequest
    for (String bad : new String[] {"", "   ", repeat('r', 129), "id\tx", "id\r\n"}) {
      c.add(new Case("requestId", "AccessRequest.requestId", bad,
          () -> request(ok).requestId(bad).build()));
    }
    for (String bad : new String[] {"", " ", repeat('g', 257), "alice\n", "bob\u0000"}) {
      c.add(new Case("grantee", "AccessRequest.grantee", bad,
          () -> request(ok).grantee(bad).build()));
    }
    c.add(new Case("resources", "AccessRequest.resources", "[]",
        () -> AccessRequest.builder().requestId("r").grantee("g").integration(ok)
            .duration(Duration.ofHours(1)).build()));
    for (Duration bad : new Duration[] {Duration.ofSeconds(59), Duration.ZERO,
        Duration.ofHours(-1), Duration.ofDays(8)}) {
      c.add(new Case("duration", "AccessRequest.duration", bad.toString(),
          () -> request(ok).duration(bad).build()));
    }
    String longJustification = repeat('j', 1001);
    c.add(new Case("justification", "AccessRequest.justification", "jjjjjjjj",
        () -> request(ok).justification(longJustification).build()));
    c.add(new Case("justification NUL", "AccessRequest.justification", "because",
        () -> request(ok).justification("because\u0000").build()));
    c.add(new Case("cleanupAfterDays", "AccessRequest.cleanupAfterDays", "-1",
        () -> request(ok).cleanupAfterDays(-1).build()));
    // ResourceRefs in a request
    for (String bad : new String[] {"", repeat('t', 64), repeat('\u65e5', 22), "t\u0000"}) {
      c.add(new Case("relation name", "", bad,
          () -> ResourceRef.relation("db", "s", bad)));
      c.add(new Case("schema name", "", bad,
          () -> ResourceRef.schema("db", bad)));
      c.add(new Case("database name", "", bad,
          () -> ResourceRef.database(bad)));
      c.add(new Case("role name", "", bad,
          () -> ResourceRef.role(bad)));
    }
    c.add(new Case("relation without database", "ResourceRef.database", "",
        () -> ResourceRef.builder().kind(ResourceKind.RELATION).schema("s").name("t").build()));
    c.add(new Case("server with a database", "", "",
        () -> ResourceRef.builder().kind(ResourceKind.SERVER).database("db").build()));
    // Timeouts
    c.add(new Case("timeouts", "Timeouts", "PT-1S",
        () -> new ConnectionSource.Timeouts(Duration.ofSeconds(-1), Duration.ZERO,
            Duration.ZERO, Duration.ZERO)));
    return c;
  }

  private static AccessRequest.Builder request(Integration integration) {
    return AccessRequest.builder().requestId("REQ-1").grantee("alice@example.com")
        .integration(integration).level(AccessLevel.READ_ONLY).duration(Duration.ofHours(1))
        .addResources(ResourceRef.database("postgres"));
  }

  /** Whether a message shows the value, as InvalidValueException.describe renders it. */
  private static boolean showsValue(String message, String value) {
    if (value.isEmpty()) {
      return true;
    }
    String described = InvalidValueException.describe(value);
    String inner = described.substring(1, Math.min(described.length() - 1, 40));
    return message.contains(inner) || message.contains(value.substring(0,
        Math.min(8, value.length())));
  }

  @AzurePostgresTest
  void invalidInputsFailBeforeAnySqlNamingTheFieldAndValue(AzurePostgres server,
      Connection admin) throws Exception {
    int tried = 0;
    // 1. Build time: no connection can even be opened (there is none yet).
    for (Case c : buildTimeCases()) {
      Throwable t = catchThrowable(c.action()::get);
      assertThat(t).as(c.label() + " " + InvalidValueException.describe(c.value()))
          .isInstanceOf(InvalidValueException.class);
      if (!c.field().isEmpty()) {
        assertThat(((InvalidValueException) t).field()).as(c.label()).isEqualTo(c.field());
        assertThat(t.getMessage()).as(c.label()).startsWith(c.field())
            .contains("but was");
      }
      assertThat(showsValue(t.getMessage(), c.value())).as(c.label() + ": " + t.getMessage())
          .isTrue();
      tried++;
    }

    // 2. Requests that name what the server does not have: the manager reads the catalog but
    // sends nothing to the executor.
    String db = server.createDatabase();
    AccessFixtures.estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = AccessFixtures.integration(tc, 1);
    Recording recording = new Recording();
    AccessManager manager = AccessFixtures.manager(tc, integration, java.time.Clock.systemUTC())
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
      c.add(new Case("missing " + r, "AccessRequest.resources", "",
          () -> manager.grant(AccessFixtures.request(integration, "bad-input",
              AccessLevel.READ_ONLY, Duration.ofHours(1), r))));
      c.add(new Case("plan missing " + r, "AccessRequest.resources", "",
          () -> manager.planGrant(AccessFixtures.request(integration, "bad-input",
              AccessLevel.READ_ONLY, Duration.ofHours(1), r))));
    }
    c.add(new Case("other integration", "AccessRequest.integration", "another",
        () -> manager.grant(AccessFixtures.request(other, "bad-input", AccessLevel.READ_ONLY,
            Duration.ofHours(1), ResourceRef.relation(db, "app", "t")))));
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMinutes(-1)}) {
      c.add(new Case("extend " + bad, "extend.by", bad.toString(),
          () -> manager.extend("anyone", bad)));
    }
    c.add(new Case("no connection", "AccessManager.credentials", "",
        () -> AccessManager.builder().integration(integration).build()));
    c.add(new Case("no integration", "AccessManager.integration", "",
        () -> AccessManager.builder().credentials(tc.credentials()).build()));
    for (String bad : new String[] {"", repeat('c', 64)}) {
      c.add(new Case("connector", "AccessManager.connector", bad,
          () -> AccessManager.builder().connector(bad)));
    }
    for (Case k : c) {
      Throwable t = catchThrowable(k.action()::get);
      assertThat(t).as(k.label()).isInstanceOf(InvalidValueException.class);
      InvalidValueException e = (InvalidValueException) t;
      assertThat(e.field()).as(k.label()).isEqualTo(k.field());
      assertThat(e.getMessage()).as(k.label()).startsWith(k.field());
      if (!k.value().isEmpty()) {
        assertThat(e.getMessage()).as(k.label()).contains(k.value());
      }
      tried++;
    }
    assertThat(recording.plans).as("plans that reached the executor").isEmpty();
    // Nothing was created: the managed user for "bad-input" does not exist.
    io.grantsmith.testkit.GrantsmithAssertions.assertThat(server)
        .role(AccessManager.userName(integration.name(), "bad-input")).doesNotExist();
    TRIED.set(tried);
    System.out.printf("HARDENING bad-input: %d invalid inputs tried, 0 reached the executor,"
        + " every one named its field%n", tried);
    assertThat(tried).isGreaterThanOrEqualTo(100);
  }
}
