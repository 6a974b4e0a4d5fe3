package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessPolicy;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.CatalogSnapshot;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleInfo;
import io.grantsmith.postgres.azure.internal.LeaseCodec.Approval;
import io.grantsmith.postgres.azure.internal.LeaseState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The pure core of a grant, first half: what a lease approves and what that means on the catalogs
 * (privileges and memberships), without I/O. {@link GrantDesign} turns it into the user's {@link
 * DesiredState}; {@link DriftOperation} expands the approvals of every active lease the same way.
 */
final class AccessExpansion {
  private AccessExpansion() {}

  /**
   * The roles a grant involves.
   *
   * @param user the managed user
   * @param connector the connector
   * @param markerRole the marker role
   */
  record Names(String user, String connector, String markerRole) {}

  /**
   * What the catalogs say, as read before the expansion.
   *
   * @param sharedDatabase the integration's database
   * @param snapshots a snapshot of each database the approvals touch, the shared one included
   * @param connectable the databases the connector can connect to, the shared one first
   * @param ownedSequences the sequences owned by each approved relation
   */
  record Catalog(
      String sharedDatabase,
      Map<String, CatalogSnapshot> snapshots,
      List<String> connectable,
      Map<ResourceRef, List<ResourceRef>> ownedSequences) {
    CatalogSnapshot shared() {
      return snapshots.get(sharedDatabase);
    }
  }

  /**
   * What the user is to hold.
   *
   * @param grants the privileges
   * @param memberOf the roles, the marker role included
   */
  record Access(List<Grant> grants, Set<String> memberOf) {}

  /**
   * What the lease approves after {@code request}: what {@code current} approved (none for a fresh
   * user, null if its lease predates recorded approvals) and the request's level on each resource,
   * later approvals replacing equal ones at the end.
   */
  static List<Approval> approvals(LeaseState current, AccessRequest request) {
    List<Approval> earlier = earlier(current);
    List<Approval> out = new ArrayList<>(earlier != null ? earlier : List.of());
    for (ResourceRef r : request.resources()) {
      Approval a = new Approval(request.level(), r);
      out.remove(a);
      out.add(a);
    }
    return out;
  }

  /** What {@code current} approved: none for a fresh user, null if not recorded. */
  static List<Approval> earlier(LeaseState current) {
    return current != null ? current.approvals().orElse(null) : List.of();
  }

  /** The databases whose catalogs the approvals need, in the order they are first named. */
  static Set<String> databases(Collection<Approval> approvals, List<String> connectable) {
    Set<String> out = new LinkedHashSet<>();
    for (Approval a : approvals) {
      ResourceRef r = a.resource();
      if (r.kind() == ResourceKind.SERVER) {
        out.addAll(connectable);
      } else {
        r.database().ifPresent(out::add);
      }
    }
    return out;
  }

  /** The approved relations, whose own sequences come with them. */
  static List<ResourceRef> relations(Collection<Approval> approvals) {
    return approvals.stream()
        .map(Approval::resource)
        .filter(r -> r.kind() == ResourceKind.RELATION)
        .distinct()
        .toList();
  }

  /**
   * The privileges and memberships that {@code approvals} mean on the catalogs: for a role, the
   * membership; for the server, every connectable database; for a database, schema or object,
   * CONNECT on its database, USAGE on the schema of an object, and the policy's privileges on
   * everything in scope (outside system schemas), a table's own sequences included.
   *
   * @throws InvalidValueException if an approval names something that does not exist or a role that
   *     must not be granted
   */
  static Access expand(
      List<Approval> approvals, Names names, AccessPolicy policy, Catalog catalog) {
    List<Grant> grants = new ArrayList<>();
    Set<String> memberOf = new TreeSet<>();
    memberOf.add(names.markerRole());
    for (Approval a : approvals) {
      expand(a.resource(), a.level(), names, policy, catalog, grants, memberOf);
    }
    return new Access(grants, memberOf);
  }

  private static void expand(
      ResourceRef r,
      AccessLevel level,
      Names names,
      AccessPolicy policy,
      Catalog catalog,
      List<Grant> out,
      Set<String> memberOf) {
    String user = names.user();
    switch (r.kind()) {
      case ROLE -> {
        String role = r.name().get();
        Optional<RoleInfo> info = catalog.shared().role(role);
        InvalidValueException.check(
            info.isPresent(), "AccessRequest.resources", "must name roles that exist", r);
        InvalidValueException.check(
            !info.get().superuser()
                && !role.equals(names.markerRole())
                && !role.equals(user)
                && !role.equals(names.connector()),
            "AccessRequest.resources",
            "must not name a superuser, the marker role, the connector or the user itself",
            r);
        memberOf.add(role);
        return;
      }
      case SERVER -> {
        for (String db : catalog.connectable()) {
          expand(ResourceRef.database(db), level, names, policy, catalog, out, memberOf);
        }
        return;
      }
      default -> {
        // a database, schema or object: below
      }
    }
    String db = r.requireDatabase();
    CatalogSnapshot snap = catalog.snapshots().get(db);
    InvalidValueException.check(
        snap.contains(r), "AccessRequest.resources", "must name objects that exist", r);
    Set<Privilege> dbPrivs = EnumSet.of(Privilege.CONNECT);
    if (r.kind() == ResourceKind.DATABASE) {
      dbPrivs.addAll(policy.privileges(level, ResourceKind.DATABASE));
    }
    add(out, user, ResourceRef.database(db), dbPrivs);
    for (ResourceRef o : snap.objects()) {
      if (o.kind() == ResourceKind.DATABASE
          || o.schema().isEmpty()
          || !managedSchema(o.schema().get())) {
        continue;
      }
      boolean inScope =
          switch (r.kind()) {
            case DATABASE -> true;
            case SCHEMA -> o.schema().equals(r.schema());
            default -> o.equals(r);
          };
      if (r.kind() != ResourceKind.DATABASE
          && r.kind() != ResourceKind.SCHEMA
          && o.kind() == ResourceKind.SCHEMA
          && o.schema().equals(r.schema())) {
        add(out, user, o, EnumSet.of(Privilege.USAGE));
      }
      if (inScope) {
        add(out, user, o, policy.privileges(level, o.kind()));
      }
    }
    if (r.kind() == ResourceKind.RELATION) {
      // A table's own sequences (serial and identity columns) come with it: read-write on the
      // table must let the user insert.
      for (ResourceRef seq : catalog.ownedSequences().getOrDefault(r, List.of())) {
        if (snap.contains(seq)) {
          add(out, user, seq, policy.privileges(level, ResourceKind.SEQUENCE));
        }
      }
    }
  }

  /** Whether Grantsmith grants in this schema: not the system's, not pg_cron's. */
  static boolean managedSchema(String schema) {
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
}
