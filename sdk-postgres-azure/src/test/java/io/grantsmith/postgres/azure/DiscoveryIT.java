package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.ConnectorSetupIT.applySetup;
import static io.grantsmith.postgres.azure.ConnectorSetupIT.as;
import static io.grantsmith.postgres.azure.ConnectorSetupIT.exec;
import static io.grantsmith.postgres.azure.ConnectorSetupIT.integration;
import static io.grantsmith.postgres.azure.ConnectorSetupIT.setup;
import static io.grantsmith.postgres.azure.ConnectorSetupIT.unique;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.Integration;
import io.grantsmith.api.RelationKind;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.Estate;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

class DiscoveryIT {

  @AzurePostgresTest
  void findsTheEstateWithKindsAndSignaturesAndSkipsWhatIsExcluded(AzurePostgres server)
      throws SQLException {
    Estate estate =
        Estate.builder()
            .schemas(2)
            .tables(2)
            .views(1)
            .sequences(1)
            .functions(1)
            .hostileNames(true)
            .create(server);
    String db = estate.databases().get(0).name();
    try (Connection admin = server.adminConnection(db)) {
      exec(
          admin,
          "CREATE SCHEMA extra",
          "CREATE MATERIALIZED VIEW extra.mv AS SELECT 1 AS one",
          "CREATE TABLE extra.parted (id int, at date) PARTITION BY RANGE (at)",
          "CREATE PROCEDURE extra.\"Do It\"(a integer, VARIADIC b text[]) LANGUAGE sql AS ''",
          "CREATE FUNCTION extra.nothing() RETURNS int LANGUAGE sql AS 'SELECT 1'",
          "CREATE SCHEMA cron",
          "CREATE TABLE cron.job (id int)");
    }
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    // A database created later whose CONNECT is revoked from PUBLIC: the connector cannot
    // connect to it.
    String closed = unique("closed");
    server.createDatabase(closed);
    try (Connection admin = server.adminConnection(closed)) {
      exec(admin, "REVOKE CONNECT ON DATABASE " + closed + " FROM PUBLIC");
    }

    DiscoveredServer found =
        Discovery.of(integration(server), as(server, setup.connectorName(), password))
            .withMarkerRole(setup.markerRole())
            .discover();

    assertThat(found.majorVersion()).isEqualTo(server.majorVersion());
    assertThat(found.databases())
        .extracting(DiscoveredDatabase::name)
        .contains(db, "postgres")
        .doesNotContain("template0", "template1", "azure_sys", "azure_maintenance", closed);
    assertThat(found.skippedDatabases()).contains(closed);

    DiscoveredDatabase d = found.database(db).orElseThrow();
    assertThat(d.owner()).isEqualTo(server.adminUser());
    Estate.Database expected = estate.databases().get(0);
    assertThat(d.schemas())
        .containsAll(expected.schemas())
        .contains("public", "extra")
        .doesNotContain("cron", "information_schema", "pg_catalog", "pg_toast");
    Map<ResourceRef, RelationKind> kinds =
        d.relations().stream()
            .collect(Collectors.toMap(DiscoveredObject::ref, o -> o.relationKind().get()));
    for (Estate.Relation t : expected.tables()) {
      assertThat(kinds)
          .containsEntry(ResourceRef.relation(db, t.schema(), t.name()), RelationKind.TABLE);
    }
    for (Estate.Relation v : expected.views()) {
      assertThat(kinds)
          .containsEntry(ResourceRef.relation(db, v.schema(), v.name()), RelationKind.VIEW);
    }
    assertThat(kinds)
        .containsEntry(ResourceRef.relation(db, "extra", "mv"), RelationKind.MATERIALIZED_VIEW);
    assertThat(kinds)
        .containsEntry(ResourceRef.relation(db, "extra", "parted"), RelationKind.PARTITIONED_TABLE);
    assertThat(kinds.keySet()).noneMatch(r -> r.schema().get().equals("cron"));
    assertThat(d.sequences())
        .extracting(DiscoveredObject::ref)
        .containsAll(
            expected.sequences().stream()
                .map(s -> ResourceRef.sequence(db, s.schema(), s.name()))
                .collect(Collectors.toList()));
    assertThat(d.functions())
        .extracting(DiscoveredObject::ref)
        .containsAll(
            expected.functions().stream()
                .map(
                    f ->
                        ResourceRef.function(
                            db, f.schema(), f.name(), String.join(", ", f.argumentTypes())))
                .collect(Collectors.toList()));
    DiscoveredObject proc =
        d.functions().stream()
            .filter(f -> f.ref().name().get().equals("Do It"))
            .findFirst()
            .orElseThrow();
    assertThat(proc.procedure()).isTrue();
    // The server's own text: PostgreSQL 14+ prints argument modes of procedures ("IN a ...").
    assertThat(proc.ref().arguments().get()).matches("(IN )?a integer, VARIADIC b text\\[\\]");
    assertThat(d.functions()).filteredOn(DiscoveredObject::procedure).hasSize(1);
    assertThat(d.functions())
        .extracting(DiscoveredObject::ref)
        .contains(ResourceRef.function(db, "extra", "nothing", ""));
    assertThat(d.objects())
        .filteredOn(o -> !o.ref().schema().get().equals("public"))
        .allMatch(o -> o.owner().equals(server.adminUser()));
  }

  @AzurePostgresTest
  void findsTheRolesPeopleUseButNotReservedConnectorOrManagedOnes(AzurePostgres server)
      throws SQLException {
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    String group = unique("app_readers");
    String alice = unique("alice");
    String managed = unique("managed");
    try (Connection admin = server.adminConnection("postgres")) {
      exec(
          admin,
          "CREATE ROLE " + group + " NOLOGIN",
          "CREATE ROLE " + alice + " LOGIN CREATEDB PASSWORD 'x-" + alice + "'",
          "GRANT " + group + " TO " + alice,
          "COMMENT ON ROLE " + alice + " IS 'Alice from finance'");
    }
    try (Connection connector = server.connect("postgres", setup.connectorName(), password)) {
      exec(
          connector,
          "CREATE ROLE " + managed + " LOGIN PASSWORD 'x-" + managed + "'",
          "GRANT " + setup.markerRole() + " TO " + managed);
    }
    DiscoveredServer found =
        Discovery.of(integration(server), as(server, setup.connectorName(), password))
            .withMarkerRole(setup.markerRole())
            .discover();
    assertThat(found.roles())
        .extracting(DiscoveredRole::name)
        .contains(group, alice, server.adminUser())
        .doesNotContain(
            setup.connectorName(),
            setup.markerRole(),
            managed,
            "azure_pg_admin",
            "azuresu",
            "replication",
            "pg_monitor",
            "pg_read_all_data");
    assertThat(found.roles())
        .extracting(DiscoveredRole::name)
        .noneMatch(n -> n.startsWith("pg_") || n.startsWith("azure_"));
    DiscoveredRole a = found.role(alice).orElseThrow();
    assertThat(a.login()).isTrue();
    assertThat(a.createDb()).isTrue();
    assertThat(a.createRole()).isFalse();
    assertThat(a.comment()).contains("Alice from finance");
    assertThat(a.memberOf()).containsExactly(group);
    assertThat(found.role(group).orElseThrow().login()).isFalse();
  }

  @AzurePostgresTest
  void readsOnlyTheIntegrationsResourceTypes(AzurePostgres server) throws SQLException {
    Estate estate = Estate.builder().schemas(1).tables(1).sequences(1).functions(1).create(server);
    String db = estate.databases().get(0).name();
    ConnectorSetup setup = setup(server);
    String password = "Conn-" + UUID.randomUUID();
    applySetup(server, setup, password);
    Integration onlyRelations =
        Integration.builder()
            .from(integration(server))
            .addResourceType(ResourceKind.RELATION)
            .build();
    DiscoveredServer found =
        Discovery.of(onlyRelations, as(server, setup.connectorName(), password))
            .withMarkerRole(setup.markerRole())
            .discover();
    assertThat(found.roles()).isEmpty();
    DiscoveredDatabase d = found.database(db).orElseThrow();
    assertThat(d.objects()).isNotEmpty().allMatch(o -> o.kind() == ResourceKind.RELATION);

    Integration onlyRoles =
        Integration.builder().from(integration(server)).addResourceType(ResourceKind.ROLE).build();
    DiscoveredServer roles =
        Discovery.of(onlyRoles, as(server, setup.connectorName(), password))
            .withMarkerRole(setup.markerRole())
            .discover();
    assertThat(roles.databases()).isEmpty();
    assertThat(roles.roles()).extracting(DiscoveredRole::name).contains(server.adminUser());
  }
}
