package io.grantsmith.testkit;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.testkit.internal.AzureEntraDirectory;
import io.grantsmith.testkit.internal.EntraSql;
import io.grantsmith.testkit.internal.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;

/**
 * Microsoft Entra authentication emulated on a plain PostgreSQL, which has no {@code pgaadauth}
 * extension: Azure's functions {@code pgaadauth_create_principal_with_oid(roleName, objectId,
 * objectType, isAdmin, isMfa)}, {@code pgaadauth_create_principal(roleName, isAdmin, isMfa)} and
 * {@code pgaadauth_list_principals(isAdmin)} in the {@code postgres} database, the
 * principal-to-object-id mapping as a catalog table (where Azure uses a security label), Entra
 * administrators (LOGIN, CREATEROLE, CREATEDB, members of {@code azure_pg_admin}; only they and
 * superusers may create Entra roles), and token logins as SCRAM passwords: {@link #acceptToken}
 * makes the server accept one token, and no other, as a role's password, as Azure accepts a valid
 * token.
 *
 * <pre>{@code
 * EntraEmulation entra = EntraEmulation.install(server);
 * entra.createAdministrator("grantsmith-mi", objectId, "service");
 * entra.acceptToken("grantsmith-mi", token); // what the test TokenCredential hands out
 * }</pre>
 *
 * <p>Limits: tokens are not JWTs and carry no claims (no expiry, audience or {@code mfa} check;
 * {@code isMfa} is only recorded); a principal logs in only with the token last accepted for it;
 * group members do not log in with the group's name; the functions exist in {@code postgres} only.
 * On an {@linkplain AzurePostgres#external() external} Azure server nothing is emulated: the
 * server's own functions and Entra are used ({@link EntraDirectory#of} chooses).
 *
 * <p>As an {@link EntraDirectory} it makes principals with the names a test asks for and fresh
 * object ids, creates and drops roles as the superuser, and issues a new opaque token at each
 * {@link #token(EntraPrincipal)}, which the server then accepts instead of the previous one.
 */
public final class EntraEmulation implements EntraDirectory {
  /** Servers the emulation is installed on, in this JVM (installing again is harmless). */
  private static final Set<AzurePostgres> INSTALLED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  private final AzurePostgres server;

  private EntraEmulation(AzurePostgres server) {
    this.server = server;
  }

  /**
   * Installs the emulation on a server (as its superuser, once per server; safe to call again).
   *
   * @param server an embedded or Docker server
   * @return the emulation
   * @throws UnsupportedOperationException on an external server
   * @throws IllegalStateException if the installation fails
   */
  public static EntraEmulation install(AzurePostgres server) {
    Objects.requireNonNull(server, "server");
    if (server.type() == ServerType.EXTERNAL) {
      throw new UnsupportedOperationException(
          "An external server has Azure's own pgaadauth functions; nothing is emulated there"
              + " (EntraDirectory.of uses the tenant configured by GRANTSMITH_ENTRA_* instead)");
    }
    if (!INSTALLED.contains(server)) {
      synchronized (INSTALLED) {
        if (!INSTALLED.contains(server)) {
          try (Connection c = server.superuserConnection(EntraSql.DATABASE)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
              st.execute(EntraSql.install());
            }
            c.commit();
          } catch (SQLException e) {
            throw new IllegalStateException(
                "Cannot install the Entra emulation (SQLSTATE " + e.getSQLState() + ")", e);
          }
          INSTALLED.add(server);
        }
      }
    }
    return new EntraEmulation(server);
  }

  @Override
  public AzurePostgres server() {
    return server;
  }

  @Override
  public boolean emulated() {
    return true;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: {@link #createAdministrator} with a fresh object id, as a service principal.
   */
  @Override
  public EntraPrincipal administrator(String roleName) {
    EntraPrincipal admin =
        EntraPrincipal.of(EntraPrincipal.Type.SERVICE, roleName, UUID.randomUUID().toString());
    createAdministrator(admin.roleName(), admin.objectId(), admin.type().label());
    return admin;
  }

  @Override
  public EntraPrincipal principal(EntraPrincipal.Type type, String roleName) {
    return EntraPrincipal.of(type, roleName, UUID.randomUUID().toString());
  }

  @Override
  public void ensureRole(EntraPrincipal principal) {
    Optional<EntraPrincipal> mapped = mapping(principal.roleName());
    if (mapped.isPresent()) {
      AzureEntraDirectory.checkSameMapping(principal, mapped.get());
      return;
    }
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_catalog.pgaadauth_create_principal_with_oid(?, ?, ?, false, false)")) {
      ps.setString(1, principal.roleName());
      ps.setString(2, principal.objectId());
      ps.setString(3, principal.type().label());
      ps.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create the role of "
              + principal.roleName()
              + " (SQLSTATE "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  @Override
  public void dropRole(EntraPrincipal principal) {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        Statement st = c.createStatement()) {
      st.execute("DROP ROLE IF EXISTS " + Identifiers.quote(principal.roleName()));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot drop the role " + principal.roleName() + " (SQLSTATE " + e.getSQLState() + ")",
          e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here: a new opaque token, passed to {@link #acceptToken}.
   */
  @Override
  public String token(EntraPrincipal principal) {
    String token = "token-" + UUID.randomUUID();
    acceptToken(principal.roleName(), token);
    return token;
  }

  @Override
  public Optional<EntraPrincipal> mapping(String roleName) {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT principaltype, objectid FROM pgaadauth_list_principals(false)"
                    + " WHERE rolname = ?")) {
      ps.setString(1, roleName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(
                EntraPrincipal.of(
                    EntraPrincipal.Type.parse(rs.getString(1)), roleName, rs.getString(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the principals (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }

  /**
   * The database the {@code pgaadauth} functions live in ({@code postgres}).
   *
   * @return the database name
   */
  public String database() {
    return EntraSql.DATABASE;
  }

  /**
   * Adds a Microsoft Entra administrator, as an Azure administrator does in the portal: {@code
   * pgaadauth_create_principal_with_oid(roleName, objectId, objectType, true, false)} run as the
   * superuser.
   *
   * @param roleName the role name (the principal's display name or UPN)
   * @param objectId the principal's object id, a UUID
   * @param objectType {@code user}, {@code group} or {@code service}
   * @return the role name
   * @throws IllegalStateException if the server refuses (e.g. the role exists)
   */
  public String createAdministrator(String roleName, String objectId, String objectType) {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_catalog.pgaadauth_create_principal_with_oid(?, ?, ?, true, false)")) {
      ps.setString(1, roleName);
      ps.setString(2, objectId);
      ps.setString(3, objectType);
      ps.execute();
      return roleName;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot create the Entra administrator "
              + roleName
              + " (SQLSTATE "
              + e.getSQLState()
              + ")",
          e);
    }
  }

  /**
   * Adds a principal to the emulated Entra directory, where {@code pgaadauth_create_principal}
   * finds principals by name.
   *
   * @param displayName the name Entra knows it by
   * @param objectId its object id, a UUID
   * @param objectType {@code user}, {@code group} or {@code service}
   */
  public void addToDirectory(String displayName, String objectId, String objectType) {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + EntraSql.SCHEMA
                    + ".directory VALUES (?, ?::uuid, ?) ON CONFLICT (display_name) DO UPDATE"
                    + " SET object_id = EXCLUDED.object_id, object_type = EXCLUDED.object_type")) {
      ps.setString(1, displayName);
      ps.setString(2, objectId);
      ps.setString(3, objectType);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot add " + displayName + " to the directory (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }

  /**
   * Makes the server accept {@code token}, and no other token, for {@code roleName} from now on:
   * sets the role's SCRAM password to it. Call it with each token the test's credential hands out;
   * a token accepted before stops working, as an expired token does on Azure.
   *
   * @param roleName an Entra role
   * @param token the token text
   */
  public void acceptToken(String roleName, String token) {
    Objects.requireNonNull(token, "token");
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        Statement st = c.createStatement()) {
      st.execute("SET password_encryption = 'scram-sha-256'");
      st.execute(
          "ALTER ROLE "
              + Identifiers.quote(roleName)
              + " WITH PASSWORD "
              + Identifiers.literal(token));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot accept a token for " + roleName + " (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }

  /**
   * The object id the emulation maps {@code roleName} to.
   *
   * @param roleName the role
   * @return the object id, or empty if the role is not an Entra principal
   */
  public Optional<String> objectId(String roleName) {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT object_id::text FROM "
                    + EntraSql.SCHEMA
                    + ".principals WHERE role_name = ?")) {
      ps.setString(1, roleName);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the principals (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }

  /**
   * The roles {@code pgaadauth_list_principals(false)} lists, by name.
   *
   * @return the role names, sorted
   */
  public List<String> principals() {
    try (Connection c = server.superuserConnection(EntraSql.DATABASE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT rolname FROM pgaadauth_list_principals(false)")) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return List.copyOf(out);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot list the principals (SQLSTATE " + e.getSQLState() + ")", e);
    }
  }
}
