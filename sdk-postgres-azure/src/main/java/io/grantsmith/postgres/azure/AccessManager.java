package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Grant;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.Membership;
import io.grantsmith.api.PasswordGenerator;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import io.grantsmith.postgres.azure.internal.Footprint;
import io.grantsmith.postgres.azure.internal.JdbcUrls;
import io.grantsmith.postgres.azure.internal.LeaseCodec;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.SetupSql;
import io.grantsmith.postgres.azure.internal.Sql;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access lifecycle: {@linkplain #grant grant} time-bound access to a person, {@linkplain
 * #extend extend} it, {@linkplain #revoke revoke} it, {@linkplain #sweep sweep} expired and retired
 * users, and {@linkplain #rotateConnectorPassword rotate} the connector's password.
 *
 * <p>Each person gets one managed login role per integration, named {@linkplain #userName
 * deterministically}, marked by membership in the NOLOGIN role {@value #MARKER_ROLE}, with its
 * lease as JSON in the role comment and its {@code VALID UNTIL} at the lease's expiry, so the
 * password stops working at expiry even if no process runs. The server is the only state.
 *
 * <p>Every change is a {@link Plan} sent through the {@link Executor}: with a {@link
 * DryRunExecutor} ({@link #withExecutor}) nothing is changed, and {@link #planGrant} and {@link
 * #planRevoke} return the plan itself. Passwords never appear in plans, logs or exceptions. Changes
 * to one user are serialized in this process and guarded on the server by a check of the lease, so
 * replicas that act on the same user at once retry instead of overwriting each other.
 *
 * <pre>{@code
 * AccessManager manager = AccessManager.builder()
 *     .integration(prod)
 *     .credentials(connectorCredentials)
 *     .build();
 * AccessGrant grant = manager.grant(request);
 * ...
 * manager.revoke(grant.username());
 * manager.sweep(); // from a scheduler, on any number of replicas
 * manager.close(); // at shutdown
 * }</pre>
 *
 * <p>A manager built from {@linkplain Builder#credentials credentials} keeps a few idle connections
 * per database for reuse ({@link ConnectionSource#pooled}); {@link #close()} closes them. A manager
 * built from {@linkplain Builder#connections connections} uses them as given.
 */
public final class AccessManager implements AutoCloseable {
  /** The NOLOGIN role whose members are the users Grantsmith manages. */
  public static final String MARKER_ROLE = LeaseState.MARKER_ROLE;

  /** The session advisory lock key that one sweep holds in the shared database. */
  public static final long SWEEP_LOCK_KEY = JdbcExecutor.LOCK_KEY + 1;

  /** The SQLSTATE a plan fails with when a user's lease changed after it was read. */
  public static final String CONFLICT_SQLSTATE = "GS409";

  private static final Logger LOG = LoggerFactory.getLogger(AccessManager.class);
  private static final Set<String> NOT_MANAGED_DATABASES =
      Set.of("azure_maintenance", "azure_sys", "template0", "template1");
  private static final Set<String> RETRY_STATES =
      Set.of(CONFLICT_SQLSTATE, "42710", "23505", "42704");
  private static final int MAX_ATTEMPTS = 10;
  private static final int NAME_HASH_CHARS = 8;

  private final Integration integration;
  private final AtomicReference<Credentials> credentials;
  private final ConnectionSource connections;
  private final Executor executor;
  private final Clock clock;
  private final PasswordGenerator passwords;
  private final AccessPolicy policy;
  private final AtomicReference<String> connector;
  private final ReentrantLock[] locks;
  private final ConnectionSource.Pooled pool;
  private final Function<Credentials, ConnectionSource> logins;

  private AccessManager(
      Integration integration,
      AtomicReference<Credentials> credentials,
      ConnectionSource connections,
      Executor executor,
      Clock clock,
      PasswordGenerator passwords,
      AccessPolicy policy,
      AtomicReference<String> connector,
      ReentrantLock[] locks,
      ConnectionSource.Pooled pool,
      Function<Credentials, ConnectionSource> logins) {
    this.pool = pool;
    this.logins = logins;
    this.integration = integration;
    this.credentials = credentials;
    this.connections = connections;
    this.executor = executor;
    this.clock = clock;
    this.passwords = passwords;
    this.policy = policy;
    this.connector = connector;
    this.locks = locks;
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AccessManager}. */
  public static final class Builder {
    private Integration integration;
    private Credentials credentials;
    private ConnectionSource connections;
    private Executor executor;
    private Clock clock = Clock.systemUTC();
    private PasswordGenerator passwords;
    private AccessPolicy policy = AccessPolicy.standard();
    private String connector;
    private Function<Credentials, ConnectionSource> logins;

    private Builder() {}

    /**
     * Sets the integration (required).
     *
     * @param integration the server and its policy
     * @return this builder
     */
    public Builder integration(Integration integration) {
      this.integration = Objects.requireNonNull(integration, "integration");
      return this;
    }

    /**
     * Sets the connector's credentials. Connections are then made by pgjdbc from the integration
     * and kept for reuse until {@link AccessManager#close()}, and a {@linkplain
     * #rotateConnectorPassword rotated} password is used from then on.
     *
     * @param credentials the connector's user name and password
     * @return this builder
     */
    public Builder credentials(Credentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * Sets where connections come from, instead of {@link #credentials}.
     *
     * @param connections connections as the connector
     * @return this builder
     */
    public Builder connections(ConnectionSource connections) {
      this.connections = Objects.requireNonNull(connections, "connections");
      return this;
    }

    /**
     * Sets the connector's role name; by default the credentials' user name, else {@code
     * current_user} of a connection.
     *
     * @param connector the role name
     * @return this builder
     */
    public Builder connector(String connector) {
      this.connector = Identifiers.check("AccessManager.connector", connector);
      return this;
    }

    /**
     * Sets how {@link AccessManager#rotateConnectorPassword} logs in with given credentials (the
     * session kept open to restore the old password, and the login that proves the new one); by
     * default pgjdbc from the integration, as {@link ConnectionSource#of(Integration,
     * Credentials)}. Tests wrap it to check those sessions as they check the others.
     */
    Builder logins(Function<Credentials, ConnectionSource> logins) {
      this.logins = Objects.requireNonNull(logins, "logins");
      return this;
    }

    /**
     * Sets the executor (default a {@link JdbcExecutor} over the connections).
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Sets the clock (default UTC system clock).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the password generator (default {@link SecurePasswordGenerator}).
     *
     * @param passwords the generator
     * @return this builder
     */
    public Builder passwordGenerator(PasswordGenerator passwords) {
      this.passwords = Objects.requireNonNull(passwords, "passwords");
      return this;
    }

    /**
     * Sets what each access level means (default {@link AccessPolicy#standard()}).
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder policy(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Builds the manager.
     *
     * @return the manager
     * @throws InvalidValueException if the integration or a way to connect is missing
     */
    public AccessManager build() {
      InvalidValueException.check(
          integration != null, "AccessManager.integration", "must be set", null);
      InvalidValueException.check(
          credentials != null || connections != null,
          "AccessManager.credentials",
          "or connections must be set",
          null);
      AtomicReference<Credentials> creds = new AtomicReference<>(credentials);
      Integration i = integration;
      ConnectionSource.Pooled pool =
          connections != null
              ? null
              : ConnectionSource.pooled(db -> ConnectionSource.of(i, creds.get()).open(db));
      ConnectionSource source = pool != null ? pool : connections;
      Executor ex =
          executor != null ? executor : JdbcExecutor.builder().connections(source).build();
      String name =
          connector != null ? connector : credentials != null ? credentials.username() : null;
      ReentrantLock[] locks = new ReentrantLock[64];
      for (int k = 0; k < locks.length; k++) {
        locks[k] = new ReentrantLock();
      }
      Function<Credentials, ConnectionSource> login =
          logins != null ? logins : c -> ConnectionSource.of(i, c);
      return new AccessManager(
          integration,
          creds,
          source,
          ex,
          clock,
          passwords != null ? passwords : new SecurePasswordGenerator(),
          policy,
          new AtomicReference<>(name),
          locks,
          pool,
          login);
    }
  }

  /**
   * Closes the idle connections this manager keeps, if it made its own from credentials. A closed
   * manager still works, opening a connection per use; managers made with {@link #withExecutor}
   * share the connections, so closing one closes them for all.
   */
  @Override
  public void close() {
    if (pool != null) {
      pool.close();
    }
  }

  /**
   * The same manager sending its plans to another executor, e.g. a {@link DryRunExecutor}. It
   * shares this manager's connections, credentials and per-user locks.
   *
   * @param other the executor
   * @return a new manager
   */
  public AccessManager withExecutor(Executor other) {
    return new AccessManager(
        integration,
        credentials,
        connections,
        Objects.requireNonNull(other, "executor"),
        clock,
        passwords,
        policy,
        connector,
        locks,
        pool,
        logins);
  }

  /**
   * The managed user's name for a grantee of an integration: {@code gs_}, the grantee in lower case
   * with every character but {@code [a-z0-9]} replaced by {@code _}, {@code _} and the first 8 hex
   * digits of SHA-256(integration name, NUL, grantee); shortened to fit 63 bytes.
   *
   * @param integrationName the integration's name
   * @param grantee the person
   * @return e.g. {@code gs_alice_example_com_1f3a9c0e}
   */
  public static String userName(String integrationName, String grantee) {
    Objects.requireNonNull(integrationName, "integrationName");
    Objects.requireNonNull(grantee, "grantee");
    StringBuilder s = new StringBuilder();
    String lower = grantee.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      char out = ok ? c : '_';
      if (out != '_' || s.length() == 0 || s.charAt(s.length() - 1) != '_') {
        s.append(out);
      }
    }
    int max = Identifiers.MAX_BYTES - 3 - 1 - NAME_HASH_CHARS;
    String body = s.length() > max ? s.substring(0, max) : s.toString();
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((integrationName + "\0" + grantee).getBytes(StandardCharsets.UTF_8));
      return "gs_" + body + "_" + HexFormat.of().formatHex(d).substring(0, NAME_HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  // ---------------------------------------------------------------- grant

  /**
   * Grants the request: creates (or, while a grant is active, widens) the grantee's managed user,
   * NOLOGIN first, then the lease and memberships, then the privileges in every database touched,
   * then LOGIN. A second request while active adds its resources, moves the expiry to the later of
   * both and keeps the password unless the integration's rotation period has passed. A user whose
   * lease expired but was not yet swept is revoked first.
   *
   * @param request the approved request
   * @return the user name, password (if new or rotated), expiry and how to connect
   * @throws InvalidValueException if the request names something that does not exist, or touches a
   *     database created after the connector setup (nothing is changed then)
   * @throws ApplyException if the server refused a step (what committed is safe: LOGIN comes last;
   *     granting again converges)
   * @throws GrantsmithException if the user name belongs to a role Grantsmith does not manage
   */
  public AccessGrant grant(AccessRequest request) {
    checkIntegration(request);
    String user = userName(integration.name(), request.grantee());
    ReentrantLock lock = lock(user);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        PreparedGrant p = prepareGrant(request, user, true);
        if (p.revokeFirst != null) {
          ApplyResult revoked = apply(p.revokeFirst);
          if (revoked.dryRun()) {
            // Nothing changed on the server: plan the grant as if the revocation had run.
            p = prepareGrant(request, user, false);
          } else if (attempt < MAX_ATTEMPTS) {
            continue;
          } else {
            throw new GrantsmithException(
                "The expired lease of " + user + " could not be revoked before granting again");
          }
        }
        try {
          ApplyResult result = executor.apply(p.plan);
          LOG.info(
              "Granted {} access to {} as {} until {} (request {})",
              request.level().label(),
              request.resources(),
              user,
              p.lease.expiresAt(),
              request.requestId());
          return p.toGrant(result);
        } catch (ApplyException e) {
          if (!retry(e, attempt)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The plan {@link #grant} would apply now, without applying it. Its password, if any, is a fresh
   * one that is then discarded (and redacted in the plan).
   *
   * @param request the request
   * @return the plan
   */
  public Plan planGrant(AccessRequest request) {
    checkIntegration(request);
    String user = userName(integration.name(), request.grantee());
    PreparedGrant p = prepareGrant(request, user, false);
    return p.revokeFirst != null ? p.revokeFirst.then(p.plan) : p.plan;
  }

  private void checkIntegration(AccessRequest request) {
    InvalidValueException.check(
        request.integration().name().equals(integration.name()),
        "AccessRequest.integration",
        "must be this manager's integration " + integration.name(),
        request.integration().name());
  }

  /** Of the databases given, those where the connector cannot grant CONNECT. */
  private static final String NOT_SET_UP_QUERY =
      "SELECT datname::text FROM pg_database"
          + " WHERE datname = ANY (?)"
          + " AND NOT has_database_privilege(oid, 'CONNECT WITH GRANT OPTION') ORDER BY datname";

  /**
   * Refuses, before anything changes, a request that touches a database the connector setup does
   * not cover (one created after it): the server says the connector cannot grant CONNECT there. The
   * message names the databases and the command that sets them up.
   */
  private void requireSetUpDatabases(AccessRequest request, List<String> connectable) {
    Set<String> touched = new TreeSet<>();
    for (ResourceRef r : request.resources()) {
      if (r.kind() == ResourceKind.SERVER) {
        touched.addAll(connectable);
      } else {
        r.database().ifPresent(touched::add);
      }
    }
    if (touched.isEmpty()) {
      return;
    }
    List<String> notSetUp = new ArrayList<>();
    try (Connection c = connections.open(integration.database());
        PreparedStatement ps = c.prepareStatement(NOT_SET_UP_QUERY)) {
      ps.setArray(1, c.createArrayOf("text", touched.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          notSetUp.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot check that the connector setup covers "
              + touched
              + ": SQLSTATE "
              + e.getSQLState(),
          e);
    }
    if (notSetUp.isEmpty()) {
      return;
    }
    ResourceRef first =
        request.resources().stream()
            .filter(
                r ->
                    r.kind() == ResourceKind.SERVER
                        || r.database().filter(notSetUp::contains).isPresent())
            .findFirst()
            .orElseThrow();
    throw new InvalidValueException(
        "AccessRequest.resources",
        "must name databases the"
            + " connector setup covers: "
            + (notSetUp.size() == 1 ? "database " : "databases ")
            + notSetUp.stream()
                .map(d -> d.matches("[A-Za-z0-9_]+") ? d : InvalidValueException.describe(d))
                .collect(Collectors.joining(", "))
            + (notSetUp.size() == 1 ? " was" : " were")
            + " created after the connector setup (the connector cannot grant CONNECT there);"
            + " run `"
            + SetupSql.setupCommand(notSetUp)
            + "` as the server admin"
            + " (ConnectorSetup.scriptFor or planFor in Java)",
        first);
  }

  private final class PreparedGrant {
    Plan revokeFirst;
    Plan plan;
    Lease lease;
    Secret password;
    String database;
    String user;

    AccessGrant toGrant(ApplyResult result) {
      String enc = URLEncoder.encode(user, StandardCharsets.UTF_8);
      AccessGrant.Builder b = AccessGrant.builder();
      if (password != null) {
        b.password(password);
      }
      return b.username(user)
          .expiresAt(lease.expiresAt())
          .host(integration.hostname())
          .port(integration.port())
          .database(database)
          .sslMode(integration.sslMode())
          .jdbcUrl(
              JdbcUrls.jdbcUrl(integration.hostname(), integration.port(), database)
                  + "?sslmode="
                  + integration.sslMode().libpqName()
                  + "&user="
                  + enc)
          .connectionString(
              "host="
                  + libpq(integration.hostname())
                  + " port="
                  + integration.port()
                  + " dbname="
                  + libpq(database)
                  + " user="
                  + libpq(user)
                  + " sslmode="
                  + integration.sslMode().libpqName())
          .customAccessDetails(integration.customAccessDetails())
          .lease(lease)
          .applyResult(result)
          .build();
    }
  }

  private PreparedGrant prepareGrant(AccessRequest request, String user, boolean forReal) {
    Instant now = clock.instant();
    String shared = integration.database();
    ServerState server = readServer(user);
    List<String> connectableDatabases = server.databases;
    for (ResourceRef r : request.resources()) {
      r.database()
          .ifPresent(
              db ->
                  InvalidValueException.check(
                      connectableDatabases.contains(db),
                      "AccessRequest.resources",
                      "must name databases the connector can connect to",
                      r));
    }
    requireSetUpDatabases(request, connectableDatabases);
    LeaseState st = server.state(user);
    CatalogSnapshot sharedSnap = read(shared, request.resources(), user);
    if (st == null && sharedSnap.role(user).isPresent()) {
      // Another replica may have created the user between the two reads: read again, after.
      server = readServer(user);
      st = server.state(user);
      sharedSnap = read(shared, request.resources(), user);
    }
    PreparedGrant out = new PreparedGrant();
    out.user = user;
    if (st == null && sharedSnap.role(user).isPresent()) {
      throw new GrantsmithException(
          "Role "
              + user
              + " exists but is not managed by Grantsmith"
              + " (not a member of "
              + MARKER_ROLE
              + "); refusing to touch it");
    }
    boolean active = st != null && st.isActiveAt(now);
    if (st != null && !active && st.revokedAt().isEmpty()) {
      out.revokeFirst = revokePlan(st, server, now, false);
      if (!forReal) {
        // Plan the grant as if the revocation had happened: a fresh user.
        st = null;
      } else {
        return out;
      }
    }
    boolean revoked = st != null && st.revokedAt().isPresent();
    boolean keep = st != null && !revoked && active;
    // What the lease approves: what it approved before (while active) and this request.
    List<LeaseCodec.Approval> earlier = keep ? st.approvals().orElse(null) : List.of();
    List<LeaseCodec.Approval> approvals = new ArrayList<>(earlier != null ? earlier : List.of());
    for (ResourceRef r : request.resources()) {
      LeaseCodec.Approval a = new LeaseCodec.Approval(request.level(), r);
      approvals.remove(a);
      approvals.add(a);
    }
    // Databases touched, shared first.
    Map<String, CatalogSnapshot> snaps = new LinkedHashMap<>();
    snaps.put(shared, sharedSnap);
    List<ResourceRef> approved = new ArrayList<>();
    for (LeaseCodec.Approval a : approvals) {
      approved.add(a.resource());
    }
    for (ResourceRef r : approved) {
      if (r.kind() == ResourceKind.SERVER) {
        for (String db : server.databases) {
          snaps.computeIfAbsent(db, d -> read(d, approved, user));
        }
      } else if (r.database().isPresent()) {
        snaps.computeIfAbsent(r.database().get(), d -> read(d, approved, user));
      }
    }
    List<Grant> grants = new ArrayList<>();
    Set<String> memberOf = new TreeSet<>();
    memberOf.add(MARKER_ROLE);
    for (LeaseCodec.Approval a : approvals) {
      expand(a.resource(), a.level(), user, snaps, server.databases, sharedSnap, grants, memberOf);
    }
    if (keep && earlier == null) {
      // A lease written before approvals were recorded: keep what the user holds.
      for (CatalogSnapshot s : snaps.values()) {
        grants.addAll(s.grantsTo(user));
      }
      for (Membership m : sharedSnap.membershipsOf(user)) {
        memberOf.add(m.role());
      }
    }
    // Before LOGIN: whatever the existing role holds beyond the approval goes, or nothing
    // happens (what the connector cannot remove is named, with the statement that removes it).
    Plan unapproved = st == null ? Plan.empty() : removeUnapproved(user, server, grants, memberOf);
    Lease old = keep ? st.lease().get() : null;
    Instant requested = now.plus(request.duration());
    Instant expiry =
        old != null && old.expiresAt().isAfter(requested) ? old.expiresAt() : requested;
    Instant grantedAt = old != null ? old.grantedAt() : now;
    OptionalIntHolder days = new OptionalIntHolder(request);
    Instant cleanupAt = days.present ? expiry.plus(Duration.ofDays(days.value)) : null;
    Secret password = null;
    Instant passwordSetAt = keep ? st.passwordSetAt().orElse(null) : null;
    boolean rotate =
        keep
            && integration.credentialRotationDays().isPresent()
            && (passwordSetAt == null
                || !passwordSetAt
                    .plus(Duration.ofDays(integration.credentialRotationDays().getAsInt()))
                    .isAfter(now));
    // An active user without LOGIN is a grant that stopped half-way: its password was never
    // handed out, so a new one is.
    if (!keep || rotate || !st.login()) {
      password = passwords.generate();
      passwordSetAt = now;
    }
    List<String> ids = new ArrayList<>(keep ? st.requestIds() : List.of());
    ids.remove(request.requestId());
    ids.add(request.requestId());
    String comment =
        LeaseCodec.encode(
            integration.name(),
            request.requestId(),
            ids,
            request.grantee(),
            grantedAt,
            expiry,
            cleanupAt,
            passwordSetAt,
            null,
            earlier == null ? null : approvals);
    RoleSpec.Builder spec =
        RoleSpec.builder().name(user).login(true).validUntil(expiry).comment(comment);
    for (String m : memberOf) {
      spec.addMemberOf(m);
    }
    if (password != null) {
      spec.password(password);
    }
    String conn = connector();
    DesiredState desired =
        DesiredState.builder()
            .addRole(spec.build())
            .addAllGrants(grants)
            .addMembership(Membership.of(user, conn))
            .build();
    Plan planned = Planner.builder().sharedDatabase(shared).build().plan(desired, snaps.values());
    List<Statement> first = new ArrayList<>();
    first.add(
        st == null
            ? guardAbsent(shared, user)
            : guardComment(shared, user, st.comment().orElse(null)));
    if (sharedSnap.role(MARKER_ROLE).isEmpty()) {
      first.add(ensureMarker(shared));
    }
    out.plan =
        guarded(
            Plan.builder()
                .addStep(
                    Step.builder()
                        .database(shared)
                        .description("check the lease of " + user + " and the marker role")
                        .addAllStatements(first)
                        .build())
                .build()
                .then(beforeLogin(planned, unapproved)),
            user,
            comment);
    Lease.Builder lease =
        Lease.builder()
            .roleName(user)
            .requestId(request.requestId())
            .grantee(request.grantee())
            .grantedAt(grantedAt)
            .expiresAt(expiry);
    if (cleanupAt != null) {
      lease.cleanupAt(cleanupAt);
    }
    out.lease = lease.build();
    out.password = password;
    out.database =
        request.resources().stream()
            .filter(x -> x.database().isPresent())
            .map(ResourceRef::requireDatabase)
            .findFirst()
            .orElse(shared);
    return out;
  }

  /**
   * {@code plan} with {@code extra} run after its first step (which writes the lease, so that the
   * guards of later transactions hold) and before the rest, LOGIN last among them.
   */
  private static Plan beforeLogin(Plan plan, Plan extra) {
    if (extra.isEmpty() || plan.steps().isEmpty()) {
      return plan.then(extra);
    }
    Plan.Builder out = Plan.builder().addStep(plan.steps().get(0)).addAllSteps(extra.steps());
    return out.addAllSteps(plan.steps().subList(1, plan.steps().size())).build();
  }

  /** The request's cleanup period. */
  private static final class OptionalIntHolder {
    final boolean present;
    final int value;

    OptionalIntHolder(AccessRequest request) {
      this.present = request.effectiveCleanupAfterDays().isPresent();
      this.value = present ? request.effectiveCleanupAfterDays().getAsInt() : 0;
    }
  }

  private void expand(
      ResourceRef r,
      AccessLevel level,
      String user,
      Map<String, CatalogSnapshot> snaps,
      List<String> connectable,
      CatalogSnapshot shared,
      List<Grant> out,
      Set<String> memberOf) {
    switch (r.kind()) {
      case ROLE:
        {
          String role = r.name().get();
          Optional<RoleInfo> info = shared.role(role);
          InvalidValueException.check(
              info.isPresent(), "AccessRequest.resources", "must name roles that exist", r);
          InvalidValueException.check(
              !info.get().superuser()
                  && !role.equals(MARKER_ROLE)
                  && !role.equals(user)
                  && !role.equals(connector()),
              "AccessRequest.resources",
              "must not name a superuser, the marker role, the connector or the user itself",
              r);
          memberOf.add(role);
          return;
        }
      case SERVER:
        for (String db : connectable) {
          expand(ResourceRef.database(db), level, user, snaps, connectable, shared, out, memberOf);
        }
        return;
      default:
        break;
    }
    String db = r.requireDatabase();
    CatalogSnapshot snap = snaps.get(db);
    InvalidValueException.check(
        snap.contains(r), "AccessRequest.resources", "must name objects that exist", r);
    ResourceRef database = ResourceRef.database(db);
    Set<Privilege> dbPrivs = EnumSet.of(Privilege.CONNECT);
    if (r.kind() == ResourceKind.DATABASE) {
      dbPrivs.addAll(policy.privileges(level, ResourceKind.DATABASE));
    }
    add(out, user, database, dbPrivs);
    for (ResourceRef o : snap.objects()) {
      if (o.kind() == ResourceKind.DATABASE
          || !o.schema().isPresent()
          || !managedSchema(o.schema().get())) {
        continue;
      }
      boolean inScope;
      switch (r.kind()) {
        case DATABASE:
          inScope = true;
          break;
        case SCHEMA:
          inScope = o.schema().equals(r.schema());
          break;
        default:
          inScope = o.equals(r);
          if (o.kind() == ResourceKind.SCHEMA && o.schema().equals(r.schema())) {
            add(out, user, o, EnumSet.of(Privilege.USAGE));
          }
      }
      if (inScope) {
        add(out, user, o, policy.privileges(level, o.kind()));
      }
    }
    if (r.kind() == ResourceKind.RELATION) {
      // A table's own sequences (serial and identity columns) come with it: read-write on the
      // table must let the user insert.
      for (ResourceRef seq : ownedSequences(r)) {
        if (snap.contains(seq)) {
          add(out, user, seq, policy.privileges(level, ResourceKind.SEQUENCE));
        }
      }
    }
  }

  /** The sequences owned by a relation's columns ({@code pg_depend} auto or internal). */
  private List<ResourceRef> ownedSequences(ResourceRef relation) {
    String db = relation.requireDatabase();
    List<ResourceRef> out = new ArrayList<>();
    try (Connection c = connections.open(db);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT n.nspname::text, s.relname::text"
                    + " FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'"
                    + " JOIN pg_namespace n ON n.oid = s.relnamespace"
                    + " WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass"
                    + " AND d.deptype IN ('a', 'i') AND d.refobjid = (SELECT t.oid FROM pg_class t"
                    + " JOIN pg_namespace tn ON tn.oid = t.relnamespace"
                    + " WHERE tn.nspname = ? AND t.relname = ?)")) {
      ps.setString(1, relation.schema().get());
      ps.setString(2, relation.name().get());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(ResourceRef.sequence(db, rs.getString(1), rs.getString(2)));
        }
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read the sequences of " + relation + ": SQLSTATE " + e.getSQLState(), e);
    }
    return out;
  }

  private static boolean managedSchema(String schema) {
    return !schema.startsWith("pg_")
        && !schema.equals("information_schema")
        && !schema.equals("cron");
  }

  private static void add(List<Grant> out, String user, ResourceRef on, Set<Privilege> privs) {
    Set<Privilege> p = EnumSet.noneOf(Privilege.class);
    for (Privilege x : privs) {
      if (x.appliesTo(on.kind())) {
        p.add(x);
      }
    }
    if (!p.isEmpty()) {
      out.add(Grant.builder().grantee(user).resource(on).addAllPrivileges(p).build());
    }
  }

  // ---------------------------------------------------------------- extend

  /**
   * Moves an active lease's expiry (and the role's {@code VALID UNTIL}) later by {@code by}, but
   * not beyond the integration's maximum access duration from now.
   *
   * @param userOrRequestId the managed user's name or a request id it served
   * @param by how much later, positive
   * @return the new lease; empty if there is no active lease to extend
   * @throws ApplyException if the server refused the change
   */
  public Optional<Lease> extend(String userOrRequestId, Duration by) {
    InvalidValueException.check(
        by != null && !by.isNegative() && !by.isZero(), "extend.by", "must be positive", by);
    String user = resolve(userOrRequestId);
    if (user == null) {
      return Optional.empty();
    }
    ReentrantLock lock = lock(user);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Instant now = clock.instant();
        ServerState server = readServer(user);
        LeaseState st = server.state(user);
        if (st == null || !st.isActiveAt(now)) {
          return Optional.empty();
        }
        Lease old = st.lease().get();
        Instant cap = now.plus(integration.maxAccessDuration());
        Instant wanted = old.expiresAt().plus(by);
        Instant expiry = wanted.isAfter(cap) ? cap : wanted;
        if (!expiry.isAfter(old.expiresAt())) {
          return Optional.of(old);
        }
        Instant cleanupAt =
            old.cleanupAt()
                .map(c -> expiry.plus(Duration.between(old.expiresAt(), c)))
                .orElse(null);
        String comment =
            LeaseCodec.encode(
                st.integration().orElse(integration.name()),
                old.requestId(),
                st.requestIds(),
                old.grantee(),
                old.grantedAt(),
                expiry,
                cleanupAt,
                st.passwordSetAt().orElse(null),
                null,
                st.approvals().orElse(null));
        String shared = integration.database();
        Renderer r = new Renderer(server.major);
        Plan plan =
            Plan.builder()
                .addStep(
                    Step.builder()
                        .database(shared)
                        .description("extend the lease of " + user + " to " + expiry)
                        .addStatement(guardComment(shared, user, st.comment().orElse(null)))
                        .addStatement(r.setValidUntil(shared, user, expiry))
                        .addStatement(r.commentOnRole(shared, user, comment))
                        .build())
                .build();
        try {
          executor.apply(plan);
          LOG.info("Extended the lease of {} to {}", user, expiry);
          Lease.Builder b =
              Lease.builder()
                  .roleName(old.roleName())
                  .requestId(old.requestId())
                  .grantee(old.grantee())
                  .grantedAt(old.grantedAt())
                  .expiresAt(expiry);
          if (cleanupAt != null) {
            b.cleanupAt(cleanupAt);
          }
          return Optional.of(b.build());
        } catch (ApplyException e) {
          if (!retry(e, attempt)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- reset password

  /**
   * Gives working credentials for an active lease without revoking it: sets a new password (from
   * the manager's {@link PasswordGenerator}, sent only as a SCRAM verifier), records when it was
   * set in the lease. This is the way back in when a grant's password was lost, e.g. because the
   * caller died after the server committed: granting the same request again keeps the password and
   * returns none ({@link AccessGrant#passwordKept()}). The old password stops working at once;
   * sessions already open stay (use {@link #revoke} to end them). The expiry, privileges and
   * memberships are unchanged. A lease that expired or was revoked is refused and its LOGIN stays
   * off: grant again instead. So is a grant that stopped before enabling LOGIN: granting the same
   * request again finishes it, after checking everything the user holds, with a new password. With
   * a {@link DryRunExecutor} nothing changes and the result holds no password.
   *
   * <pre>{@code
   * AccessGrant fresh = manager.resetPassword(request.requestId());
   * }</pre>
   *
   * @param userOrRequestId the managed user's name or a request id it served
   * @return the user name, the new password, the unchanged expiry and lease, and how to connect (to
   *     the first database, by name, on which the user was granted CONNECT other than the
   *     integration's, else the integration's)
   * @throws GrantsmithException naming {@code userOrRequestId} if no active lease has that user
   *     name or request id (unknown, expired or revoked), or if its grant stopped before enabling
   *     LOGIN
   * @throws ApplyException if the server refused the change
   */
  public AccessGrant resetPassword(String userOrRequestId) {
    String user = resolve(userOrRequestId);
    if (user == null) {
      throw noActiveLease(userOrRequestId, null);
    }
    ReentrantLock lock = lock(user);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        Instant now = clock.instant();
        ServerState server = readServer(user);
        LeaseState st = server.state(user);
        // Active means recorded, not expired and never revoked: LOGIN is never enabled over a
        // revocation, and the guard below turns a concurrent one into a retry that refuses.
        if (st == null || !st.isActiveAt(now)) {
          throw noActiveLease(userOrRequestId, user);
        }
        if (!st.login()) {
          // LOGIN is enabled only by a grant, after it checked the user's whole footprint.
          throw new GrantsmithException(
              "The grant of "
                  + user
                  + " stopped before enabling"
                  + " login; grant the request again to finish it (with a new password)");
        }
        Lease lease = st.lease().get();
        String comment =
            LeaseCodec.encode(
                st.integration().orElse(integration.name()),
                lease.requestId(),
                st.requestIds(),
                lease.grantee(),
                lease.grantedAt(),
                lease.expiresAt(),
                lease.cleanupAt().orElse(null),
                now,
                null,
                st.approvals().orElse(null));
        Secret password = passwords.generate();
        String shared = integration.database();
        Renderer r = new Renderer(server.major);
        Step.Builder step =
            Step.builder()
                .database(shared)
                .description("set a new password for " + user)
                .addStatement(guardComment(shared, user, st.comment().orElse(null)))
                .addStatement(r.setPassword(shared, user, password))
                .addStatement(r.commentOnRole(shared, user, comment));
        try {
          ApplyResult result = executor.apply(Plan.builder().addStep(step.build()).build());
          PreparedGrant out = new PreparedGrant();
          out.user = user;
          out.lease = lease;
          out.database = connectDatabase(user, shared);
          if (!result.dryRun()) {
            out.password = password;
            LOG.info(
                "Set a new password for {} (lease {} until {})",
                user,
                lease.requestId(),
                lease.expiresAt());
          }
          return out.toGrant(result);
        } catch (ApplyException e) {
          if (!retry(e, attempt)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private static GrantsmithException noActiveLease(String userOrRequestId, String user) {
    return new GrantsmithException(
        "No active lease for "
            + userOrRequestId
            + (user == null || user.equals(userOrRequestId) ? "" : " (user " + user + ")")
            + ": it is unknown, expired or revoked; grant access again instead");
  }

  /** The first database, by name, other than {@code shared} where the user holds CONNECT. */
  private String connectDatabase(String user, String shared) {
    try (Connection c = connections.open(shared);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.datname::text FROM pg_database d"
                    + " CROSS JOIN LATERAL aclexplode(d.datacl) a"
                    + " WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)"
                    + " AND a.privilege_type = 'CONNECT'"
                    + " ORDER BY d.datname::text = ?, d.datname LIMIT 1")) {
      ps.setString(1, user);
      ps.setString(2, shared);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : shared;
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read the databases of " + user + ": SQLSTATE " + e.getSQLState(), e);
    }
  }

  // ---------------------------------------------------------------- revoke

  /**
   * Revokes a managed user's access: LOGIN off and {@code VALID UNTIL} now (with the revocation
   * recorded in the lease) first; then its open sessions are ended; then, in every database the
   * connector can connect to, what it owns is given to the connector and every privilege granted to
   * it (from any grantor, default privileges included) is removed; then its memberships but the
   * marker are revoked. The role itself stays until its cleanup time (dropped at once when the
   * cleanup period is 0 days). Revoking a revoked or unknown user does nothing.
   *
   * @param userOrRequestId the managed user's name or a request id it served
   * @return what was applied; empty (no database) if there was nothing to do
   * @throws ApplyException if a step failed (re-running converges)
   * @throws GrantsmithException if the name is an existing role Grantsmith does not manage (the
   *     connector or the server admin, for example): nothing is changed
   */
  public ApplyResult revoke(String userOrRequestId) {
    String user = resolve(userOrRequestId);
    if (user == null) {
      user = managedOrAbsent(userOrRequestId);
    }
    if (user == null) {
      return ApplyResult.builder().build();
    }
    ReentrantLock lock = lock(user);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        ServerState server = readServer(user);
        LeaseState st = server.state(user);
        if (st == null) {
          return ApplyResult.builder().build();
        }
        Plan plan = revokePlan(st, server, clock.instant(), false);
        try {
          ApplyResult result = apply(plan);
          if (!plan.isEmpty()) {
            LOG.info("Revoked the access of {}", user);
            checkRevoked(user, result);
          }
          return result;
        } catch (ApplyException e) {
          if (!retry(e, attempt)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The plan {@link #revoke} would apply now, without applying it.
   *
   * @param userOrRequestId the managed user's name or a request id it served
   * @return the plan; empty if there is nothing to do
   * @throws GrantsmithException if the name is an existing role Grantsmith does not manage
   */
  public Plan planRevoke(String userOrRequestId) {
    String user = resolve(userOrRequestId);
    if (user == null) {
      user = managedOrAbsent(userOrRequestId);
    }
    if (user == null) {
      return Plan.empty();
    }
    ServerState server = readServer(user);
    LeaseState st = server.state(user);
    return st == null ? Plan.empty() : revokePlan(st, server, clock.instant(), false);
  }

  /**
   * For a name that no managed user or lease matched: the name itself if it is now a managed role
   * (a grant created it since), else null if no role has that name. An existing role that
   * Grantsmith does not manage (the connector, the admin, any other role) is refused: revoking it
   * must not be reported as done. One query, so that a concurrent grant cannot slip between two
   * reads.
   */
  private String managedOrAbsent(String name) {
    try (Connection c = connections.open(integration.database());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT EXISTS (SELECT 1 FROM pg_auth_members m"
                    + " JOIN pg_roles k ON k.oid = m.roleid WHERE m.member = r.oid"
                    + " AND NOT m.admin_option AND k.rolname = ?) FROM pg_roles r WHERE r.rolname = ?")) {
      ps.setString(1, MARKER_ROLE);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        if (rs.getBoolean(1)) {
          return name;
        }
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read the role " + name + ": SQLSTATE " + e.getSQLState(), e);
    }
    throw new GrantsmithException(
        "Role "
            + name
            + " exists but is not managed by Grantsmith"
            + " (not a member of "
            + MARKER_ROLE
            + " without ADMIN OPTION); refusing to touch it");
  }

  /**
   * The managed user's role name for a user name or request id.
   *
   * @return null if no managed role matches
   */
  private String resolve(String userOrRequestId) {
    Objects.requireNonNull(userOrRequestId, "userOrRequestId");
    LeaseState byName = readServer(userOrRequestId).state(userOrRequestId);
    if (byName != null) {
      return byName.roleName();
    }
    ServerState server = readServer();
    LeaseState best = null;
    for (LeaseState s : server.states) {
      if (s.matches(userOrRequestId)) {
        boolean latest = s.lease().map(l -> l.requestId().equals(userOrRequestId)).orElse(false);
        if (best == null || latest) {
          best = s;
        }
      }
    }
    return best == null ? null : best.roleName();
  }

  private Plan revokePlan(LeaseState st, ServerState server, Instant now, boolean drop) {
    String shared = integration.database();
    String user = st.roleName();
    Renderer r = new Renderer(server.major);
    String conn = connector();
    boolean revoked = st.revokedAt().isPresent();
    Optional<Lease> lease = st.lease();
    Duration cleanup =
        lease
            .flatMap(l -> l.cleanupAt().map(c -> Duration.between(l.expiresAt(), c)))
            .orElse(
                integration.userCleanupAfterDays().isPresent()
                    ? Duration.ofDays(integration.userCleanupAfterDays().getAsInt())
                    : null);
    boolean dropNow = drop || cleanup != null && cleanup.isZero();
    Traces footprint = footprint(user, shared);
    List<String> unreadable = new ArrayList<>();
    // Only what DROP OWNED cannot remove: privileges from grantors the connector does not
    // inherit from (a user may hold thousands of the others).
    List<Footprint.Held> held = heldBy(user, server, unreadable, footprint.databases, true);
    boolean leftovers = !unreadable.isEmpty();
    for (Footprint.Held h : held) {
      // DROP OWNED removes default privileges for the user whoever defined them.
      leftovers |=
          !h.removable()
              && (h.kind() == Footprint.Kind.PRIVILEGE && !h.type().equals("default acl")
                  || h.kind() == Footprint.Kind.MEMBERSHIP
                      && !h.names().get(0).equals(MARKER_ROLE));
    }
    // What the connector cannot remove blocks DROP ROLE (SQLSTATE 2BP01): it is reported instead.
    dropNow &= !leftovers;

    List<Statement> first = new ArrayList<>();
    first.add(guardComment(shared, user, st.comment().orElse(null)));
    int changes = 0;
    String comment = st.comment().orElse(null);
    if (st.login()) {
      first.add(r.setLogin(shared, user, false));
      changes++;
    }
    if (!revoked) {
      first.add(r.setValidUntil(shared, user, now));
      if (lease.isPresent()) {
        Lease l = lease.get();
        Instant expiry = l.expiresAt().isBefore(now) ? l.expiresAt() : now;
        comment =
            LeaseCodec.encode(
                st.integration().orElse(integration.name()),
                l.requestId(),
                st.requestIds(),
                l.grantee(),
                l.grantedAt(),
                expiry,
                cleanup == null ? null : now.plus(cleanup),
                st.passwordSetAt().orElse(null),
                now,
                st.approvals().orElse(null));
        first.add(r.commentOnRole(shared, user, comment));
      }
      changes++;
    }
    // Per database: what the user owns goes to the connector, every privilege goes away. The
    // server's own dependency records (pg_shdepend) name every database where the user owns
    // something or holds a privilege, so only those are visited.
    List<String> dbs = new ArrayList<>();
    for (String db : server.databases) {
      if (footprint.databases.contains(db) || db.equals(shared) && (!revoked || dropNow)) {
        dbs.add(db);
      }
    }
    List<Statement> memberships = new ArrayList<>();
    for (Footprint.Held h : held) {
      if (h.kind() == Footprint.Kind.MEMBERSHIP
          && h.removable()
          && !h.names().get(0).equals(MARKER_ROLE)) {
        memberships.add(membershipRemoval(r, h, conn));
      }
    }
    boolean terminate = !revoked || st.sessions() > 0;
    if (changes == 0 && dbs.isEmpty() && memberships.isEmpty() && !terminate && !dropNow) {
      return Plan.empty();
    }
    // Membership in the user lets the connector end its sessions and reassign its objects.
    first.add(r.grantRole(shared, user, conn, false));
    Plan.Builder plan =
        Plan.builder()
            .addStep(
                Step.builder()
                    .database(shared)
                    .description("disable login of " + user + " and record the revocation")
                    .addAllStatements(first)
                    .build());
    if (terminate) {
      plan.addStep(
          Step.builder()
              .database(shared)
              .description("end the sessions of " + user)
              .autocommit(true)
              .addStatement(r.terminateSessions(shared, user))
              .build());
    }
    for (String db : dbs) {
      // Privileges from other grantors first, each revoked as its grantor; DROP OWNED then
      // removes what the connector's own grantor granted, default privileges included.
      List<Footprint.Held> here = new ArrayList<>();
      for (Footprint.Held h : held) {
        if (h.kind() == Footprint.Kind.PRIVILEGE && h.removable() && h.database().equals(db)) {
          here.add(h);
        }
      }
      plan.addStep(
          Step.builder()
              .database(db)
              .description("remove every privilege of " + user + " in " + db)
              .addAllStatements(privilegeRemovals(r, here, conn))
              .addStatement(r.reassignOwned(db, user, conn))
              .addStatement(r.dropOwned(db, user))
              .build());
    }
    if (!memberships.isEmpty()) {
      plan.addStep(
          Step.builder()
              .database(shared)
              .description("remove the memberships of " + user)
              .addAllStatements(memberships)
              .build());
    }
    if (dropNow) {
      plan.addStep(
          Step.builder()
              .database(shared)
              .description("drop " + user)
              .addStatement(r.dropRole(shared, user))
              .build());
    }
    return guarded(plan.build(), user, comment);
  }

  /** Where a user holds something: databases, and the roles it is a member of. */
  private static final class Traces {
    final Set<String> databases = new HashSet<>();
    final Set<String> memberOf = new TreeSet<>();
  }

  /**
   * The databases in which {@code user} owns objects or holds privileges (default privileges
   * included), from the server's dependency records ({@code pg_shdepend}; privileges on databases
   * themselves are shared objects, removed from the {@code shared} database's session), and the
   * roles it is a member of: two small queries instead of catalog snapshots.
   */
  private Traces footprint(String user, String shared) {
    Traces out = new Traces();
    try (Connection c = connections.open(shared);
        PreparedStatement dbs =
            c.prepareStatement(
                "SELECT DISTINCT d.datname::text"
                    + " FROM pg_shdepend s LEFT JOIN pg_database d ON d.oid = s.dbid"
                    + " WHERE s.refclassid = 'pg_authid'::regclass"
                    + " AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = ?)");
        PreparedStatement roles =
            c.prepareStatement(
                "SELECT g.rolname::text"
                    + " FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid"
                    + " WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = ?)")) {
      dbs.setString(1, user);
      try (ResultSet rs = dbs.executeQuery()) {
        while (rs.next()) {
          out.databases.add(rs.getString(1) == null ? shared : rs.getString(1));
        }
      }
      roles.setString(1, user);
      try (ResultSet rs = roles.executeQuery()) {
        while (rs.next()) {
          out.memberOf.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read what " + user + " holds: SQLSTATE " + e.getSQLState(), e);
    }
    return out;
  }

  /**
   * What {@code user} holds, whoever granted it: in every database the server's dependency records
   * name for it (privileges on databases read from the shared one) and its memberships. Databases
   * it holds something in that the connector cannot connect to go to {@code unreadable}.
   */
  private List<Footprint.Held> heldBy(String user, ServerState server, List<String> unreadable) {
    return heldBy(
        user, server, unreadable, footprint(user, integration.database()).databases, false);
  }

  /**
   * {@link #heldBy(String, ServerState, List)} where the databases are known already; with {@code
   * foreignOnly}, privileges only from grantors the connector does not inherit from.
   */
  private List<Footprint.Held> heldBy(
      String user,
      ServerState server,
      List<String> unreadable,
      Set<String> where,
      boolean foreignOnly) {
    String shared = integration.database();
    List<Footprint.Held> out = new ArrayList<>();
    for (String db : where) {
      if (!server.databases.contains(db)) {
        unreadable.add(db);
      }
    }
    for (String db : server.databases) {
      if (!db.equals(shared) && !where.contains(db)) {
        continue;
      }
      try (Connection c = connections.open(db)) {
        out.addAll(Footprint.read(c, List.of(user), db.equals(shared), foreignOnly));
        if (db.equals(shared)) {
          out.addAll(Footprint.memberships(c, List.of(user)));
        }
      } catch (SQLException e) {
        throw new GrantsmithException(
            "Cannot read what " + user + " holds in " + db + ": SQLSTATE " + e.getSQLState(), e);
      }
    }
    return out;
  }

  /** A privilege and the object it is on. */
  private record Approved(ResourceRef resource, Privilege privilege) {}

  /**
   * The plan that removes what an existing role holds beyond {@code grants} and {@code memberOf},
   * each privilege revoked as its grantor, to run before LOGIN is enabled.
   *
   * @throws LeftoverAccessException before any change, if the connector cannot remove some
   */
  private Plan removeUnapproved(
      String user, ServerState server, List<Grant> grants, Set<String> memberOf) {
    Set<Approved> approved = new HashSet<>();
    for (Grant g : grants) {
      for (Privilege p : g.privileges()) {
        approved.add(new Approved(g.resource(), p));
      }
    }
    List<String> unreadable = new ArrayList<>();
    List<Footprint.Held> extra = new ArrayList<>();
    for (Footprint.Held h : heldBy(user, server, unreadable)) {
      boolean ok;
      switch (h.kind()) {
        case MEMBERSHIP:
          ok = memberOf.contains(h.names().get(0));
          break;
        case PRIVILEGE:
          ok =
              h.resource().isPresent()
                  && h.grantsmithPrivilege().isPresent()
                  && approved.contains(
                      new Approved(h.resource().get(), h.grantsmithPrivilege().get()));
          break;
        default:
          ok = true; // what it owns and policies naming it are no privilege granted to it
      }
      if (!ok) {
        extra.add(h);
      }
    }
    Renderer r = new Renderer(server.major);
    String conn = connector();
    List<Leftover> left = leftovers(r, user, extra, unreadable, conn, false);
    if (!left.isEmpty()) {
      throw new LeftoverAccessException(
          user,
          "Refused to enable login of " + user + ": it holds more than the lease approves, and",
          left);
    }
    Map<String, List<Footprint.Held>> byDb = new LinkedHashMap<>();
    List<Statement> memberships = new ArrayList<>();
    for (Footprint.Held h : extra) {
      if (h.kind() == Footprint.Kind.MEMBERSHIP) {
        memberships.add(membershipRemoval(r, h, conn));
      } else {
        byDb.computeIfAbsent(h.database(), d -> new ArrayList<>()).add(h);
      }
    }
    Plan.Builder plan = Plan.builder();
    if (!memberships.isEmpty()) {
      plan.addStep(
          Step.builder()
              .database(integration.database())
              .description("remove the memberships of " + user + " that were not approved")
              .addAllStatements(memberships)
              .build());
    }
    byDb.forEach(
        (db, items) ->
            plan.addStep(
                Step.builder()
                    .database(db)
                    .description(
                        "remove the privileges of "
                            + user
                            + " in "
                            + db
                            + " that were not approved")
                    .addAllStatements(privilegeRemovals(r, items, conn))
                    .build()));
    return plan.build();
  }

  /** Each privilege revoked as its grantor: SET ROLE grantor, the REVOKEs, RESET ROLE. */
  private static List<Statement> privilegeRemovals(
      Renderer r, List<Footprint.Held> items, String connector) {
    Map<String, List<Footprint.Held>> byGrantor = new TreeMap<>();
    for (Footprint.Held h : items) {
      byGrantor.computeIfAbsent(h.grantor(), g -> new ArrayList<>()).add(h);
    }
    List<Statement> out = new ArrayList<>();
    byGrantor.forEach(
        (grantor, held) -> {
          String db = held.get(0).database();
          boolean other = !grantor.equals(connector);
          if (other) {
            out.add(r.setRole(db, grantor));
          }
          for (Footprint.Held h : held) {
            out.add(Footprint.removal(r, h, connector));
          }
          if (other) {
            out.add(r.resetRole(db));
          }
        });
    return out;
  }

  /** REVOKE role FROM user; on 16+ attributed to the grant's grantor, which the revoke needs. */
  private static Statement membershipRemoval(Renderer r, Footprint.Held h, String connector) {
    String grantor = r.majorVersion() >= 16 && !h.grantor().equals(connector) ? h.grantor() : null;
    return r.revokeRole(h.database(), h.names().get(0), h.role(), grantor);
  }

  /**
   * What the connector cannot remove, as leftovers with the statement each grantor must run. With
   * {@code all}, everything in {@code held} but the marker membership counts (after a revoke,
   * whatever is still there is left over).
   */
  private static List<Leftover> leftovers(
      Renderer r,
      String user,
      List<Footprint.Held> held,
      List<String> unreadable,
      String connector,
      boolean all) {
    List<Leftover> out = new ArrayList<>();
    for (Footprint.Held h : held) {
      boolean marker =
          h.kind() == Footprint.Kind.MEMBERSHIP && h.names().get(0).equals(MARKER_ROLE);
      if (marker || !all && h.removable()) {
        continue;
      }
      String grantor = h.grantor() != null ? h.grantor() : user;
      out.add(
          Leftover.builder()
              .role(user)
              .database(h.database())
              .object(h.object())
              .privilege(h.what())
              .grantor(grantor)
              .statement(Footprint.removal(r, h, connector).sql())
              .build());
    }
    for (String db : unreadable) {
      out.add(
          Leftover.builder()
              .role(user)
              .database(db)
              .object("objects in database " + db + ", which the connector cannot connect to")
              .privilege("privileges or ownership")
              .grantor("the database owner")
              .statement(
                  r.reassignOwned(db, user, connector).sql() + "; " + r.dropOwned(db, user).sql())
              .build());
    }
    return out;
  }

  /**
   * After a revocation: whatever {@code user} still holds (if it still exists), as leftovers.
   *
   * @throws LeftoverAccessException if anything is left
   */
  private void checkRevoked(String user, ApplyResult result) {
    if (result.dryRun()) {
      return;
    }
    ServerState server = readServer(user);
    if (server.state(user) == null) {
      return;
    }
    List<String> unreadable = new ArrayList<>();
    List<Footprint.Held> held = heldBy(user, server, unreadable);
    Renderer r = new Renderer(server.major);
    String conn = connector();
    // What DROP OWNED left although the connector may act as its grantor (it revokes as one
    // grantor per object): revoked as that grantor, then read again.
    Map<String, List<Footprint.Held>> removable = new LinkedHashMap<>();
    List<Statement> memberships = new ArrayList<>();
    for (Footprint.Held h : held) {
      if (h.removable() && h.kind() == Footprint.Kind.PRIVILEGE) {
        removable.computeIfAbsent(h.database(), d -> new ArrayList<>()).add(h);
      } else if (h.removable()
          && h.kind() == Footprint.Kind.MEMBERSHIP
          && !h.names().get(0).equals(MARKER_ROLE)) {
        memberships.add(membershipRemoval(r, h, conn));
      }
    }
    if (!removable.isEmpty() || !memberships.isEmpty()) {
      Plan.Builder plan = Plan.builder();
      removable.forEach(
          (db, items) ->
              plan.addStep(
                  Step.builder()
                      .database(db)
                      .description("remove what is left of " + user + " in " + db)
                      .addAllStatements(privilegeRemovals(r, items, conn))
                      .build()));
      if (!memberships.isEmpty()) {
        plan.addStep(
            Step.builder()
                .database(integration.database())
                .description("remove what is left of the memberships of " + user)
                .addAllStatements(memberships)
                .build());
      }
      executor.apply(plan.build());
      unreadable.clear();
      held = heldBy(user, server, unreadable);
    }
    List<Leftover> left = leftovers(r, user, held, unreadable, conn, true);
    if (!left.isEmpty()) {
      throw new LeftoverAccessException(
          user, "Revoked the access of " + user + " (login off, sessions ended), but", left);
    }
  }

  // ---------------------------------------------------------------- sweep

  /**
   * Revokes every managed user whose lease expired and drops every revoked user whose cleanup time
   * passed (its objects given to the connector and its privileges removed in every database first).
   * Safe to call from any number of replicas at once: one holds a session advisory lock ({@link
   * #SWEEP_LOCK_KEY}) on the shared database, the others skip.
   *
   * @return what was revoked, dropped, failed, or that the sweep was skipped
   * @throws GrantsmithException if the server cannot be reached
   */
  public SweepResult sweep() {
    SweepResult.Builder result = SweepResult.builder();
    try (Connection c = connections.open(integration.database())) {
      if (!advisory(c, "pg_try_advisory_lock")) {
        LOG.info("Sweep skipped: another sweep holds the lock");
        return result.skipped(true).build();
      }
      try {
        Instant now = clock.instant();
        for (LeaseState st : LeaseState.readAll(c)) {
          if (st.integration().isPresent() && !st.integration().get().equals(integration.name())) {
            continue;
          }
          String user = st.roleName();
          Optional<Lease> lease = st.lease();
          try {
            if (lease.isPresent() && st.revokedAt().isEmpty() && lease.get().isExpiredAt(now)) {
              ApplyResult r = revoke(user);
              if (!r.databases().isEmpty()) {
                result.addRevoked(user);
              }
              if (readServer(user).state(user) == null) {
                result.addDropped(user);
              }
            } else if (st.revokedAt().isPresent()
                && lease.flatMap(Lease::cleanupAt).map(t -> !now.isBefore(t)).orElse(false)) {
              drop(user);
              result.addDropped(user);
            }
          } catch (LeftoverAccessException e) {
            LOG.warn("Sweep could not finish {}: {}", user, e.getMessage());
            result.putFailed(user, e.getMessage()).putLeftover(user, e.leftovers());
          } catch (RuntimeException e) {
            LOG.warn("Sweep could not handle {}: {}", user, e.getMessage());
            result.putFailed(user, String.valueOf(e.getMessage()));
          }
        }
      } finally {
        advisory(c, "pg_advisory_unlock");
      }
    } catch (SQLException e) {
      throw new GrantsmithException("Cannot sweep: SQLSTATE " + e.getSQLState(), e);
    }
    SweepResult r = result.build();
    LOG.info(
        "Sweep revoked {}, dropped {}, failed {}", r.revoked(), r.dropped(), r.failed().keySet());
    return r;
  }

  private static boolean advisory(Connection c, String function) throws SQLException {
    try (java.sql.Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + function + "(" + SWEEP_LOCK_KEY + ")")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private void drop(String user) {
    ReentrantLock lock = lock(user);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        ServerState server = readServer(user);
        LeaseState st = server.state(user);
        if (st == null) {
          return;
        }
        try {
          ApplyResult result = apply(revokePlan(st, server, clock.instant(), true));
          checkRevoked(user, result);
          LOG.info("Dropped {}", user);
          return;
        } catch (ApplyException e) {
          if (!retry(e, attempt)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- rotation

  /**
   * Rotates the connector's own password: generates one, sets it ({@code ALTER ROLE ... PASSWORD}
   * through the executor), proves that a new login works with it, then stores it. If the login or
   * the store fails, the old password is put back (over a session opened before the change) and the
   * failure is rethrown, so a working credential is never lost. With a dry-run executor nothing is
   * changed or stored and the current credentials are returned.
   *
   * @param store where the connector's credentials are kept
   * @param ref the entry in the store
   * @return the new credentials (already stored)
   * @throws GrantsmithException if the change, the proof or the store failed (after restoring)
   */
  public Credentials rotateConnectorPassword(SecretStore store, SecretRef ref) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(ref, "ref");
    Credentials old = store.load(ref);
    String shared = integration.database();
    Secret fresh = passwords.generate();
    Credentials next = Credentials.of(old.username(), fresh);
    try (Connection lifeline = logins.apply(old).open(shared)) {
      int major = lifeline.getMetaData().getDatabaseMajorVersion();
      Renderer r = new Renderer(major);
      ApplyResult applied =
          executor.apply(
              Plan.builder()
                  .addStep(
                      Step.builder()
                          .database(shared)
                          .description("rotate the password of " + old.username())
                          .addStatement(r.setPassword(shared, old.username(), fresh))
                          .build())
                  .build());
      if (applied.dryRun()) {
        return old;
      }
      try {
        try (Connection proof = logins.apply(next).open(shared);
            java.sql.Statement st = proof.createStatement()) {
          st.execute("SELECT 1");
        } catch (SQLException e) {
          throw new GrantsmithException(
              "The new password of "
                  + old.username()
                  + " did not work (SQLSTATE "
                  + e.getSQLState()
                  + "); the old one was restored",
              e);
        }
        store.store(ref, next);
      } catch (RuntimeException e) {
        restore(lifeline, r, shared, old);
        throw e;
      }
      if (credentials.get() != null && credentials.get().username().equals(old.username())) {
        credentials.set(next);
        if (pool != null) {
          pool.evictIdle();
        }
      }
      LOG.info("Rotated the password of {}", old.username());
      return next;
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot rotate the password of " + old.username() + ": SQLSTATE " + e.getSQLState(), e);
    }
  }

  private static void restore(Connection lifeline, Renderer r, String db, Credentials old) {
    try (java.sql.Statement st = lifeline.createStatement()) {
      st.execute(r.setPassword(db, old.username(), old.password()).sql());
    } catch (SQLException e) {
      LOG.error(
          "Could not restore the password of {}: SQLSTATE {}", old.username(), e.getSQLState());
    }
  }

  // ---------------------------------------------------------------- drift

  /**
   * Compares every managed user of this integration with what the server says it holds, whoever
   * granted it, in every database the connector can connect to: privileges and memberships that no
   * active lease approves (with their grantor), approved privileges that are missing, objects owned
   * after the lease ended, LOGIN and {@code VALID UNTIL} that disagree with the lease, and managed
   * roles without a readable lease. Reads each database once for what the users hold, plus a
   * catalog snapshot of the databases that active leases approve something in; changes nothing.
   *
   * @return the report; {@link DriftReport#isClean()} when nothing differs
   * @throws GrantsmithException if a catalog cannot be read
   */
  public DriftReport drift() {
    Instant now = clock.instant();
    ServerState server = readServer();
    String shared = integration.database();
    DriftReport.Builder report = DriftReport.builder().checkedAt(now);
    List<LeaseState> states = new ArrayList<>();
    for (LeaseState st : server.states) {
      if (st.integration().map(integration.name()::equals).orElse(true)) {
        states.add(st);
        report.addRole(st.roleName());
      }
    }
    List<String> roles = states.stream().map(LeaseState::roleName).toList();
    Map<String, List<Footprint.Held>> held = new HashMap<>();
    for (String db : server.databases) {
      report.addDatabase(db);
      if (roles.isEmpty()) {
        continue;
      }
      try (Connection c = connections.open(db)) {
        List<Footprint.Held> here = new ArrayList<>(Footprint.read(c, roles, db.equals(shared)));
        if (db.equals(shared)) {
          here.addAll(Footprint.memberships(c, roles));
        }
        for (Footprint.Held h : here) {
          held.computeIfAbsent(h.role(), k -> new ArrayList<>()).add(h);
        }
      } catch (SQLException e) {
        throw new GrantsmithException(
            "Cannot read what the managed users hold in " + db + ": SQLSTATE " + e.getSQLState(),
            e);
      }
    }
    // Snapshots of every database an active lease approves something in, to expand approvals.
    PostgresCatalogReader reader = new PostgresCatalogReader(connections);
    Map<String, CatalogSnapshot> snaps = new LinkedHashMap<>();
    snaps.put(shared, reader.read(shared));
    for (LeaseState st : states) {
      if (st.isActiveAt(now)) {
        for (LeaseCodec.Approval a : st.approvals().orElse(List.of())) {
          List<String> dbs =
              a.resource().kind() == ResourceKind.SERVER
                  ? server.databases
                  : a.resource().database().map(List::of).orElse(List.of());
          for (String db : dbs) {
            snaps.computeIfAbsent(db, reader::read);
          }
        }
      }
    }
    for (LeaseState st : states) {
      List<Grant> grants = null;
      Set<String> memberOf = new TreeSet<>();
      memberOf.add(MARKER_ROLE);
      if (st.approvals().isPresent() && st.isActiveAt(now)) {
        grants = new ArrayList<>();
        for (LeaseCodec.Approval a : st.approvals().get()) {
          try {
            expand(
                a.resource(),
                a.level(),
                st.roleName(),
                snaps,
                server.databases,
                snaps.get(shared),
                grants,
                memberOf);
          } catch (InvalidValueException gone) {
            LOG.debug("Approved {} no longer exists", a.resource());
          }
        }
      }
      for (Drift d :
          DriftCheck.check(
              st,
              held.getOrDefault(st.roleName(), List.of()),
              grants,
              memberOf,
              MARKER_ROLE,
              now)) {
        report.addDrift(d);
      }
    }
    DriftReport out = report.build();
    LOG.info(
        "Drift: {} difference(s) over {} managed user(s)", out.drift().size(), out.roles().size());
    return out;
  }

  // ---------------------------------------------------------------- leases

  /**
   * Every managed user's lease, read with one query.
   *
   * @return the leases, by role name; users whose comment holds no lease are left out
   */
  public List<Lease> leases() {
    List<Lease> out = new ArrayList<>();
    for (LeaseState s : readServer().states) {
      s.lease().ifPresent(out::add);
    }
    return out;
  }

  /**
   * The lease of a managed user.
   *
   * @param userOrRequestId the user's name or a request id it served
   * @return the lease, if the user exists and has one
   */
  public Optional<Lease> lease(String userOrRequestId) {
    String user = resolve(userOrRequestId);
    if (user == null) {
      return Optional.empty();
    }
    LeaseState s = readServer(user).state(user);
    return s == null ? Optional.empty() : s.lease();
  }

  // ---------------------------------------------------------------- plumbing

  private ApplyResult apply(Plan plan) {
    return plan.isEmpty() ? ApplyResult.builder().build() : executor.apply(plan);
  }

  private static boolean retry(ApplyException e, int attempt) {
    String state = e.sqlState().orElse(null);
    if (state == null || !RETRY_STATES.contains(state) || attempt >= MAX_ATTEMPTS) {
      return false;
    }
    LOG.debug("Retrying after SQLSTATE {} (attempt {})", state, attempt);
    try {
      Thread.sleep(5L * attempt + ThreadLocalRandom.current().nextLong(20));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
    return true;
  }

  private ReentrantLock lock(String user) {
    return locks[Math.floorMod(user.hashCode(), locks.length)];
  }

  /**
   * What a grant must know of {@code db}: every object for a resource that is a database or the
   * server, else the schemas the resources name there and whatever {@code user} holds; of the
   * grants, only the user's.
   */
  private CatalogSnapshot read(String db, Collection<ResourceRef> resources, String user) {
    PostgresCatalogReader reader = new PostgresCatalogReader(connections);
    Set<String> schemas = new TreeSet<>();
    for (ResourceRef r : resources) {
      boolean onDb = r.database().filter(db::equals).isPresent();
      if (r.kind() == ResourceKind.SERVER || onDb && r.kind() == ResourceKind.DATABASE) {
        return reader.readFor(user, db);
      }
      if (onDb) {
        r.schema().ifPresent(schemas::add);
      }
    }
    return reader.readFor(user, db, schemas);
  }

  private String connector() {
    String c = connector.get();
    if (c == null) {
      try (Connection conn = connections.open(integration.database());
          java.sql.Statement st = conn.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_user")) {
        rs.next();
        c = rs.getString(1);
        connector.compareAndSet(null, c);
      } catch (SQLException e) {
        throw new GrantsmithException(
            "Cannot connect as the connector: SQLSTATE " + e.getSQLState(), e);
      }
    }
    return c;
  }

  /** The managed users and the databases the connector can connect to, in one session. */
  private static final class ServerState {
    final int major;
    final List<LeaseState> states;
    final List<String> databases;

    ServerState(int major, List<LeaseState> states, List<String> databases) {
      this.major = major;
      this.states = states;
      this.databases = databases;
    }

    LeaseState state(String role) {
      for (LeaseState s : states) {
        if (s.roleName().equals(role)) {
          return s;
        }
      }
      return null;
    }
  }

  private ServerState readServer() {
    return readServer(null);
  }

  /** The connectable databases and the managed users, or only {@code user} if not null. */
  private ServerState readServer(String user) {
    try (Connection c = connections.open(integration.database())) {
      int major = c.getMetaData().getDatabaseMajorVersion();
      List<LeaseState> states = user == null ? LeaseState.readAll(c) : LeaseState.readOne(c, user);
      List<String> dbs = new ArrayList<>();
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT datname::text FROM pg_database"
                      + " WHERE datallowconn AND NOT datistemplate"
                      + " AND has_database_privilege(oid, 'CONNECT') ORDER BY datname");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!NOT_MANAGED_DATABASES.contains(rs.getString(1))) {
            dbs.add(rs.getString(1));
          }
        }
      }
      // The shared database first: roles and memberships are changed from its session.
      dbs.remove(integration.database());
      dbs.add(0, integration.database());
      return new ServerState(major, states, List.copyOf(dbs));
    } catch (SQLException e) {
      throw new GrantsmithException(
          "Cannot read the managed users: SQLSTATE " + e.getSQLState(), e);
    }
  }

  private static Statement ensureMarker(String db) {
    return Statement.of(
        db,
        "DO $grantsmith$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles"
            + " WHERE rolname = "
            + Sql.literal(MARKER_ROLE)
            + ") THEN CREATE ROLE "
            + Sql.ident(MARKER_ROLE)
            + " NOLOGIN; COMMENT ON ROLE "
            + Sql.ident(MARKER_ROLE)
            + " IS 'Members are users managed by Grantsmith'; END IF; END $grantsmith$",
        "create the marker role " + MARKER_ROLE + " if it is missing");
  }

  private static Statement guardAbsent(String db, String user) {
    return Statement.of(
        db,
        "DO $grantsmith$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles"
            + " WHERE rolname = "
            + Sql.literal(user)
            + ") THEN RAISE EXCEPTION"
            + " 'role % was created concurrently', "
            + Sql.literal(user)
            + " USING ERRCODE = '"
            + CONFLICT_SQLSTATE
            + "'; END IF; END $grantsmith$",
        "check that " + user + " does not exist yet");
  }

  /** Fails with {@link #CONFLICT_SQLSTATE} if the user's comment is no longer {@code c}. */
  private static Statement guardComment(String db, String user, String c) {
    String expected = c == null ? "NULL" : Sql.literal(c);
    String tag = "$grantsmith$";
    for (int i = 0; expected.contains(tag); i++) {
      tag = "$grantsmith" + i + "$";
    }
    return Statement.of(
        db,
        "DO "
            + tag
            + " BEGIN IF (SELECT shobj_description(oid,"
            + " 'pg_authid') FROM pg_roles WHERE rolname = "
            + Sql.literal(user)
            + ") IS DISTINCT FROM "
            + expected
            + " THEN RAISE EXCEPTION"
            + " 'the lease of % changed concurrently', "
            + Sql.literal(user)
            + " USING ERRCODE = '"
            + CONFLICT_SQLSTATE
            + "'; END IF; END "
            + tag,
        "check that the lease of " + user + " is unchanged");
  }

  /**
   * Adds, at the start of every transaction after the first, a check that the user's comment is
   * still {@code comment} (what the first transaction wrote): a concurrent change stops the rest of
   * the plan, and LOGIN is never enabled over a concurrent revocation.
   */
  private static Plan guarded(Plan plan, String user, String comment) {
    Plan.Builder out = Plan.builder();
    Step previous = null;
    for (Step s : plan.steps()) {
      boolean newRun =
          previous != null
              && (s.autocommit()
                  || previous.autocommit()
                  || !previous.database().equals(s.database()));
      if (newRun && !s.autocommit()) {
        List<Statement> st = new ArrayList<>();
        st.add(guardComment(s.database(), user, comment));
        st.addAll(s.statements());
        out.addStep(
            Step.builder()
                .database(s.database())
                .description(s.description())
                .addAllStatements(st)
                .build());
      } else {
        out.addStep(s);
      }
      previous = s;
    }
    return out.build();
  }

  private static String libpq(String value) {
    if (!value.isEmpty()
        && value
            .chars()
            .allMatch(
                c ->
                    c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || c == '.'
                        || c == '_'
                        || c == '-'
                        || c == ':')) {
      return value;
    }
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
