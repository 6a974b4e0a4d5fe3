package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.ResourceRef;
import java.time.Instant;
import java.util.List;

/**
 * Writes a lease as the JSON text kept in a managed role's comment. Strings are escaped as RFC 8259
 * requires; instants are ISO-8601 in UTC. Leases are read back on the server with jsonb operators
 * ({@link LeaseState#query(int)}), so no JSON parser is needed here.
 */
public final class LeaseCodec {
  /** The format version written in the {@code grantsmith} member. */
  public static final int VERSION = 1;

  /** How many request ids a lease remembers. */
  public static final int MAX_REQUEST_IDS = 20;

  /** How many approvals a lease remembers; older ones are dropped first. */
  public static final int MAX_APPROVALS = 500;

  private LeaseCodec() {}

  /**
   * One approved request's level on one resource: what the lease explains. Kept in the lease so
   * that a later request, the drift report and the footprint check know what the user may hold.
   *
   * @param level the access level
   * @param resource the resource
   */
  public record Approval(AccessLevel level, ResourceRef resource) {}

  /**
   * What a lease records, member by member, in the order they are written.
   *
   * @param integration the integration's name
   * @param requestId the request that created or last changed the lease
   * @param requestIds every request id served by the role, oldest first
   * @param grantee the person
   * @param grantedAt when access was first granted
   * @param expiresAt when it expires
   * @param cleanupAt when the role is dropped, or null
   * @param passwordSetAt when the password was last set, or null
   * @param revokedAt when access was revoked, or null
   * @param approvals what the lease approves, or null if unknown (a lease written before approvals
   *     were recorded)
   * @param principal the Microsoft Entra principal the lease is for, or null for a password user
   */
  public record Fields(
      String integration,
      String requestId,
      List<String> requestIds,
      String grantee,
      Instant grantedAt,
      Instant expiresAt,
      Instant cleanupAt,
      Instant passwordSetAt,
      Instant revokedAt,
      List<Approval> approvals,
      EntraPrincipal principal) {
    /** Copies the lists. */
    public Fields {
      requestIds = List.copyOf(requestIds);
      approvals = approvals == null ? null : List.copyOf(approvals);
    }

    /**
     * The fields of a password user's lease.
     *
     * @param integration the integration's name
     * @param requestId the request that created or last changed the lease
     * @param requestIds every request id served by the role, oldest first
     * @param grantee the person
     * @param grantedAt when access was first granted
     * @param expiresAt when it expires
     * @param cleanupAt when the role is dropped, or null
     * @param passwordSetAt when the password was last set, or null
     * @param revokedAt when access was revoked, or null
     * @param approvals what the lease approves, or null if unknown
     */
    public Fields(
        String integration,
        String requestId,
        List<String> requestIds,
        String grantee,
        Instant grantedAt,
        Instant expiresAt,
        Instant cleanupAt,
        Instant passwordSetAt,
        Instant revokedAt,
        List<Approval> approvals) {
      this(
          integration,
          requestId,
          requestIds,
          grantee,
          grantedAt,
          expiresAt,
          cleanupAt,
          passwordSetAt,
          revokedAt,
          approvals,
          null);
    }

    /**
     * What a managed role's lease records now, for a change of some of its members.
     *
     * @param state the role's state, whose lease is readable
     * @param integration the integration's name, if the lease names none
     * @return the fields
     */
    public static Fields of(LeaseState state, String integration) {
      io.grantsmith.api.Lease l = state.lease().orElseThrow();
      return new Fields(
          state.integration().orElse(integration),
          l.requestId(),
          state.requestIds(),
          l.grantee(),
          l.grantedAt(),
          l.expiresAt(),
          l.cleanupAt().orElse(null),
          state.passwordSetAt().orElse(null),
          null,
          state.approvals().orElse(null),
          l.entraPrincipal().orElse(null));
    }

    /**
     * These fields with another expiry and cleanup time.
     *
     * @param expiresAt the expiry
     * @param cleanupAt the cleanup time, or null
     * @return the fields
     */
    public Fields withExpiry(Instant expiresAt, Instant cleanupAt) {
      return copy(expiresAt, cleanupAt, passwordSetAt, revokedAt);
    }

    /**
     * These fields with another time the password was set.
     *
     * @param passwordSetAt the instant
     * @return the fields
     */
    public Fields withPasswordSetAt(Instant passwordSetAt) {
      return copy(expiresAt, cleanupAt, passwordSetAt, revokedAt);
    }

    /**
     * These fields with the revocation recorded.
     *
     * @param revokedAt when access was revoked
     * @return the fields
     */
    public Fields withRevokedAt(Instant revokedAt) {
      return copy(expiresAt, cleanupAt, passwordSetAt, revokedAt);
    }

    private Fields copy(
        Instant expiresAt, Instant cleanupAt, Instant passwordSetAt, Instant revokedAt) {
      return new Fields(
          integration,
          requestId,
          requestIds,
          grantee,
          grantedAt,
          expiresAt,
          cleanupAt,
          passwordSetAt,
          revokedAt,
          approvals,
          principal);
    }
  }

  /**
   * The JSON text of a lease.
   *
   * @param lease what the lease records
   * @return the JSON object, one line
   */
  public static String encode(Fields lease) {
    String integration = lease.integration();
    String requestId = lease.requestId();
    List<String> requestIds = lease.requestIds();
    String grantee = lease.grantee();
    Instant grantedAt = lease.grantedAt();
    Instant expiresAt = lease.expiresAt();
    Instant cleanupAt = lease.cleanupAt();
    Instant passwordSetAt = lease.passwordSetAt();
    Instant revokedAt = lease.revokedAt();
    List<Approval> approvals = lease.approvals();
    EntraPrincipal principal = lease.principal();
    StringBuilder out = new StringBuilder(256);
    out.append("{\"grantsmith\":").append(VERSION);
    member(out, "integration", integration);
    member(out, "requestId", requestId);
    out.append(",\"requests\":[");
    List<String> ids =
        requestIds.size() > MAX_REQUEST_IDS
            ? requestIds.subList(requestIds.size() - MAX_REQUEST_IDS, requestIds.size())
            : requestIds;
    for (int i = 0; i < ids.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      string(out, ids.get(i));
    }
    out.append(']');
    member(out, "grantee", grantee);
    member(out, "grantedAt", text(grantedAt));
    member(out, "expiresAt", text(expiresAt));
    member(out, "cleanupAt", text(cleanupAt));
    member(out, "passwordSetAt", text(passwordSetAt));
    member(out, "revokedAt", text(revokedAt));
    if (approvals != null) {
      out.append(",\"approved\":[");
      List<Approval> kept =
          approvals.size() > MAX_APPROVALS
              ? approvals.subList(approvals.size() - MAX_APPROVALS, approvals.size())
              : approvals;
      for (int i = 0; i < kept.size(); i++) {
        Approval a = kept.get(i);
        ResourceRef r = a.resource();
        out.append(i > 0 ? ",{" : "{").append("\"level\":");
        string(out, a.level().label());
        member(out, "kind", r.kind().name());
        member(out, "database", r.database().orElse(null));
        member(out, "schema", r.schema().orElse(null));
        member(out, "name", r.name().orElse(null));
        member(out, "args", r.arguments().orElse(null));
        out.append('}');
      }
      out.append(']');
    }
    if (principal != null) {
      out.append(",\"entra\":{\"type\":");
      string(out, principal.type().label());
      member(out, "objectId", principal.objectId());
      member(out, "roleName", principal.roleName());
      out.append(",\"mfa\":").append(principal.mfa()).append('}');
    }
    return out.append('}').toString();
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  private static void member(StringBuilder out, String name, String value) {
    out.append(",\"").append(name).append("\":");
    if (value == null) {
      out.append("null");
    } else {
      string(out, value);
    }
  }

  /**
   * Appends {@code s} as a JSON string: quotes, backslashes and control characters escaped.
   *
   * @param out where to append
   * @param s the string
   */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (Character.isSurrogate(c) && !validSurrogate(s, i)) {
            out.append('\ufffd'); // jsonb rejects a lone surrogate, even escaped
          } else if (c == 0) {
            out.append('\ufffd'); // jsonb rejects an escaped NUL
          } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  private static boolean validSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
