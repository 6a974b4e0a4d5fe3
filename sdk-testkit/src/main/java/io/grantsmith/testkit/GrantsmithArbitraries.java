package io.grantsmith.testkit;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.testkit.internal.Identifiers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for PostgreSQL names and for Grantsmith's model, for property tests.
 *
 * <p>The testkit's dependency on jqwik is optional: a project that uses this class adds {@code
 * net.jqwik:jqwik} (the API and its JUnit 5 engine) to its test dependencies. No other class of the
 * testkit needs jqwik.
 *
 * <pre>{@code
 * @Property
 * void anyNameRoundTrips(@ForAll("names") String name) { ... }
 *
 * @Provide
 * Arbitrary<String> names() {
 *     return GrantsmithArbitraries.hostileIdentifiers();
 * }
 * }</pre>
 */
public final class GrantsmithArbitraries {
  private static final char[] MULTIBYTE_LETTERS = {
    'é', 'ß', 'ø', 'Ä', 'ж', 'Ж', 'λ', 'Ω', 'ñ', // two bytes in UTF-8
    '日', '本', '한', '中', 'ア', 'ह', // three bytes in UTF-8
  };
  private static final char[] HOSTILE_CHARS = {
    '\'', '"', ';', '$', '\\', ' ', '-', '/', '*', '.', ',', '(', ')', '%', '?', ':', '=', '\t',
    '\n', 'A', 'Z', 'a', 'z', '0', '9', '_', 'é', '日', 'ß',
  };
  private static final List<String> HOSTILE_SAMPLES =
      List.of(
          "x\"; DROP TABLE y; --",
          "'; SELECT 1; --",
          "$$",
          "$$ LANGUAGE sql; --",
          "a\"b",
          "\"\"",
          "''",
          "/* comment */",
          "--",
          "back\\slash\\",
          " leading and trailing ",
          ";",
          "Robert'); DROP TABLE students;--",
          "日本語 スキーマ",
          "a.b",
          "?",
          "%s%n",
          "select",
          "User");

  private GrantsmithArbitraries() {}

  /**
   * Valid PostgreSQL identifiers without special characters: an ASCII letter, underscore or
   * non-ASCII letter first, then letters, digits and underscores, in mixed case, 1 to 63 UTF-8
   * bytes (names of exactly 63 bytes, ASCII and multi-byte, come up often). Mixed-case and
   * non-ASCII names still need quoting in SQL.
   *
   * @return the arbitrary
   */
  public static Arbitrary<String> identifiers() {
    Arbitrary<Character> first =
        Arbitraries.oneOf(
            Arbitraries.chars().range('a', 'z'),
            Arbitraries.chars().range('A', 'Z'),
            Arbitraries.of('_'),
            Arbitraries.of(MULTIBYTE_LETTERS));
    Arbitrary<String> rest =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars('_')
            .withChars(MULTIBYTE_LETTERS)
            .ofMaxLength(Identifiers.MAX_BYTES - 1);
    Arbitrary<String> random = Combinators.combine(first, rest).as((f, r) -> fit(f + r));
    Arbitrary<String> longAscii =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('_')
            .ofLength(Identifiers.MAX_BYTES - 1)
            .map(s -> "n" + s);
    Arbitrary<String> longMultibyte =
        Arbitraries.strings().withChars('日', '本', 'ア', '한').ofLength(Identifiers.MAX_BYTES / 3);
    Arbitrary<String> mixedTo63 =
        Combinators.combine(
                Arbitraries.strings().withChars('é', 'ж', 'λ').ofMinLength(1).ofMaxLength(31),
                Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').ofLength(1))
            .as((multi, ascii) -> multi + ascii.repeat(Identifiers.MAX_BYTES - 2 * multi.length()));
    return Arbitraries.frequencyOf(
        Tuple.of(8, random),
        Tuple.of(1, longAscii),
        Tuple.of(1, longMultibyte),
        Tuple.of(1, mixedTo63));
  }

  /**
   * Identifiers that are valid only when quoted and that break careless SQL building: quotes,
   * double quotes, semicolons, {@code $$}, backslashes, spaces, {@code --} and {@code /*} comment
   * markers, dots, percent signs, newlines, keywords and non-ASCII letters; 1 to 63 UTF-8 bytes,
   * never a NUL.
   *
   * @return the arbitrary
   */
  public static Arbitrary<String> hostileIdentifiers() {
    Arbitrary<String> random =
        Arbitraries.strings()
            .withChars(HOSTILE_CHARS)
            .ofMinLength(1)
            .ofMaxLength(Identifiers.MAX_BYTES)
            .map(GrantsmithArbitraries::fit);
    Arbitrary<String> spliced =
        Combinators.combine(
                identifiers(),
                Arbitraries.of(HOSTILE_SAMPLES),
                Arbitraries.integers().between(0, 62))
            .as(
                (plain, hostile, at) -> {
                  int cut =
                      plain.offsetByCodePoints(
                          0, Math.min(at, plain.codePointCount(0, plain.length())));
                  return fit(plain.substring(0, cut) + hostile + plain.substring(cut));
                });
    return Arbitraries.frequencyOf(
        Tuple.of(3, random),
        Tuple.of(3, spliced),
        Tuple.of(1, Arbitraries.of(HOSTILE_SAMPLES)),
        Tuple.of(1, Arbitraries.of(Estate.HOSTILE_NAMES)));
  }

  /**
   * Names for the model: mostly {@linkplain #identifiers() plain identifiers}, sometimes
   * {@linkplain #hostileIdentifiers() hostile} ones.
   *
   * @return the arbitrary
   */
  public static Arbitrary<String> names() {
    return Arbitraries.frequencyOf(Tuple.of(3, identifiers()), Tuple.of(1, hostileIdentifiers()));
  }

  /**
   * Valid {@link ResourceRef}s of every kind (server, database, schema, relation, sequence,
   * function, role), with any valid names.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ResourceRef> resourceRefs() {
    return Arbitraries.oneOf(
        Arbitraries.just(ResourceRef.server()),
        names().map(ResourceRef::role),
        grantableResourceRefs());
  }

  /**
   * Valid {@link ResourceRef}s that privileges can be granted on: databases, schemas, relations,
   * sequences and functions.
   *
   * @return the arbitrary
   */
  public static Arbitrary<ResourceRef> grantableResourceRefs() {
    Arbitrary<String> arguments =
        Arbitraries.of("", "integer", "integer, text", "text[]", "bigint, boolean");
    return Arbitraries.oneOf(
        names().map(ResourceRef::database),
        Combinators.combine(names(), names()).as(ResourceRef::schema),
        Combinators.combine(names(), names(), names()).as(ResourceRef::relation),
        Combinators.combine(names(), names(), names()).as(ResourceRef::sequence),
        Combinators.combine(names(), names(), names(), arguments).as(ResourceRef::function));
  }

  /**
   * Valid {@link Grant}s: a grantable resource and a non-empty set of privileges that apply to its
   * kind (including {@code MAINTAIN}, which needs PostgreSQL 17; filter with {@link
   * Privilege#isSupportedOn(int)} for older servers).
   *
   * @return the arbitrary
   */
  public static Arbitrary<Grant> grants() {
    return grantableResourceRefs()
        .flatMap(
            resource ->
                Combinators.combine(
                        names(),
                        Arbitraries.subsetOf(Privilege.applicableTo(resource.kind())).ofMinSize(1),
                        Arbitraries.of(true, false))
                    .as(
                        (grantee, privileges, grantOption) ->
                            Grant.builder()
                                .grantee(grantee)
                                .resource(resource)
                                .addAllPrivileges(privileges)
                                .withGrantOption(grantOption)
                                .build()));
  }

  /**
   * Valid {@link RoleSpec}s: a name that is not reserved ({@code pg_*}, {@code azure_*} and the
   * like), LOGIN or not, optional password, comment, expiry and memberships.
   *
   * @return the arbitrary
   */
  public static Arbitrary<RoleSpec> roleSpecs() {
    Arbitrary<String> roleName =
        names().filter(n -> !io.grantsmith.api.Identifiers.isReservedRoleName(n));
    Arbitrary<Optional<Secret>> password =
        Arbitraries.strings()
            .ofMinLength(12)
            .ofMaxLength(64)
            .withCharRange('!', '~')
            .map(Secret::of)
            .optional();
    Arbitrary<Optional<String>> comment =
        Arbitraries.oneOf(
                names(), Arbitraries.strings().ofMaxLength(200).filter(c -> c.indexOf('\0') < 0))
            .optional();
    Arbitrary<Optional<Instant>> validUntil =
        Arbitraries.longs()
            .between(0, 10L * 365 * 24 * 3600)
            .map(sec -> Instant.parse("2025-01-01T00:00:00Z").plusSeconds(sec))
            .optional();
    return Combinators.combine(
            roleName,
            Arbitraries.of(true, false),
            Arbitraries.of(true, false),
            Arbitraries.integers().between(-1, 100),
            comment,
            password,
            names().list().ofMaxSize(3),
            validUntil)
        .as(
            (name, login, inherit, limit, note, secret, groups, until) -> {
              RoleSpec.Builder b =
                  RoleSpec.builder()
                      .name(name)
                      .login(login)
                      .inherit(inherit)
                      .connectionLimit(limit);
              note.ifPresent(b::comment);
              secret.ifPresent(b::password);
              until.ifPresent(b::validUntil);
              groups.stream().filter(g -> !g.equals(name)).forEach(b::addMemberOf);
              return b.build();
            });
  }

  /**
   * Valid {@link AccessRequest}s: an integration for an Azure host with a maximum duration, one to
   * five grantable resources, any level, a duration between one minute and that maximum, optional
   * justification and clean-up days.
   *
   * @return the arbitrary
   */
  public static Arbitrary<AccessRequest> accessRequests() {
    Arbitrary<Integration> integration =
        Combinators.combine(
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('0', '9')
                    .withChars('-', '_')
                    .ofMaxLength(20),
                Arbitraries.strings()
                    .withCharRange('a', 'z')
                    .withCharRange('0', '9')
                    .ofMinLength(3)
                    .ofMaxLength(40),
                Arbitraries.integers().between(1, 24 * 30))
            .as(
                (suffix, server, hours) ->
                    Integration.builder()
                        .name("integration" + suffix)
                        .hostname(server + ".postgres.database.azure.com")
                        .maxAccessDuration(Duration.ofHours(hours))
                        .build());
    Arbitrary<String> printable =
        Arbitraries.strings()
            .ofMinLength(1)
            .ofMaxLength(100)
            .filter(t -> !t.isBlank() && t.chars().noneMatch(Character::isISOControl));
    return integration.flatMap(
        in ->
            Combinators.combine(
                    Arbitraries.strings()
                        .alpha()
                        .numeric()
                        .withChars('-')
                        .ofMinLength(1)
                        .ofMaxLength(64)
                        .filter(id -> !id.isBlank()),
                    Arbitraries.oneOf(
                        names()
                            .filter(
                                n -> n.chars().noneMatch(Character::isISOControl) && !n.isBlank()),
                        printable),
                    grantableResourceRefs().list().ofMinSize(1).ofMaxSize(5),
                    Arbitraries.of(AccessLevel.class),
                    Arbitraries.longs()
                        .between(1, in.maxAccessDuration().toMinutes())
                        .map(Duration::ofMinutes),
                    printable.optional(),
                    Arbitraries.integers().between(0, 365).optional())
                .as(
                    (id, grantee, resources, level, duration, justification, cleanup) -> {
                      AccessRequest.Builder b =
                          AccessRequest.builder()
                              .requestId(id)
                              .grantee(grantee)
                              .integration(in)
                              .addAllResources(resources)
                              .level(level)
                              .duration(duration);
                      justification.ifPresent(b::justification);
                      cleanup.ifPresent(b::cleanupAfterDays);
                      return b.build();
                    }));
  }

  /** Cuts whole characters off the end until the name fits in 63 UTF-8 bytes. */
  private static String fit(String name) {
    String s = name;
    while (Identifiers.utf8Length(s) > Identifiers.MAX_BYTES) {
      s = s.substring(0, s.offsetByCodePoints(s.length(), -1));
    }
    return s;
  }
}
