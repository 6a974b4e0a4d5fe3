package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Secret;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.SetupSql;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ConnectorSetupTest {
  private static final Secret PASSWORD = Secret.of("Sup3r-Secret!pw'\\");

  private static ConnectorSetup setup(int major) {
    return ConnectorSetup.builder().majorVersion(major).build();
  }

  @Test
  void defaultsAreTheConnectorAndMarkerNames() {
    ConnectorSetup s = setup(17);
    assertThat(s.connectorName()).isEqualTo("grantsmith_connector");
    assertThat(s.markerRole())
        .isEqualTo(ConnectorSetup.DEFAULT_MARKER_ROLE)
        .isEqualTo("grantsmith_managed");
    assertThat(s.database()).isEqualTo("postgres");
  }

  @Test
  void passwordNeverAppearsInTheScriptOrThePrintedPlan() {
    Plan plan = setup(16).plan(PASSWORD, List.of("shop"));
    String printed = plan.toSql();
    assertThat(printed)
        .doesNotContain(PASSWORD.reveal())
        .doesNotContain("SCRAM-SHA-256")
        .contains("ALTER ROLE grantsmith_connector WITH PASSWORD :'connector_password'");
    assertThat(plan.statements().stream().map(Statement::toString).collect(Collectors.joining()))
        .doesNotContain(PASSWORD.reveal())
        .doesNotContain("SCRAM-SHA-256");
    assertThat(plan.toString()).doesNotContain(PASSWORD.reveal());
    assertThat(setup(16).script(List.of("shop")))
        .doesNotContain(PASSWORD.reveal())
        .contains(":'connector_password'");
    assertThat(setup(16).script()).contains(":'connector_password'");
  }

  @Test
  void theExecutedPasswordStatementSendsAScramVerifier() {
    Statement pw =
        setup(17).plan(PASSWORD, List.of()).statements().stream()
            .filter(s -> s.sql().contains("PASSWORD"))
            .findFirst()
            .orElseThrow();
    assertThat(pw.sql())
        .startsWith("ALTER ROLE grantsmith_connector WITH PASSWORD 'SCRAM-SHA-256$")
        .doesNotContain(PASSWORD.reveal());
    assertThat(pw.redacted()).doesNotContain("SCRAM");
  }

  @Test
  void planForOneDatabaseGrantsItAndItsObjectsWithoutTouchingTheConnector() {
    Plan plan = setup(16).planFor("new \"db\"");
    assertThat(plan.databases()).containsExactlyInAnyOrder("postgres", "new \"db\"");
    assertThat(plan.statements())
        .extracting(Statement::sql)
        .noneMatch(sql -> sql.contains("grantsmith_connector") || sql.contains("ROLE"));
    assertThat(plan.statements().get(0).sql())
        .isEqualTo(
            "GRANT ALL PRIVILEGES ON DATABASE"
                + " \"new \"\"db\"\"\" TO azure_pg_admin WITH GRANT OPTION");
    assertThat(plan.statements().get(1).sql()).isEqualTo(Renderer.setupGrantInDatabase());
    assertThat(plan.steps()).noneMatch(Step::strict);
    String script = setup(16).scriptFor("new \"db\"");
    assertThat(script)
        .endsWith(plan.toSql())
        .contains("\\connect 'new \"db\"'")
        .doesNotContain(ConnectorSetup.PASSWORD_VARIABLE);
    assertThat(setup(16).scriptFor(List.of("a", "template1", "a")).split("ON DATABASE a ", -1))
        .hasSize(2);
  }

  @Test
  void planForRefusesNoDatabaseAndAzureOwnOnes() {
    assertThatThrownBy(() -> setup(16).planFor(List.of()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> setup(16).planFor("azure_maintenance"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("ConnectorSetup.databases")
        .hasMessageContaining("azure_maintenance");
  }

  @Test
  void theSetupCommandQuotesNamesForTheShell() {
    assertThat(SetupSql.setupCommand(List.of("late", "it's odd", "-x")))
        .isEqualTo(
            "grantsmith setup-sql --database late --database 'it'\\''s odd'" + " --database=-x");
  }

  @Test
  void stepOneMakesTheConnectorAnAzurePgAdminWithCreaterole() {
    String sql = setup(15).plan(PASSWORD, List.of()).toSql();
    assertThat(sql)
        .contains("CREATE ROLE grantsmith_connector WITH NOLOGIN")
        .contains("ALTER ROLE grantsmith_connector WITH LOGIN INHERIT CREATEROLE")
        .contains("GRANT azure_pg_admin TO grantsmith_connector;")
        .contains("CREATE ROLE grantsmith_managed WITH NOLOGIN")
        .contains("GRANT grantsmith_managed TO grantsmith_connector WITH ADMIN OPTION;");
  }

  @Test
  void version16AddsSelfGrantAndAdminOnlyMarkerMembership() {
    String v15 = setup(15).script(List.of("shop"));
    String v16 = setup(16).script(List.of("shop"));
    assertThat(v15).doesNotContain("createrole_self_grant").doesNotContain("INHERIT FALSE");
    assertThat(v16)
        .contains("ALTER ROLE grantsmith_connector SET createrole_self_grant = 'set, inherit'")
        .contains(
            "GRANT grantsmith_managed TO grantsmith_connector WITH ADMIN OPTION,"
                + " INHERIT FALSE, SET FALSE");
    assertThat(setup(18).script()).contains("createrole_self_grant");
  }

  @Test
  void excludedDatabasesAreSkippedAndTemplate1ComesLast() {
    Plan plan =
        setup(17)
            .plan(
                PASSWORD,
                List.of("template1", "azure_sys", "shop", "template0", "azure_maintenance", "crm"));
    List<String> perDatabase =
        plan.steps().stream().skip(2).map(Step::database).collect(Collectors.toList());
    assertThat(perDatabase).containsExactly("shop", "crm", "template1");
    assertThat(plan.toSql())
        .doesNotContain("azure_sys")
        .doesNotContain("template0")
        .doesNotContain("azure_maintenance")
        .contains("GRANT ALL PRIVILEGES ON DATABASE shop TO azure_pg_admin WITH GRANT OPTION")
        .contains(
            "ALTER DEFAULT PRIVILEGES GRANT ALL PRIVILEGES ON SCHEMAS TO azure_pg_admin"
                + " WITH GRANT OPTION")
        .contains("GRANT ALL PRIVILEGES ON ROUTINE ")
        .contains("regprocedure");
  }

  @Test
  void hostileNamesAreQuoted() {
    String name = "it's \"x\"; DROP";
    ConnectorSetup s =
        ConnectorSetup.builder()
            .majorVersion(16)
            .connectorName(name)
            .markerRole("Managed$gs$")
            .build();
    String sql = s.plan(PASSWORD, List.of("sh'op\\\"db")).toSql();
    assertThat(sql)
        .contains("CREATE ROLE \"it's \"\"x\"\"; DROP\" WITH NOLOGIN")
        .contains("WHERE rolname = 'it''s \"x\"; DROP'")
        .contains("GRANT azure_pg_admin TO \"it's \"\"x\"\"; DROP\"")
        .contains("GRANT ALL PRIVILEGES ON DATABASE \"sh'op\\\"\"db\" TO azure_pg_admin")
        .contains("\\connect 'sh\\'op\\\\\"db'")
        // The marker's name holds the default dollar tag: another one is chosen.
        .contains("DO $gs1$")
        .contains("CREATE ROLE \"Managed$gs$\" WITH NOLOGIN");
  }

  @Test
  void dollarQuoteAvoidsTagsInTheBody() {
    assertThat(SetupSql.dollarQuote("x")).isEqualTo("$gs$x$gs$");
    assertThat(SetupSql.dollarQuote("$gs$ $gs1$")).isEqualTo("$gs2$$gs$ $gs1$$gs2$");
  }

  @Test
  void scriptPromptsForThePasswordUnlessGiven() {
    String script = setup(17).script(List.of("shop"));
    assertThat(script)
        .startsWith("-- Grantsmith connector setup")
        .contains(
            "\\set ON_ERROR_STOP on\n\\if :{?connector_password}\n\\else\n"
                + "\\prompt 'Password for grantsmith_connector: ' connector_password\n\\endif\n")
        .contains("\\connect 'postgres'")
        .contains("\\connect 'shop'");
  }

  @Test
  void selfDiscoveringScriptWritesAndRunsThePerDatabaseFile() {
    String script = setup(17).script();
    assertThat(script)
        .contains("FOR d IN SELECT datname FROM pg_catalog.pg_database WHERE datallowconn")
        .contains("'template0', 'azure_sys', 'azure_maintenance'")
        .contains("\\g " + ConnectorSetup.GENERATED_FILE + "\n")
        .contains("\\i " + ConnectorSetup.GENERATED_FILE + "\n")
        .doesNotContain("\n\\connect");
  }

  @Test
  void reservedOrInvalidNamesAreRejected() {
    assertThatThrownBy(
            () -> ConnectorSetup.builder().majorVersion(16).connectorName("azure_pg_admin").build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("ConnectorSetup.connectorName");
    assertThatThrownBy(
            () -> ConnectorSetup.builder().majorVersion(16).markerRole("pg_monitor").build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("ConnectorSetup.markerRole");
    assertThatThrownBy(() -> ConnectorSetup.builder().build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageContaining("ConnectorSetup.majorVersion");
    assertThatThrownBy(() -> setup(16).plan(PASSWORD, List.of("x".repeat(64))))
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void schemaFilterSkipsSystemSchemasExactly() {
    assertThat(SetupSql.schemaFilter("n.nspname"))
        .isEqualTo(
            "left(n.nspname, 3) <> 'pg_' AND n.nspname NOT IN ('information_schema', 'cron')");
  }

  @Test
  void anEntraAdministratorsSetupCreatesNoRoleAndSetsNoPassword() {
    ConnectorSetup s =
        ConnectorSetup.builder().majorVersion(16).connectorName("grantsmith-mi").build();
    Plan plan = s.planForEntraAdministrator(List.of("shop", "azure_sys"));
    List<String> first =
        plan.steps().get(0).statements().stream().map(Statement::sql).collect(Collectors.toList());
    assertThat(first)
        .containsExactly(
            Renderer.setupGrantAzurePgAdmin("grantsmith-mi"),
            Renderer.setupCreateRoleIfMissing("grantsmith_managed"),
            new Renderer(16).setupGrantMarker("grantsmith_managed", "grantsmith-mi"));
    assertThat(plan.toSql())
        .doesNotContain("PASSWORD")
        .doesNotContain("CREATE ROLE \"grantsmith-mi\"")
        .doesNotContain("ALTER ROLE \"grantsmith-mi\"")
        .contains("ON DATABASE shop")
        .doesNotContain("azure_sys");
    assertThat(s.planForEntraConnectorItself().statements())
        .extracting(Statement::sql)
        .containsExactly(Renderer.setupCreateroleSelfGrant("grantsmith-mi"));
    assertThat(
            ConnectorSetup.builder()
                .majorVersion(15)
                .connectorName("grantsmith-mi")
                .build()
                .planForEntraConnectorItself()
                .steps())
        .isEmpty();
    assertThat(s.scriptForEntraAdministrator())
        .contains("Microsoft Entra administrator")
        .contains("\\i " + ConnectorSetup.GENERATED_FILE)
        .contains("--    " + Renderer.setupCreateroleSelfGrant("grantsmith-mi") + ";")
        .doesNotContain("PASSWORD")
        .doesNotContain(":'connector_password'");
  }
}
