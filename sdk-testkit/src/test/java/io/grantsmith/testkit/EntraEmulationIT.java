package io.grantsmith.testkit;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;

import io.grantsmith.api.EntraPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** The Entra emulation, used as an Entra administrator would use Azure's functions. */
class EntraEmulationIT {

  @AzurePostgresTest
  void anEntraAdministratorCreatesPrincipalsAndOnlyTheCurrentTokenLogsIn(AzurePostgres server)
      throws SQLException {
    EntraEmulation entra = EntraEmulation.install(server);
    EntraEmulation.install(server); // again: nothing changes
    String admin = "entra-admin-" + UUID.randomUUID().toString().substring(0, 8);
    String adminOid = UUID.randomUUID().toString();
    entra.createAdministrator(admin, adminOid, "service");
    assertThat(entra.objectId(admin)).contains(adminOid);
    assertThat(server).role(admin).exists();

    String first = "token-" + UUID.randomUUID();
    entra.acceptToken(admin, first);
    String user = "alice." + UUID.randomUUID().toString().substring(0, 8) + "@contoso.com";
    String userOid = UUID.randomUUID().toString();
    try (Connection c = server.connect("postgres", admin, first)) {
      assertThat(call(c, user, userOid, "user")).isEqualTo("Created role for " + user);
      // Bad input: an object id that is not a UUID, an unknown type, an existing role.
      assertThatThrownBy(() -> call(c, "x" + user, "not-a-uuid", "user"))
          .hasFieldOrPropertyWithValue("SQLState", "22P02");
      assertThatThrownBy(() -> call(c, "y" + user, userOid, "robot"))
          .hasFieldOrPropertyWithValue("SQLState", "22023");
      assertThatThrownBy(() -> call(c, user, userOid, "user"))
          .hasFieldOrPropertyWithValue("SQLState", "42710");
    }
    assertThat(entra.objectId(user)).contains(userOid);
    assertThat(entra.principals()).contains(admin, user);

    // The server admin is not an Entra administrator: it may not create Entra roles.
    try (Connection c = server.adminConnection("postgres")) {
      assertThatThrownBy(() -> call(c, "z" + user, userOid, "user"))
          .hasFieldOrPropertyWithValue("SQLState", "42501");
    }
    // The user logs in with its token; a token accepted before stops working.
    entra.acceptToken(user, "user-token-1");
    server.connect("postgres", user, "user-token-1").close();
    String second = "token-" + UUID.randomUUID();
    entra.acceptToken(admin, second);
    assertThatThrownBy(() -> server.connect("postgres", admin, first))
        .hasFieldOrPropertyWithValue("SQLState", "28P01");
    try (Connection c = server.connect("postgres", admin, second);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT objectid, principaltype, isadmin FROM pgaadauth_list_principals(true)"
                    + " WHERE rolname = ?")) {
      ps.setString(1, admin);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(adminOid);
        assertThat(rs.getString(2)).isEqualTo("service");
        assertThat(rs.getInt(3)).isEqualTo(1);
      }
    }
  }

  @AzurePostgresTest
  void asTheEntraDirectoryItCreatesMapsAndDropsRolesAndIssuesTokens(AzurePostgres server)
      throws SQLException {
    EntraDirectory entra = EntraDirectory.of(server, EntraTokenSource.none());
    assertThat(entra).isInstanceOf(EntraEmulation.class);
    assertThat(entra.emulated()).isTrue();
    String name = "svc-" + UUID.randomUUID().toString().substring(0, 8);
    EntraPrincipal service = entra.principal(EntraPrincipal.Type.SERVICE, name);
    assertThat(service.roleName()).isEqualTo(name);
    assertThat(entra.mapping(name)).isEmpty();
    entra.ensureRole(service);
    entra.ensureRole(service); // mapped to it already: nothing changes
    assertThat(entra.mapping(name)).contains(service);
    EntraPrincipal other = entra.principal(EntraPrincipal.Type.SERVICE, name);
    assertThatThrownBy(() -> entra.ensureRole(other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(other.objectId())
        .hasMessageContaining(service.objectId());

    String first = entra.token(service);
    server.connect("postgres", name, first).close();
    String second = entra.token(service);
    assertThat(second).isNotEqualTo(first);
    assertThatThrownBy(() -> server.connect("postgres", name, first))
        .hasFieldOrPropertyWithValue("SQLState", "28P01");
    server.connect("postgres", name, second).close();

    entra.dropRole(service);
    entra.dropRole(service); // gone already: nothing to do
    assertThat(server).role(name).doesNotExist();
    assertThat(entra.mapping(name)).isEmpty();
  }

  @AzurePostgresTest
  void createPrincipalFindsThePrincipalInTheDirectoryByName(AzurePostgres server)
      throws SQLException {
    EntraEmulation entra = EntraEmulation.install(server);
    String group = "Team " + UUID.randomUUID().toString().substring(0, 8);
    String oid = UUID.randomUUID().toString();
    entra.addToDirectory(group, oid, "group");
    try (Connection c = server.superuserConnection("postgres");
        PreparedStatement ps =
            c.prepareStatement("SELECT pgaadauth_create_principal(?, false, false)")) {
      ps.setString(1, group);
      ps.execute();
      ps.setString(1, "nobody-" + oid);
      assertThatThrownBy(ps::execute).hasFieldOrPropertyWithValue("SQLState", "42704");
    }
    assertThat(entra.objectId(group)).contains(oid);
  }

  private static String call(Connection c, String role, String oid, String type)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT pgaadauth_create_principal_with_oid(?, ?, ?, false, false)")) {
      ps.setString(1, role);
      ps.setString(2, oid);
      ps.setString(3, type);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }
}
