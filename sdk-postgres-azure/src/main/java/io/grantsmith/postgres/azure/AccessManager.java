package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessFlows;
import io.grantsmith.api.AccessNotApprovedException;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.ApplyException;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Approval;
import io.grantsmith.api.AuditEvent;
import io.grantsmith.api.AuditException;
import io.grantsmith.api.AuditSink;
import io.grantsmith.api.Authorization;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.Executor;
import io.grantsmith.api.FlowDecision;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Lease;
import io.grantsmith.api.PasswordGenerator;
import io.grantsmith.api.Plan;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.postgres.azure.internal.LeaseState;
import io.grantsmith.postgres.azure.internal.Renderer;
import io.grantsmith.postgres.azure.internal.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The access lifecycle: {@linkplain #grant grant} time-bound access to a person, {@linkplain
 * #extend extend} it, {@linkplain #revoke revoke} it, {@linkplain #sweep sweep} expired and retired
 * users, and {@linkplain #rotateConnectorPassword rotate} the connector's password.
 *
 * <p>Each person gets one managed login role per integration, named {@linkplain #userName
 * deterministically}, marked by membership in the NOLOGIN marker role ({@value #MARKER_ROLE} unless
 * the {@linkplain Builder#conventions conventions} name another), with its lease as JSON in the
 * role comment and its {@code VALID UNTIL} at the lease's expiry, so the password stops working at
 * expiry even if no process runs. The server is the only state.
 *
 * <p>A request may name a Microsoft Entra principal ({@link AccessRequest#entraPrincipal()}): its
 * role is created if missing ({@code pgaadauth_create_principal_with_oid}, which only a connector
 * that is an Entra administrator may run), and a NOLOGIN lease role, managed like a user and
 * recording the principal in its lease, holds the access and is granted to the principal's role
 * last. Revoking takes the lease role from its members and drops it; the principal's own role and
 * its standing privileges are never touched. Azure does not document that a token login checks
 * {@code VALID UNTIL}: for principals the {@linkplain #sweep sweep} is the safety net at expiry.
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
 * <p>With {@linkplain Builder#flows access flows}, {@link #grant(AccessRequest, Authorization)}
 * grants only what they approve, decided before any SQL is sent. With an {@linkplain
 * Builder#auditSink audit sink}, every grant, extension, password reset, revocation, sweep and
 * rotation publishes its {@link AuditEvent}s, in order; a failing sink never stops a revocation or
 * a sweep (see {@link Builder#auditFailuresBlockGrants} for grants).
 *
 * <p>A manager built from {@linkplain Builder#credentials credentials} keeps a few idle connections
 * per database for reuse ({@link ConnectionSource#pooled}); {@link #close()} closes them. A manager
 * built from {@linkplain Builder#connections connections} uses them as given.
 *
 * <p>This class is a facade: each operation is a class of its own ({@code GrantOperation}, {@code
 * ExtendOperation}, {@code PasswordReset}, {@code RevokeOperation}, {@code SweepOperation} with its
 * {@code BulkRevoke}, {@code ConnectorRotation}, {@code DriftOperation}) over a shared {@code
 * ManagerRuntime}; a grant's request is expanded into a desired state without I/O ({@code
 * AccessExpansion}), planned by the {@link Planner} and applied by the {@link Executor}.
 */
public final class AccessManager implements AutoCloseable {
  /** The NOLOGIN role whose members are the users Grantsmith manages, unless configured. */
  public static final String MARKER_ROLE = Conventions.DEFAULT_MARKER_ROLE;

  /**
   * The advisory lock key that one sweep holds in the shared database, transaction-scoped: a
   * transaction stays open for the whole sweep.
   */
  public static final long SWEEP_LOCK_KEY = JdbcExecutor.LOCK_KEY + 1;

  /** The SQLSTATE a plan fails with when a user's lease changed after it was read. */
  public static final String CONFLICT_SQLSTATE = Renderer.CONFLICT_SQLSTATE;

  private final ManagerRuntime rt;
  private final RevokeOperation revokes;
  private final GrantOperation grants;
  private final AccessFlows flows;
  private final AuditTrail configuredAudit;
  private final AuditTrail audit;

  private AccessManager(ManagerRuntime rt, AccessFlows flows, AuditTrail audit) {
    this.rt = rt;
    this.flows = flows;
    this.configuredAudit = audit;
    this.audit = rt.executor instanceof DryRunExecutor ? audit.silent() : audit;
    Holdings holdings = new Holdings(rt);
    this.revokes = new RevokeOperation(rt, holdings);
    this.grants = new GrantOperation(rt, holdings, revokes);
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
    private Conventions conventions = Conventions.defaults();
    private Function<Credentials, ConnectionSource> logins;
    private AccessFlows flows;
    private AuditSink auditSink;
    private boolean auditFailuresBlockGrants;
    private int sweepBatch = SweepOperation.DEFAULT_BATCH;

    private Builder() {}

    /**
     * Sets the access flows that decide who may be granted what (default none). With flows, {@link
     * AccessManager#grant(AccessRequest, Authorization)} grants only what they approve, and {@link
     * AccessManager#grant(AccessRequest)}, which names no requester, is refused.
     *
     * @param flows the flows, with their identity directory and resource tags
     * @return this builder
     */
    public Builder flows(AccessFlows flows) {
      this.flows = Objects.requireNonNull(flows, "flows");
      return this;
    }

    /**
     * Sets where the manager's audit events go (default none). Every grant, extension, password
     * reset, revocation, sweep and connector password rotation publishes its events there, in
     * order, from the calling thread; a dry run publishes none.
     *
     * <p>A sink that fails never stops a revocation, a sweep, an extension or a password reset: the
     * failure is logged (SLF4J, WARN) and the operation goes on. For grants, see {@link
     * #auditFailuresBlockGrants}.
     *
     * @param sink the sink, e.g. {@code AuditSink.all(jsonLines, webhook)}
     * @return this builder
     */
    public Builder auditSink(AuditSink sink) {
      this.auditSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Sets whether a grant is refused when its audit trail cannot be recorded (default false: a
     * failing sink is logged and the grant goes on). When true, the events published before the
     * grant changes anything ({@code REQUESTED} and {@code APPROVED}) must be recorded, or the
     * grant throws {@link AuditException} with nothing changed on the server. The {@code GRANTED}
     * or {@code FAILED} event after the change is published as every other event is: its failure is
     * logged and does not undo the grant, whose credentials the caller then holds. Revocations and
     * sweeps never wait for the audit trail.
     *
     * @param block whether audit failures block grants
     * @return this builder
     */
    public Builder auditFailuresBlockGrants(boolean block) {
      this.auditFailuresBlockGrants = block;
      return this;
    }

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
     * Sets the names Grantsmith gives on the server (default {@link Conventions#defaults()}): the
     * marker role whose members are the managed users, and the prefix of their names. Use the same
     * conventions as the {@link ConnectorSetup} that set the server up. The connector is the role
     * this manager logs in as ({@link #connector}).
     *
     * @param conventions the names
     * @return this builder
     */
    public Builder conventions(Conventions conventions) {
      this.conventions = Objects.requireNonNull(conventions, "conventions");
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
     * Sets how many expired leases a sweep revokes together at most, in one transaction (default
     * {@value SweepOperation#DEFAULT_BATCH}). Tests set it low to cover partial batches.
     *
     * @param batch the most users per batch
     * @return this builder
     * @throws InvalidValueException if {@code batch} is less than 1
     */
    Builder sweepBatch(int batch) {
      InvalidValueException.check(
          batch >= 1, "AccessManager.sweepBatch", "must be at least 1", batch);
      this.sweepBatch = batch;
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
      Integration i = integration;
      ManagerConfig config =
          new ManagerConfig(
              integration,
              policy,
              clock,
              passwords != null ? passwords : new SecurePasswordGenerator(),
              conventions,
              RetryPolicy.lifecycle(),
              logins != null ? logins : c -> ConnectionSource.of(i, c),
              sweepBatch);
      return new AccessManager(
          ManagerRuntime.start(config, credentials, connections, executor, connector),
          flows,
          new AuditTrail(auditSink, auditFailuresBlockGrants, integration.name(), clock));
    }
  }

  /**
   * Closes the idle connections this manager keeps, if it made its own from credentials. A closed
   * manager still works, opening a connection per use; managers made with {@link #withExecutor}
   * share the connections, so closing one closes them for all.
   */
  @Override
  public void close() {
    if (rt.pool != null) {
      rt.pool.close();
    }
  }

  /**
   * The same manager sending its plans to another executor, e.g. a {@link DryRunExecutor}. It
   * shares this manager's connections, credentials, per-user locks, access flows and audit sink
   * (with a {@link DryRunExecutor}, it publishes no audit events).
   *
   * @param other the executor
   * @return a new manager
   */
  public AccessManager withExecutor(Executor other) {
    return new AccessManager(
        rt.withExecutor(Objects.requireNonNull(other, "executor")), flows, configuredAudit);
  }

  /**
   * The managed user's name for a grantee of an integration under the default {@link Conventions}:
   * {@code gs_}, the grantee in lower case with every character but {@code [a-z0-9]} replaced by
   * {@code _}, {@code _} and the first 8 hex digits of SHA-256(integration name, NUL, grantee);
   * shortened to fit 63 bytes.
   *
   * @param integrationName the integration's name
   * @param grantee the person
   * @return e.g. {@code gs_alice_example_com_1f3a9c0e}
   */
  public static String userName(String integrationName, String grantee) {
    return Conventions.defaults().userName(integrationName, grantee);
  }

  // ---------------------------------------------------------------- grant

  /**
   * Grants the request: creates (or, while a grant is active, widens) the grantee's managed user,
   * NOLOGIN first, then the lease and memberships, then the privileges in every database touched,
   * then LOGIN. A second request while active adds its resources, moves the expiry to the later of
   * both and keeps the password unless the integration's rotation period has passed. A user whose
   * lease expired but was not yet swept is revoked first.
   *
   * <p>This form names no requester, so it is for managers without {@linkplain Builder#flows access
   * flows}: the caller has decided. With flows configured it is refused ({@link
   * AccessNotApprovedException}, nothing changed); use {@link #grant(AccessRequest,
   * Authorization)}. Audit events: {@code REQUESTED}, then {@code GRANTED} or {@code FAILED}.
   *
   * @param request the approved request
   * @return the user name, password (if new or rotated), expiry and how to connect
   * @throws InvalidValueException if the request names something that does not exist, or touches a
   *     database created after the connector setup (nothing is changed then)
   * @throws AccessNotApprovedException if the manager has access flows (nothing is changed)
   * @throws ApplyException if the server refused a step (what committed is safe: LOGIN comes last;
   *     granting again converges)
   * @throws GrantsmithException if the user name belongs to a role Grantsmith does not manage; for
   *     an Entra principal, if its role may not be granted to (a superuser, the connector, a
   *     managed role, mapped to another object, NOINHERIT before 16) or, when it is missing, the
   *     connector may not create it (not an Entra administrator: the message names the statement to
   *     run); nothing is changed then
   */
  public AccessGrant grant(AccessRequest request) {
    grants.checkIntegration(Objects.requireNonNull(request, "request"));
    if (flows != null) {
      audit.publish(
          audit.event(AuditEvent.Type.REQUESTED, AuditEvent.Outcome.PENDING, request, null));
      FlowDecision refused =
          new FlowDecision.Denied(
              List.of(
                  new FlowDecision.Reason(
                      Optional.empty(),
                      "requester",
                      "unknown: this manager has access flows, so a grant must name its requester"
                          + " and approvals (grant(request, authorization))")));
      audit.publish(
          audit
              .event(AuditEvent.Type.DENIED, AuditEvent.Outcome.REFUSED, request, null)
              .detail(refused.describe()));
      throw new AccessNotApprovedException(request.requestId(), refused);
    }
    audit.beforeGrant(
        audit.event(AuditEvent.Type.REQUESTED, AuditEvent.Outcome.PENDING, request, null));
    return grantAndRecord(request, null, List.of());
  }

  /**
   * Grants the request if the {@linkplain Builder#flows access flows} approve it, as {@link
   * #grant(AccessRequest)} does; decided before any SQL is sent. The flows count only valid
   * approvals: given for this request's id, not after now, by an approver the flow names, never by
   * the requester or the grantee (see {@link AccessFlows}). A request they do not approve (denied,
   * or still missing approvals) is refused with {@link AccessNotApprovedException}, which carries
   * the decision, and the server is not touched.
   *
   * <p>Without flows configured, the request is granted as by {@link #grant(AccessRequest)}; the
   * authorization's requester is then only recorded in the audit events, and its approvals are not
   * checked.
   *
   * <p>Audit events, in order: {@code REQUESTED} (with the justification as its detail), then
   * {@code APPROVED} (with the approvers that counted) or {@code DENIED} (with the decision), then,
   * if approved, {@code GRANTED} or {@code FAILED}. A lease of the grantee that had expired but was
   * not yet swept is revoked first, recorded as {@code REVOKED} with reason {@code EXPIRED}.
   *
   * <pre>{@code
   * Authorization auth = Authorization.builder()
   *     .requester("alice@example.com")
   *     .addApproval(Approval.of("bob@example.com", approvedAt, request.requestId()))
   *     .justification("INC-7: refund stuck")
   *     .build();
   * AccessGrant grant = manager.grant(request, auth);
   * }</pre>
   *
   * @param request the request
   * @param authorization who asks and the approvals given
   * @return the user name, password (if new or rotated), expiry and how to connect
   * @throws AccessNotApprovedException if the flows do not approve the request (nothing changed)
   * @throws AuditException if {@linkplain Builder#auditFailuresBlockGrants audit failures block
   *     grants} and the request's events could not be recorded (nothing changed)
   * @throws InvalidValueException if the request names something that does not exist, or touches a
   *     database created after the connector setup (nothing is changed then)
   * @throws ApplyException if the server refused a step (granting again converges)
   * @throws GrantsmithException if the user name belongs to a role Grantsmith does not manage
   */
  public AccessGrant grant(AccessRequest request, Authorization authorization) {
    grants.checkIntegration(Objects.requireNonNull(request, "request"));
    Objects.requireNonNull(authorization, "authorization");
    String requester = authorization.requester();
    AuditEvent.Builder requested =
        audit.event(AuditEvent.Type.REQUESTED, AuditEvent.Outcome.PENDING, request, requester);
    authorization
        .justification()
        .or(request::justification)
        .ifPresent(j -> requested.detail(AuditTrail.clip("justification: " + j)));
    audit.beforeGrant(requested);
    List<String> approvers = List.of();
    if (flows != null) {
      FlowDecision decision = flows.evaluate(request, authorization, rt.config.clock().instant());
      if (!(decision instanceof FlowDecision.Approved approved)) {
        audit.publish(
            audit
                .event(AuditEvent.Type.DENIED, AuditEvent.Outcome.REFUSED, request, requester)
                .detail(AuditTrail.clip(decision.describe())));
        throw new AccessNotApprovedException(request.requestId(), decision);
      }
      approvers = approved.approvals().stream().map(Approval::approver).distinct().toList();
      audit.beforeGrant(
          audit
              .event(AuditEvent.Type.APPROVED, AuditEvent.Outcome.SUCCESS, request, requester)
              .addAllApprovers(approvers)
              .detail(AuditTrail.clip(approved.describe())));
    }
    return grantAndRecord(request, requester, approvers);
  }

  /** Grants, then publishes GRANTED or FAILED (and REVOKED for an expired lease revoked first). */
  private AccessGrant grantAndRecord(
      AccessRequest request, String requester, List<String> approvers) {
    Lease expired = null;
    if (audit.isOn()) {
      // Only to record it: the grant reads the server again under the user's lock.
      expired = expiredLease(rt.config.userName(request));
    }
    AccessGrant g;
    try {
      g = grants.grant(request);
    } catch (RuntimeException e) {
      audit.publish(
          audit
              .event(AuditEvent.Type.FAILED, AuditEvent.Outcome.FAILURE, request, requester)
              .addAllApprovers(approvers)
              .detail(AuditTrail.detail(e)));
      throw e;
    }
    if (!g.applyResult().dryRun()) {
      if (expired != null) {
        audit.publish(
            audit
                .event(
                    AuditEvent.Type.REVOKED,
                    AuditEvent.Outcome.SUCCESS,
                    g.lease().roleName(),
                    expired)
                .reason(AuditEvent.Reason.EXPIRED));
      }
      audit.publish(
          audit
              .event(AuditEvent.Type.GRANTED, AuditEvent.Outcome.SUCCESS, request, requester)
              .user(g.lease().roleName())
              .expiresAt(g.expiresAt())
              .addAllApprovers(approvers));
    }
    return g;
  }

  /** The lease of {@code user} if it expired and was not revoked; null otherwise or unreadable. */
  private Lease expiredLease(String user) {
    try {
      LeaseState st = rt.readServer(user).state(user);
      if (st != null
          && st.revokedAt().isEmpty()
          && st.lease().map(l -> l.isExpiredAt(rt.config.clock().instant())).orElse(false)) {
        return st.lease().get();
      }
    } catch (RuntimeException e) {
      // The grant reads the server itself and reports what fails.
    }
    return null;
  }

  /** Whether no managed role {@code user} exists any more; false if that cannot be read. */
  private boolean isGone(String user) {
    try {
      return rt.readServer(user).state(user) == null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The user and lease a name or request id means, for an event; null if none or unreadable. */
  private LeaseState stateOf(String userOrRequestId) {
    try {
      String user = rt.resolve(userOrRequestId);
      return user == null ? null : rt.readServer(user).state(user);
    } catch (RuntimeException e) {
      return null; // the operation reads the server itself and reports what fails
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
    return grants.planGrant(request);
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
    Optional<Lease> lease;
    try {
      lease = new ExtendOperation(rt).extend(userOrRequestId, by);
    } catch (InvalidValueException e) {
      throw e;
    } catch (RuntimeException e) {
      audit.publish(failed("extend " + userOrRequestId + " by " + by, e));
      throw e;
    }
    lease.ifPresent(
        l ->
            audit.publish(
                audit.event(
                    AuditEvent.Type.EXTENDED, AuditEvent.Outcome.SUCCESS, l.roleName(), l)));
    return lease;
  }

  /** A FAILED event for an operation on a user or request id. */
  private AuditEvent.Builder failed(String operation, RuntimeException e) {
    return audit
        .event(AuditEvent.Type.FAILED, AuditEvent.Outcome.FAILURE)
        .detail(AuditTrail.clip(operation + ": " + AuditTrail.detail(e)));
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
    AccessGrant g;
    try {
      g = new PasswordReset(rt).resetPassword(userOrRequestId);
    } catch (RuntimeException e) {
      audit.publish(failed("reset the password of " + userOrRequestId, e));
      throw e;
    }
    if (!g.applyResult().dryRun()) {
      audit.publish(
          audit.event(
              AuditEvent.Type.PASSWORD_RESET, AuditEvent.Outcome.SUCCESS, g.username(), g.lease()));
    }
    return g;
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
    LeaseState before = audit.isOn() ? stateOf(userOrRequestId) : null;
    ApplyResult r;
    try {
      r = revokes.revoke(userOrRequestId);
    } catch (RuntimeException e) {
      AuditEvent.Builder event = failed("revoke " + userOrRequestId, e);
      if (before != null) {
        event.user(before.roleName());
        before.lease().ifPresent(l -> event.requestId(l.requestId()).grantee(l.grantee()));
      }
      audit.publish(event);
      throw e;
    }
    if (before != null && !r.dryRun() && !r.databases().isEmpty()) {
      String user = before.roleName();
      Lease lease = before.lease().orElse(null);
      audit.publish(
          audit
              .event(AuditEvent.Type.REVOKED, AuditEvent.Outcome.SUCCESS, user, lease)
              .reason(AuditEvent.Reason.MANUAL));
      if (isGone(user)) {
        audit.publish(
            audit.event(AuditEvent.Type.CLEANED_UP, AuditEvent.Outcome.SUCCESS, user, lease));
      }
    }
    return r;
  }

  /**
   * The plan {@link #revoke} would apply now, without applying it.
   *
   * @param userOrRequestId the managed user's name or a request id it served
   * @return the plan; empty if there is nothing to do
   * @throws GrantsmithException if the name is an existing role Grantsmith does not manage
   */
  public Plan planRevoke(String userOrRequestId) {
    return revokes.planRevoke(userOrRequestId);
  }

  // ---------------------------------------------------------------- sweep

  /**
   * Revokes every managed user whose lease expired and drops every revoked user whose cleanup time
   * passed (its objects given to the connector and its privileges removed in every database first).
   * Safe to call from any number of replicas at once: one holds a transaction-scoped advisory lock
   * ({@link #SWEEP_LOCK_KEY}) on the shared database, the others skip; this holds through a
   * transaction-pooling PgBouncer too.
   *
   * @return what was revoked, dropped, failed, or that the sweep was skipped
   * @throws GrantsmithException if the server cannot be reached
   */
  public SweepResult sweep() {
    Map<String, Lease> before = new HashMap<>();
    if (audit.isOn()) {
      try {
        leases().forEach(l -> before.put(l.roleName(), l));
      } catch (RuntimeException e) {
        // the sweep reads the server itself and reports what fails
      }
    }
    SweepResult r;
    try {
      r = new SweepOperation(rt, revokes).sweep();
    } catch (RuntimeException e) {
      audit.publish(failed("sweep", e));
      throw e;
    }
    for (String user : r.revoked()) {
      audit.publish(
          audit
              .event(AuditEvent.Type.REVOKED, AuditEvent.Outcome.SUCCESS, user, before.get(user))
              .reason(AuditEvent.Reason.SWEEP));
    }
    for (String user : r.dropped()) {
      audit.publish(
          audit.event(
              AuditEvent.Type.CLEANED_UP, AuditEvent.Outcome.SUCCESS, user, before.get(user)));
    }
    r.failed()
        .forEach(
            (user, reason) ->
                audit.publish(
                    audit
                        .event(
                            AuditEvent.Type.FAILED,
                            AuditEvent.Outcome.FAILURE,
                            user,
                            before.get(user))
                        .detail(AuditTrail.clip("sweep: " + reason))));
    return r;
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
   * @throws GrantsmithException if the change, the proof or the store failed (after restoring), or,
   *     before anything is read or changed, if the connections {@linkplain
   *     ConnectionSource#logsInWithTokens() log in with tokens} (an Entra connector has no
   *     password); the message names the connector
   */
  public Credentials rotateConnectorPassword(SecretStore store, SecretRef ref) {
    Credentials next;
    try {
      next = new ConnectorRotation(rt).rotate(store, ref);
    } catch (RuntimeException e) {
      audit.publish(failed("rotate the connector's password", e));
      throw e;
    }
    audit.publish(
        audit
            .event(AuditEvent.Type.PASSWORD_RESET, AuditEvent.Outcome.SUCCESS)
            .user(next.username())
            .detail("the connector's password was rotated and stored"));
    return next;
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
    return new DriftOperation(rt).drift();
  }

  // ---------------------------------------------------------------- leases

  /**
   * Every managed user's lease, read with one query.
   *
   * @return the leases, by role name; users whose comment holds no lease are left out
   */
  public List<Lease> leases() {
    List<Lease> out = new ArrayList<>();
    for (LeaseState s : rt.readServer().states()) {
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
    String user = rt.resolve(userOrRequestId);
    if (user == null) {
      return Optional.empty();
    }
    LeaseState s = rt.readServer(user).state(user);
    return s == null ? Optional.empty() : s.lease();
  }
}
