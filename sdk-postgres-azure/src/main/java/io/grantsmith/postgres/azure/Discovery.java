package io.grantsmith.postgres.azure;

import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.api.RelationKind;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.DiscoveryQueries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Finds, logged in as the connector, what a server holds: its databases (except {@code template0},
 * {@code template1}, {@code azure_sys}, {@code azure_maintenance} and those the connector cannot
 * connect to), in each the schemas (except {@code pg_*}, {@code information_schema} and {@code
 * cron}), relations with their {@link RelationKind}, sequences, and functions and procedures with
 * their identity arguments, and the roles people use (not {@code pg_*}, {@code azure_*}, {@code
 * azuresu}, {@code replication}, the connector, the marker role or the users the connector manages,
 * which are the marker role's members). Each database is read with one query.
 *
 * <p>Only the {@linkplain Integration#resourceTypes() resource types} of the integration are read;
 * none means all. Databases are listed whenever a type inside them is asked for.
 *
 * <pre>{@code
 * DiscoveredServer found = Discovery.of(integration, ConnectionSource.of(integration, connector))
 *     .discover();
 * for (DiscoveredDatabase db : found.databases()) {
 *     db.relations().forEach(r -> System.out.println(r.ref() + " " + r.relationKind().get()));
 * }
 * }</pre>
 */
public final class Discovery {
  private final Integration integration;
  private final ConnectionSource connections;
  private final String markerRole;

  private Discovery(Integration integration, ConnectionSource connections, String markerRole) {
    this.integration = Objects.requireNonNull(integration, "integration");
    this.connections = Objects.requireNonNull(connections, "connections");
    this.markerRole = Identifiers.check("Discovery.markerRole", markerRole);
  }

  /**
   * Discovery of an integration's server through the connector's connections, with the default
   * marker role {@value ConnectorSetup#DEFAULT_MARKER_ROLE}.
   *
   * @param integration the server, its first database and the resource types to read
   * @param connector connections as the connector
   * @return the discovery
   */
  public static Discovery of(Integration integration, ConnectionSource connector) {
    return new Discovery(integration, connector, Conventions.defaults().markerRole());
  }

  /**
   * The same discovery with the marker role of {@code conventions}, as the {@link ConnectorSetup}
   * and {@link AccessManager} of the same server read it.
   *
   * @param conventions the names
   * @return a new discovery
   */
  public Discovery withConventions(Conventions conventions) {
    return withMarkerRole(conventions.markerRole());
  }

  /**
   * The same discovery with another marker role, as chosen with {@link
   * ConnectorSetup.Builder#markerRole(String)}.
   *
   * @param markerRole the marker role's name
   * @return a new discovery
   */
  public Discovery withMarkerRole(String markerRole) {
    return new Discovery(integration, connections, markerRole);
  }

  /**
   * Reads the server: one query in the integration's database for the databases, one for the roles,
   * then one per database.
   *
   * @return what was found
   * @throws GrantsmithException if the integration's database cannot be read
   */
  public DiscoveredServer discover() {
    Set<ResourceKind> kinds =
        integration.resourceTypes().isEmpty()
            ? EnumSet.allOf(ResourceKind.class)
            : EnumSet.copyOf(integration.resourceTypes());
    boolean inDatabases =
        kinds.contains(ResourceKind.DATABASE)
            || kinds.contains(ResourceKind.SCHEMA)
            || kinds.contains(ResourceKind.RELATION)
            || kinds.contains(ResourceKind.SEQUENCE)
            || kinds.contains(ResourceKind.FUNCTION);
    DiscoveredServer.Builder out = DiscoveredServer.builder();
    String first = integration.database();
    try (Connection c = connections.open(first)) {
      try (PreparedStatement ps = c.prepareStatement(DiscoveryQueries.DATABASES);
          ResultSet rs = ps.executeQuery()) {
        int major = 0;
        while (rs.next()) {
          major = rs.getInt(1);
          if (!inDatabases || rs.getString(2) == null) {
            continue;
          }
          String name = rs.getString(2);
          if (!rs.getBoolean(4)) {
            out.addSkippedDatabase(name);
            continue;
          }
          DiscoveredDatabase db = read(name, rs.getString(3), kinds);
          if (db == null) {
            out.addSkippedDatabase(name);
          } else {
            out.addDatabase(db);
          }
        }
        if (major == 0) {
          major = majorVersion(c);
        }
        out.majorVersion(major);
      }
      if (kinds.contains(ResourceKind.ROLE)) {
        readRoles(c, out);
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot discover the server of integration "
              + integration.name()
              + " from database "
              + first
              + " (SQLSTATE "
              + e.getSQLState()
              + "): "
              + e.getMessage(),
          e);
    }
    return out.build();
  }

  private static int majorVersion(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT current_setting('server_version_num')::int / 10000");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** One database with one query, or null if the connector cannot connect to it. */
  private DiscoveredDatabase read(String name, String owner, Set<ResourceKind> kinds)
      throws SQLException {
    Connection c;
    try {
      c = connections.open(name);
    } catch (SQLException e) {
      String state = e.getSQLState();
      // 28xxx: not allowed to log in there; 3D000: dropped meanwhile; 42501: no CONNECT.
      if (state != null
          && (state.startsWith("28")
              || state.equals("3D000")
              || state.equals("42501")
              || state.equals("55000"))) {
        return null;
      }
      throw e;
    }
    DiscoveredDatabase.Builder db = DiscoveredDatabase.builder().name(name).owner(owner);
    try (c;
        PreparedStatement ps = c.prepareStatement(DiscoveryQueries.OBJECTS)) {
      ps.setBoolean(1, kinds.contains(ResourceKind.SCHEMA));
      ps.setBoolean(2, kinds.contains(ResourceKind.RELATION));
      ps.setBoolean(3, kinds.contains(ResourceKind.SEQUENCE));
      ps.setBoolean(4, kinds.contains(ResourceKind.FUNCTION));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String kind = rs.getString(2);
          String schema = rs.getString(3);
          String object = rs.getString(4);
          DiscoveredObject.Builder o = DiscoveredObject.builder().owner(rs.getString(7));
          switch (kind) {
            case "n":
              o.ref(ResourceRef.schema(name, schema));
              break;
            case "r":
              o.ref(ResourceRef.relation(name, schema, object))
                  .relationKind(RelationKind.fromRelkind(rs.getString(6).charAt(0)));
              break;
            case "S":
              o.ref(ResourceRef.sequence(name, schema, object));
              break;
            default:
              o.ref(ResourceRef.function(name, schema, object, rs.getString(5)))
                  .procedure("p".equals(rs.getString(6)));
              break;
          }
          db.addObject(o.build());
        }
      }
    }
    return db.build();
  }

  private void readRoles(Connection c, DiscoveredServer.Builder out) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(DiscoveryQueries.ROLES)) {
      ps.setString(1, markerRole);
      ps.setString(2, markerRole);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          DiscoveredRole.Builder r =
              DiscoveredRole.builder()
                  .name(rs.getString(1))
                  .login(rs.getBoolean(2))
                  .inherit(rs.getBoolean(3))
                  .createRole(rs.getBoolean(4))
                  .createDb(rs.getBoolean(5));
          long micros = rs.getLong(6);
          if (!rs.wasNull()) {
            r.validUntil(Instant.EPOCH.plusNanos(micros * 1000));
          }
          String comment = rs.getString(7);
          if (comment != null) {
            r.comment(comment);
          }
          for (Object m : (Object[]) rs.getArray(8).getArray()) {
            r.addMemberOf((String) m);
          }
          out.addRole(r.build());
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Discovery{" + integration.name() + ", marker=" + markerRole + "}";
  }
}
