package io.grantsmith.api;

import io.grantsmith.api.DefaultPrivilege.ObjectType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Arbitraries of valid values of every model type, and of identifiers on both sides of PostgreSQL's
 * 63-byte limit. Test code only: the shipped generators belong to the testkit.
 */
final class ModelArbitraries {
  private static final Instant EPOCH_2020 = Instant.parse("2020-01-01T00:00:00Z");

  private ModelArbitraries() {}

  /** The length of {@code s} in bytes of UTF-8. */
  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Code points other than NUL and surrogates, of 1, 2, 3 and 4 bytes of UTF-8. */
  static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, Arbitraries.integers().between(0x01, 0x7F)),
        Tuple.of(2, Arbitraries.integers().between(0x80, 0x7FF)),
        Tuple.of(
            2,
            Arbitraries.integers()
                .between(0x800, 0xFFFF)
                .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)));
  }

  /** Valid PostgreSQL identifiers: 1 to 63 bytes of UTF-8 without NUL, any other character. */
  static Arbitrary<String> identifiers() {
    return codePoints()
        .list()
        .ofMinSize(1)
        .ofMaxSize(Identifiers.MAX_BYTES)
        .map(
            cps -> {
              StringBuilder out = new StringBuilder();
              int bytes = 0;
              for (int cp : cps) {
                int size = utf8Length(new String(Character.toChars(cp)));
                if (bytes + size > Identifiers.MAX_BYTES) {
                  break;
                }
                out.appendCodePoint(cp);
                bytes += size;
              }
              return out.toString();
            });
  }

  /** Names without NUL that are longer than 63 bytes of UTF-8, many of them just so. */
  static Arbitrary<String> tooLongIdentifiers() {
    return codePoints()
        .list()
        .ofMinSize(1)
        .ofMaxSize(80)
        .map(
            cps -> {
              StringBuilder out = new StringBuilder();
              cps.forEach(out::appendCodePoint);
              for (int i = 0; utf8Length(out.toString()) <= Identifiers.MAX_BYTES; i++) {
                out.appendCodePoint(cps.get(i % cps.size()));
              }
              return out.toString();
            });
  }

  /** Otherwise valid identifiers with a NUL somewhere. */
  static Arbitrary<String> identifiersWithNul() {
    return Combinators.combine(identifiers(), Arbitraries.integers().between(0, 63))
        .as(
            (s, i) -> {
              int at = s.offsetByCodePoints(0, Math.min(i, s.codePointCount(0, s.length())));
              return s.substring(0, at) + '\0' + s.substring(at);
            });
  }

  static Arbitrary<String> creatableRoleNames() {
    return identifiers().filter(n -> !Identifiers.isReservedRoleName(n));
  }

  /** Non-blank text without control characters, like ids and e-mail addresses. */
  static Arbitrary<String> printable(int maxLength) {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .withChars(" -_@.:/#é€")
        .ofMinLength(1)
        .ofMaxLength(maxLength)
        .filter(s -> !s.isBlank());
  }

  static Arbitrary<Instant> instants() {
    return Arbitraries.longs().between(0, 20L * 365 * 24 * 3600).map(EPOCH_2020::plusSeconds);
  }

  static Arbitrary<Secret> secrets() {
    return Arbitraries.strings()
        .ofMinLength(1)
        .ofMaxLength(40)
        .filter(s -> s.indexOf('\0') < 0)
        .map(Secret::of);
  }

  static Arbitrary<String> integrationNames() {
    return Combinators.combine(
            Arbitraries.chars().alpha(),
            Arbitraries.strings().alpha().numeric().withChars("-_").ofMaxLength(63))
        .as((first, rest) -> first + rest);
  }

  static Arbitrary<String> hostnames() {
    Arbitrary<String> label =
        Combinators.combine(
                Arbitraries.chars().range('a', 'z'),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .numeric()
                    .withChars('-')
                    .ofMaxLength(20),
                Arbitraries.chars().range('a', 'z').numeric())
            .as((a, mid, z) -> a + mid + z);
    Arbitrary<String> dns = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
    Arbitrary<String> ipv4 =
        Combinators.combine(octet, octet, octet, octet)
            .as((a, b, c, d) -> a + "." + b + "." + c + "." + d);
    Arbitrary<String> ipv6 =
        Arbitraries.integers()
            .between(0, 0xFFFF)
            .map(Integer::toHexString)
            .list()
            .ofSize(8)
            .map(l -> String.join(":", l));
    Arbitrary<String> ipv6Short =
        Arbitraries.of("::1", "::", "2001:db8::1", "fe80::1:2", "::ffff:10.0.0.1", "[2001:db8::7]");
    return Arbitraries.oneOf(dns, ipv4, ipv6, ipv6Short);
  }

  static Arbitrary<IntegrationOwner> integrationOwners() {
    return Combinators.combine(printable(20), printable(20).list().ofMinSize(1).ofMaxSize(3))
        .as(
            (type, values) ->
                IntegrationOwner.builder()
                    .attributeType(type)
                    .addValues(values.toArray(String[]::new))
                    .build());
  }

  static Arbitrary<ResourceOwner> resourceOwners() {
    return Combinators.combine(printable(20), printable(20)).as(ResourceOwner::of);
  }

  static Arbitrary<SecretRef> secretRefs() {
    Arbitrary<String> vaultName =
        Combinators.combine(
                Arbitraries.chars().alpha(),
                Arbitraries.strings()
                    .alpha()
                    .numeric()
                    .withChars('-')
                    .ofMinLength(1)
                    .ofMaxLength(22),
                Arbitraries.chars().alpha().numeric())
            .as((a, mid, z) -> a + mid + z);
    Arbitrary<String> secretName =
        Arbitraries.strings().alpha().numeric().withChars('-').ofMinLength(1).ofMaxLength(127);
    Arbitrary<SecretRef> vault =
        Combinators.combine(vaultName, secretName)
            .as((v, s) -> SecretRef.azureKeyVault(v, "https://" + v + ".vault.azure.net/", s));
    Arbitrary<SecretRef> env =
        Combinators.combine(
                Arbitraries.chars().alpha().with('_'),
                Arbitraries.strings().alpha().numeric().withChars('_').ofMaxLength(30))
            .as((a, rest) -> SecretRef.environment(a + rest));
    Arbitrary<SecretRef> file =
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(60)
            .filter(s -> !s.isBlank() && s.indexOf('\0') < 0)
            .map(SecretRef::file);
    return Arbitraries.oneOf(vault, env, file);
  }

  static Arbitrary<Integration> integrations() {
    Arbitrary<List<IntegrationOwner>> owners = integrationOwners().list().ofMaxSize(2);
    Arbitrary<List<ResourceOwner>> resourceOwners = resourceOwners().list().ofMaxSize(2);
    Arbitrary<Tuple.Tuple2<List<IntegrationOwner>, List<ResourceOwner>>> ownership =
        Combinators.combine(owners, resourceOwners)
            .as((io, ro) -> Tuple.of(io, io.isEmpty() ? List.<ResourceOwner>of() : ro));
    return Builders.withBuilder(Integration::builder)
        .use(integrationNames())
        .in(Integration.Builder::name)
        .use(hostnames())
        .in(Integration.Builder::hostname)
        .use(Arbitraries.integers().between(1, 65535))
        .withProbability(0.5)
        .in(Integration.Builder::port)
        .use(identifiers())
        .withProbability(0.5)
        .in(Integration.Builder::database)
        .use(Arbitraries.of(SslMode.class))
        .withProbability(0.5)
        .in(Integration.Builder::sslMode)
        .use(printable(30))
        .withProbability(0.5)
        .in(Integration.Builder::connectorId)
        .use(secretRefs())
        .withProbability(0.5)
        .in(Integration.Builder::connectorSecret)
        .use(Arbitraries.of(ResourceKind.class).set())
        .in(
            (b, kinds) -> {
              kinds.forEach(b::addResourceType);
              return b;
            })
        .use(Arbitraries.integers().between(1, 3650))
        .withProbability(0.5)
        .in(Integration.Builder::credentialRotationDays)
        .use(Arbitraries.integers().between(0, 3650))
        .withProbability(0.5)
        .in(Integration.Builder::userCleanupAfterDays)
        .use(Arbitraries.strings().ofMaxLength(Integration.MAX_CUSTOM_ACCESS_DETAILS))
        .withProbability(0.5)
        .in(Integration.Builder::customAccessDetails)
        .use(ownership)
        .in(
            (b, o) -> {
              o.get1().forEach(b::addIntegrationOwner);
              o.get2().forEach(b::addResourceOwner);
              return b;
            })
        .use(Arbitraries.longs().between(60, 90L * 24 * 3600).map(Duration::ofSeconds))
        .withProbability(0.5)
        .in(Integration.Builder::maxAccessDuration)
        .build(Integration.Builder::build);
  }

  static Arbitrary<ResourceRef> resourceRefs() {
    Arbitrary<String> id = identifiers();
    Arbitrary<String> arguments =
        Arbitraries.of(
            "", "integer", "integer, text", "VARIADIC anyarray", "character varying(20)");
    return Arbitraries.oneOf(
        Arbitraries.just(ResourceRef.server()),
        id.map(ResourceRef::database),
        Combinators.combine(id, id).as(ResourceRef::schema),
        Combinators.combine(id, id, id).as(ResourceRef::relation),
        Combinators.combine(id, id, id).as(ResourceRef::sequence),
        Combinators.combine(id, id, id, arguments).as(ResourceRef::function),
        id.map(ResourceRef::role));
  }

  static Arbitrary<ResourceRef> grantableResourceRefs() {
    return resourceRefs().filter(r -> r.kind().isGrantable());
  }

  static Arbitrary<Grant> grants() {
    return grantableResourceRefs()
        .flatMap(
            resource ->
                Combinators.combine(
                        identifiers(),
                        Arbitraries.subsetOf(Privilege.applicableTo(resource.kind())).ofMinSize(1),
                        Arbitraries.of(true, false))
                    .as(
                        (grantee, privileges, option) ->
                            Grant.builder()
                                .grantee(grantee)
                                .resource(resource)
                                .addAllPrivileges(privileges)
                                .withGrantOption(option)
                                .build()));
  }

  static Arbitrary<DefaultPrivilege> defaultPrivileges() {
    return Builders.withBuilder(DefaultPrivilege::builder)
        .use(identifiers())
        .in(DefaultPrivilege.Builder::owner)
        .use(identifiers())
        .withProbability(0.5)
        .in(DefaultPrivilege.Builder::schema)
        .use(Arbitraries.of(ObjectType.class))
        .in(DefaultPrivilege.Builder::objectType)
        .use(identifiers())
        .in(DefaultPrivilege.Builder::grantee)
        .use(Arbitraries.subsetOf(Privilege.values()).ofMinSize(1))
        .in(DefaultPrivilege.Builder::addAllPrivileges)
        .use(Arbitraries.of(true, false))
        .in(DefaultPrivilege.Builder::withGrantOption)
        .build(DefaultPrivilege.Builder::build);
  }

  static Arbitrary<Membership> memberships() {
    return Combinators.combine(identifiers(), identifiers(), Arbitraries.of(true, false))
        .filter((role, member, admin) -> !role.equals(member))
        .as(
            (role, member, admin) ->
                Membership.builder().role(role).member(member).adminOption(admin).build());
  }

  static Arbitrary<RoleSpec> roleSpecs() {
    return creatableRoleNames()
        .flatMap(
            name ->
                Builders.withBuilder(RoleSpec::builder)
                    .use(Arbitraries.just(name))
                    .in(RoleSpec.Builder::name)
                    .use(Arbitraries.of(true, false))
                    .in(RoleSpec.Builder::login)
                    .use(Arbitraries.of(true, false))
                    .withProbability(0.5)
                    .in(RoleSpec.Builder::inherit)
                    .use(instants())
                    .withProbability(0.5)
                    .in(RoleSpec.Builder::validUntil)
                    .use(Arbitraries.integers().between(-1, 1000))
                    .withProbability(0.5)
                    .in(RoleSpec.Builder::connectionLimit)
                    .use(Arbitraries.strings().ofMaxLength(40).filter(s -> s.indexOf('\0') < 0))
                    .withProbability(0.5)
                    .in(RoleSpec.Builder::comment)
                    .use(secrets())
                    .withProbability(0.5)
                    .in(RoleSpec.Builder::password)
                    .use(identifiers().filter(r -> !r.equals(name)).set().ofMaxSize(3))
                    .in(
                        (b, roles) -> {
                          roles.forEach(b::addMemberOf);
                          return b;
                        })
                    .build(RoleSpec.Builder::build));
  }

  static Arbitrary<RoleInfo> roleInfos() {
    Arbitrary<Boolean> bool = Arbitraries.of(true, false);
    return Builders.withBuilder(RoleInfo::builder)
        .use(identifiers())
        .in(RoleInfo.Builder::name)
        .use(bool)
        .in(RoleInfo.Builder::superuser)
        .use(bool)
        .in(RoleInfo.Builder::login)
        .use(bool)
        .in(RoleInfo.Builder::inherit)
        .use(bool)
        .in(RoleInfo.Builder::createRole)
        .use(bool)
        .in(RoleInfo.Builder::createDb)
        .use(instants())
        .withProbability(0.5)
        .in(RoleInfo.Builder::validUntil)
        .use(Arbitraries.integers().between(-1, 100))
        .in(RoleInfo.Builder::connectionLimit)
        .use(Arbitraries.strings().ofMaxLength(40))
        .withProbability(0.5)
        .in(RoleInfo.Builder::comment)
        .build(RoleInfo.Builder::build);
  }

  static Arbitrary<AccessRequest> accessRequests() {
    return integrations()
        .flatMap(
            integration ->
                Builders.withBuilder(AccessRequest::builder)
                    .use(Arbitraries.just(integration))
                    .in(AccessRequest.Builder::integration)
                    .use(printable(128))
                    .in(AccessRequest.Builder::requestId)
                    .use(printable(256))
                    .in(AccessRequest.Builder::grantee)
                    .use(resourceRefs().list().ofMinSize(1).ofMaxSize(4))
                    .in(AccessRequest.Builder::addAllResources)
                    .use(Arbitraries.of(AccessLevel.class))
                    .withProbability(0.5)
                    .in(AccessRequest.Builder::level)
                    .use(
                        Arbitraries.longs()
                            .between(60, integration.maxAccessDuration().getSeconds())
                            .map(Duration::ofSeconds))
                    .in(AccessRequest.Builder::duration)
                    .use(Arbitraries.strings().ofMaxLength(1000).filter(s -> s.indexOf('\0') < 0))
                    .withProbability(0.5)
                    .in(AccessRequest.Builder::justification)
                    .use(Arbitraries.integers().between(0, 365))
                    .withProbability(0.5)
                    .in(AccessRequest.Builder::cleanupAfterDays)
                    .build(AccessRequest.Builder::build));
  }

  static Arbitrary<Lease> leases() {
    Arbitrary<Long> offset = Arbitraries.longs().between(0, 90L * 24 * 3600);
    return Builders.withBuilder(Lease::builder)
        .use(identifiers())
        .in(Lease.Builder::roleName)
        .use(printable(40))
        .in(Lease.Builder::requestId)
        .use(printable(40))
        .in(Lease.Builder::grantee)
        .use(Combinators.combine(instants(), offset, offset.optional()).as(Tuple::of))
        .in(
            (b, t) -> {
              Instant expires = t.get1().plusSeconds(t.get2());
              b.grantedAt(t.get1()).expiresAt(expires);
              t.get3().ifPresent(c -> b.cleanupAt(expires.plusSeconds(c)));
              return b;
            })
        .build(Lease.Builder::build);
  }

  static Arbitrary<Statement> statements(String database) {
    return Builders.withBuilder(Statement::builder)
        .use(Arbitraries.just(database))
        .in(Statement.Builder::database)
        .use(Arbitraries.strings().ofMinLength(1).ofMaxLength(80).filter(s -> !s.isBlank()))
        .in(Statement.Builder::sql)
        .use(Arbitraries.strings().ofMinLength(1).ofMaxLength(80))
        .withProbability(0.5)
        .in(Statement.Builder::redacted)
        .use(Arbitraries.strings().ofMaxLength(40))
        .withProbability(0.5)
        .in(Statement.Builder::description)
        .build(Statement.Builder::build);
  }

  static Arbitrary<Statement> statements() {
    return identifiers().flatMap(ModelArbitraries::statements);
  }

  static Arbitrary<Step> steps() {
    return identifiers()
        .flatMap(
            db ->
                Combinators.combine(
                        Arbitraries.strings().ofMaxLength(40),
                        statements(db).list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of(true, false))
                    .as(
                        (description, statements, autocommit) ->
                            Step.builder()
                                .database(db)
                                .description(description)
                                .addAllStatements(statements)
                                .autocommit(autocommit)
                                .build()));
  }

  static Arbitrary<Plan> plans() {
    return steps().list().ofMaxSize(4).map(steps -> Plan.builder().addAllSteps(steps).build());
  }

  static Arbitrary<Credentials> credentials() {
    return Combinators.combine(identifiers(), secrets()).as(Credentials::of);
  }

  static Arbitrary<CatalogSnapshot> catalogSnapshots() {
    return Builders.withBuilder(CatalogSnapshot::builder)
        .use(identifiers())
        .in(CatalogSnapshot.Builder::database)
        .use(Arbitraries.integers().between(120000, 189999))
        .in(CatalogSnapshot.Builder::serverVersionNum)
        .use(resourceRefs().list().ofMaxSize(4))
        .in(CatalogSnapshot.Builder::addAllObjects)
        .use(grants().list().ofMaxSize(3))
        .in(CatalogSnapshot.Builder::addAllGrants)
        .use(defaultPrivileges().list().ofMaxSize(2))
        .in(CatalogSnapshot.Builder::addAllDefaultPrivileges)
        .use(roleInfos().list().ofMaxSize(3))
        .in(CatalogSnapshot.Builder::addAllRoles)
        .use(memberships().list().ofMaxSize(3))
        .in(CatalogSnapshot.Builder::addAllMemberships)
        .build(CatalogSnapshot.Builder::build);
  }

  static Arbitrary<ApplyResult.DatabaseResult> databaseResults() {
    Arbitrary<Integer> count = Arbitraries.integers().between(0, 1000);
    return Builders.withBuilder(ApplyResult.DatabaseResult::builder)
        .use(identifiers())
        .in(ApplyResult.DatabaseResult.Builder::database)
        .use(count)
        .in(ApplyResult.DatabaseResult.Builder::statements)
        .use(count)
        .in(ApplyResult.DatabaseResult.Builder::roundTrips)
        .use(Arbitraries.integers().between(1, 5))
        .withProbability(0.5)
        .in(ApplyResult.DatabaseResult.Builder::attempts)
        .use(Arbitraries.longs().between(0, 60_000).map(Duration::ofMillis))
        .in(ApplyResult.DatabaseResult.Builder::elapsed)
        .build(ApplyResult.DatabaseResult.Builder::build);
  }

  static Arbitrary<ApplyResult> applyResults() {
    return Combinators.combine(databaseResults().list().ofMaxSize(3), Arbitraries.of(true, false))
        .as(
            (dbs, dryRun) -> {
              ApplyResult.Builder b = ApplyResult.builder().dryRun(dryRun);
              dbs.forEach(b::addDatabase);
              return b.build();
            });
  }

  static Arbitrary<DesiredState> desiredStates() {
    return Combinators.combine(
            roleSpecs().list().ofMaxSize(3).uniqueElements(RoleSpec::name),
            grants().list().ofMaxSize(3),
            memberships().list().ofMaxSize(3))
        .as(
            (roles, grants, memberships) ->
                DesiredState.builder()
                    .addAllRoles(roles)
                    .addAllGrants(grants)
                    .addAllMemberships(memberships)
                    .build());
  }

  // ---- governance ------------------------------------------------------------------------------

  static Arbitrary<Approval> approvals() {
    return Combinators.combine(printable(256), instants(), printable(128)).as(Approval::of);
  }

  static Arbitrary<Authorization> authorizations() {
    return Combinators.combine(
            printable(256),
            approvals().list().ofMaxSize(3),
            Arbitraries.strings()
                .ofMaxLength(1000)
                .filter(j -> j.indexOf('\0') < 0)
                .injectNull(0.5))
        .as(
            (who, given, why) -> {
              Authorization.Builder b =
                  Authorization.builder().requester(who).addAllApprovals(given);
              if (why != null) {
                b.justification(why);
              }
              return b.build();
            });
  }

  static Arbitrary<TimeWindow> timeWindows() {
    Arbitrary<java.time.LocalTime> times =
        Arbitraries.integers()
            .between(0, 24 * 60 - 1)
            .map(m -> java.time.LocalTime.of(m / 60, m % 60));
    return Combinators.combine(
            Arbitraries.of(java.time.DayOfWeek.class).set().ofMinSize(1),
            times,
            times,
            Arbitraries.of("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
                .map(java.time.ZoneId::of))
        .as(
            (days, start, end, zone) ->
                TimeWindow.builder()
                    .addAllDays(days)
                    .start(start)
                    .end(start.equals(end) ? start.plusMinutes(1) : end)
                    .zone(zone)
                    .build());
  }

  static Arbitrary<Approver> approvers() {
    return Arbitraries.oneOf(
        printable(40).map(Approver::identity),
        printable(40).map(Approver::group),
        Arbitraries.just(Approver.resourceOwners()),
        Arbitraries.just(Approver.integrationOwners()));
  }

  static Arbitrary<ApprovalRule> approvalRules() {
    Arbitrary<List<Approver>> some = approvers().list().uniqueElements().ofMinSize(1).ofMaxSize(3);
    return Arbitraries.oneOf(
        Arbitraries.just(ApprovalRule.automatic()),
        some.map(ApprovalRule::anyOf),
        some.map(ApprovalRule::allOf));
  }

  static Arbitrary<AccessFlow> accessFlows() {
    return Builders.withBuilder(AccessFlow::builder)
        .use(integrationNames())
        .in(AccessFlow.Builder::name)
        .use(printable(40).set().ofMinSize(1).ofMaxSize(3))
        .in(AccessFlow.Builder::addAllRequesters)
        .use(integrationNames())
        .in(AccessFlow.Builder::integration)
        .use(
            Arbitraries.of(
                    "*",
                    "orders",
                    "orders/*",
                    "orders/sales/*",
                    "orders/sales/items",
                    "role:x",
                    "server",
                    "a\\/b/*")
                .set()
                .ofMinSize(1)
                .ofMaxSize(3))
        .in(AccessFlow.Builder::addAllResources)
        .use(Arbitraries.of(AccessLevel.class))
        .in(AccessFlow.Builder::maxLevel)
        .use(Arbitraries.longs().between(1, 90L * 24 * 60).map(Duration::ofMinutes))
        .in(AccessFlow.Builder::maxDuration)
        .use(approvalRules())
        .in(AccessFlow.Builder::approval)
        .use(Arbitraries.of(true, false))
        .in(AccessFlow.Builder::justificationRequired)
        .use(timeWindows())
        .withProbability(0.5)
        .in(AccessFlow.Builder::window)
        .build(AccessFlow.Builder::build);
  }

  static Arbitrary<AuditEvent> auditEvents() {
    return Builders.withBuilder(AuditEvent::builder)
        .use(Arbitraries.create(java.util.UUID::randomUUID))
        .in(AuditEvent.Builder::id)
        .use(Arbitraries.of(AuditEvent.Type.class))
        .in(AuditEvent.Builder::type)
        .use(instants())
        .in(AuditEvent.Builder::time)
        .use(integrationNames())
        .in(AuditEvent.Builder::integration)
        .use(printable(128))
        .withProbability(0.7)
        .in(AuditEvent.Builder::requestId)
        .use(printable(256))
        .withProbability(0.7)
        .in(AuditEvent.Builder::requester)
        .use(printable(256))
        .withProbability(0.7)
        .in(AuditEvent.Builder::grantee)
        .use(creatableRoleNames())
        .withProbability(0.7)
        .in(AuditEvent.Builder::user)
        .use(printable(256).list().ofMaxSize(3))
        .in(AuditEvent.Builder::addAllApprovers)
        .use(resourceRefs().map(ResourcePattern::path).list().ofMaxSize(3))
        .in(AuditEvent.Builder::addAllResources)
        .use(Arbitraries.of(AccessLevel.class))
        .withProbability(0.7)
        .in(AuditEvent.Builder::level)
        .use(instants())
        .withProbability(0.5)
        .in(AuditEvent.Builder::expiresAt)
        .use(Arbitraries.of(AuditEvent.Outcome.class))
        .in(AuditEvent.Builder::outcome)
        .use(Arbitraries.strings().ofMaxLength(200).filter(d -> d.indexOf('\0') < 0))
        .withProbability(0.5)
        .in(AuditEvent.Builder::detail)
        .build(
            b -> {
              AuditEvent e = b.build();
              return e.type() == AuditEvent.Type.REVOKED
                  ? AuditEvent.builder().from(e).reason(AuditEvent.Reason.EXPIRED).build()
                  : e;
            });
  }
}
