package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Lease;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGStatement;

/**
 * What the server says about one managed role (a member of the marker role without ADMIN OPTION on
 * it): its login flag, {@code VALID UNTIL}, its lease (read from the role comment with jsonb
 * operators), and how many sessions it has open. Read for every member of the marker role in one
 * query.
 */
public final class LeaseState {
  private final String roleName;
  private final boolean login;
  private final Instant validUntil;
  private final String comment;
  private final Lease lease;
  private final List<String> requestIds;
  private final Instant passwordSetAt;
  private final Instant revokedAt;
  private final String integration;
  private final int sessions;
  private final List<LeaseCodec.Approval> approvals;

  private LeaseState(
      String roleName,
      boolean login,
      Instant validUntil,
      String comment,
      Lease lease,
      List<String> requestIds,
      Instant passwordSetAt,
      Instant revokedAt,
      String integration,
      int sessions,
      List<LeaseCodec.Approval> approvals) {
    this.approvals = approvals == null ? null : List.copyOf(approvals);
    this.roleName = roleName;
    this.login = login;
    this.validUntil = validUntil;
    this.comment = comment;
    this.lease = lease;
    this.requestIds = List.copyOf(requestIds);
    this.passwordSetAt = passwordSetAt;
    this.revokedAt = revokedAt;
    this.integration = integration;
    this.sessions = sessions;
  }

  /**
   * A state from its parts, as {@link #readAll} reads it, for code that decides from states without
   * a server.
   *
   * @param roleName the role
   * @param login whether it may log in
   * @param validUntil its {@code VALID UNTIL}, or null
   * @param lease its lease, or null if the comment holds none
   * @param revokedAt when it was revoked, or null
   * @param approvals what the lease approves, or null if not recorded
   * @return the state
   */
  public static LeaseState of(
      String roleName,
      boolean login,
      Instant validUntil,
      Lease lease,
      Instant revokedAt,
      List<LeaseCodec.Approval> approvals) {
    return new LeaseState(
        roleName,
        login,
        validUntil,
        null,
        lease,
        lease == null ? List.of() : List.of(lease.requestId()),
        null,
        revokedAt,
        null,
        0,
        approvals);
  }

  /**
   * Reads every managed role, with one query ({@link LifecycleQueries#leases}).
   *
   * @param c a connection to any database of the server
   * @param markerRole the marker role
   * @return the states, by role name
   * @throws SQLException if the query fails
   */
  public static List<LeaseState> readAll(Connection c, String markerRole) throws SQLException {
    return read(c, markerRole, null);
  }

  /**
   * Reads one managed role, with one query.
   *
   * @param c a connection to any database of the server
   * @param markerRole the marker role
   * @param role the role's name
   * @return its state, or an empty list if no managed role has that name
   * @throws SQLException if the query fails
   */
  public static List<LeaseState> readOne(Connection c, String markerRole, String role)
      throws SQLException {
    return read(c, markerRole, java.util.Objects.requireNonNull(role, "role"));
  }

  /**
   * Reads the managed roles among {@code roles}, with one query.
   *
   * @param c a connection to any database of the server
   * @param markerRole the marker role
   * @param roles the roles' names
   * @return the states of those that are managed roles, by role name (absent roles are left out)
   * @throws SQLException if the query fails
   */
  public static List<LeaseState> readMany(Connection c, String markerRole, Collection<String> roles)
      throws SQLException {
    int major = c.getMetaData().getDatabaseMajorVersion();
    try (java.sql.PreparedStatement ps = c.prepareStatement(LifecycleQueries.leasesOf(major))) {
      ps.setString(1, markerRole);
      ps.setArray(2, c.createArrayOf("text", roles.toArray()));
      return rows(ps);
    }
  }

  private static List<LeaseState> read(Connection c, String markerRole, String role)
      throws SQLException {
    int major = c.getMetaData().getDatabaseMajorVersion();
    // Prepared, so that a pooled session plans it once.
    try (java.sql.PreparedStatement ps =
        c.prepareStatement(LifecycleQueries.leases(major, role != null))) {
      ps.setString(1, markerRole);
      if (role != null) {
        ps.setString(2, role);
      }
      return rows(ps);
    }
  }

  private static List<LeaseState> rows(java.sql.PreparedStatement ps) throws SQLException {
    List<LeaseState> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(fromRow(rs));
      }
    }
    return out;
  }

  private static LeaseState fromRow(ResultSet rs) throws SQLException {
    String name = rs.getString("rolname");
    Timestamp vu = rs.getTimestamp("rolvaliduntil");
    Instant validUntil =
        vu == null || vu.getTime() == PGStatement.DATE_POSITIVE_INFINITY ? null : vu.toInstant();
    List<String> ids = new ArrayList<>();
    Array a = rs.getArray("requests");
    if (a != null) {
      for (Object o : (Object[]) a.getArray()) {
        if (o != null) {
          ids.add(o.toString());
        }
      }
    }
    List<LeaseCodec.Approval> approvals = null;
    Lease lease = null;
    Instant passwordSetAt = null;
    Instant revokedAt = null;
    try {
      String requestId = rs.getString("request_id");
      String grantee = rs.getString("grantee");
      Instant grantedAt = instant(rs.getString("granted_at"));
      Instant expiresAt = instant(rs.getString("expires_at"));
      if (requestId != null && grantee != null && grantedAt != null && expiresAt != null) {
        Lease.Builder b =
            Lease.builder()
                .roleName(name)
                .requestId(requestId)
                .grantee(grantee)
                .grantedAt(grantedAt)
                .expiresAt(expiresAt);
        Instant cleanup = instant(rs.getString("cleanup_at"));
        if (cleanup != null) {
          b.cleanupAt(cleanup);
        }
        String entraType = rs.getString("entra_type");
        if (entraType != null) {
          b.entraPrincipal(
              EntraPrincipal.builder()
                  .type(EntraPrincipal.Type.parse(entraType))
                  .objectId(String.valueOf(rs.getString("entra_oid")))
                  .roleName(String.valueOf(rs.getString("entra_role")))
                  .mfa("true".equals(rs.getString("entra_mfa")))
                  .build());
        }
        lease = b.build();
        passwordSetAt = instant(rs.getString("password_set_at"));
        revokedAt = instant(rs.getString("revoked_at"));
        approvals = approvals(rs.getArray("approved"));
      }
    } catch (DateTimeParseException | IllegalArgumentException malformed) {
      lease = null; // not a lease we wrote: the role is managed, its lease unknown
      approvals = null;
    }
    return new LeaseState(
        name,
        rs.getBoolean("rolcanlogin"),
        validUntil,
        rs.getString("txt"),
        lease,
        ids,
        passwordSetAt,
        revokedAt,
        rs.getString("integration"),
        rs.getInt("sessions"),
        approvals);
  }

  /** Rows of level, kind, database, schema, name, arguments; null if the lease has none. */
  private static List<LeaseCodec.Approval> approvals(Array a) throws SQLException {
    if (a == null) {
      return null;
    }
    List<LeaseCodec.Approval> out = new ArrayList<>();
    Object rows = a.getArray();
    for (Object row : (Object[]) rows) {
      String[] f = (String[]) row;
      ResourceKind kind = ResourceKind.valueOf(f[1]);
      ResourceRef r;
      switch (kind) {
        case SERVER:
          r = ResourceRef.server();
          break;
        case DATABASE:
          r = ResourceRef.database(f[2]);
          break;
        case SCHEMA:
          r = ResourceRef.schema(f[2], f[3]);
          break;
        case RELATION:
          r = ResourceRef.relation(f[2], f[3], f[4]);
          break;
        case SEQUENCE:
          r = ResourceRef.sequence(f[2], f[3], f[4]);
          break;
        case FUNCTION:
          r = ResourceRef.function(f[2], f[3], f[4], f[5]);
          break;
        default:
          r = ResourceRef.role(f[4]);
      }
      out.add(new LeaseCodec.Approval(AccessLevel.parse(f[0]), r));
    }
    return out;
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  /**
   * The role's name.
   *
   * @return the name
   */
  public String roleName() {
    return roleName;
  }

  /**
   * Whether the role may log in.
   *
   * @return the flag
   */
  public boolean login() {
    return login;
  }

  /**
   * The role's {@code VALID UNTIL}.
   *
   * @return the instant, if any
   */
  public Optional<Instant> validUntil() {
    return Optional.ofNullable(validUntil);
  }

  /**
   * The raw comment, used to detect concurrent changes.
   *
   * @return the comment, if any
   */
  public Optional<String> comment() {
    return Optional.ofNullable(comment);
  }

  /**
   * The lease, if the comment holds one.
   *
   * @return the lease
   */
  public Optional<Lease> lease() {
    return Optional.ofNullable(lease);
  }

  /**
   * Every request id the role served.
   *
   * @return the ids, oldest first
   */
  public List<String> requestIds() {
    return requestIds;
  }

  /**
   * When the password was last set.
   *
   * @return the instant, if known
   */
  public Optional<Instant> passwordSetAt() {
    return Optional.ofNullable(passwordSetAt);
  }

  /**
   * When access was revoked.
   *
   * @return the instant, if revoked
   */
  public Optional<Instant> revokedAt() {
    return Optional.ofNullable(revokedAt);
  }

  /**
   * The integration named in the lease.
   *
   * @return the name, if recorded
   */
  public Optional<String> integration() {
    return Optional.ofNullable(integration);
  }

  /**
   * How many sessions the role had open when read.
   *
   * @return the count
   */
  public int sessions() {
    return sessions;
  }

  /**
   * The Microsoft Entra principal whose role is granted this (lease) role while the lease is
   * active.
   *
   * @return the principal, if the lease is a principal's
   */
  public Optional<EntraPrincipal> principal() {
    return lease == null ? Optional.empty() : lease.entraPrincipal();
  }

  /**
   * Whether the lease is readable, not revoked and not expired at {@code now}.
   *
   * @param now the current instant
   * @return true if access is in force
   */
  public boolean isActiveAt(Instant now) {
    return lease != null && revokedAt == null && !lease.isExpiredAt(now);
  }

  /**
   * Whether this role serves the given user name or request id (or, for a lease role, its Entra
   * principal's role name).
   *
   * @param userOrRequestId a role name, request id or principal's role name
   * @return true if it matches
   */
  public boolean matches(String userOrRequestId) {
    return roleName.equals(userOrRequestId)
        || requestIds.contains(userOrRequestId)
        || lease != null && lease.requestId().equals(userOrRequestId)
        || principal().map(p -> p.roleName().equals(userOrRequestId)).orElse(false);
  }

  /**
   * What the lease approves: each request's level on each of its resources, in order.
   *
   * @return the approvals, or empty if the lease predates recorded approvals
   */
  public Optional<List<LeaseCodec.Approval>> approvals() {
    return Optional.ofNullable(approvals);
  }

  @Override
  public String toString() {
    return "LeaseState{"
        + roleName
        + ", login="
        + login
        + ", lease="
        + lease
        + ", revokedAt="
        + revokedAt
        + "}";
  }
}
