package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ResourcePatternProperties {

  @Property
  void theExactPatternOfAPathMatchesItsResourceAndNoOther(
      @ForAll("resources") ResourceRef a, @ForAll("resources") ResourceRef b) {
    ResourcePattern exact = ResourcePattern.parse(ResourcePattern.path(a));

    assertThat(exact.matches(a)).as(ResourcePattern.path(a)).isTrue();
    if (exact.matches(b)) {
      assertThat(sameName(a, b)).as("%s matches %s", exact, b).isTrue();
    }
  }

  @Property
  void aBelowPatternMatchesOnlyWhatLiesInsideItsParent(
      @ForAll("resources") ResourceRef parent, @ForAll("resources") ResourceRef r) {
    net.jqwik.api.Assume.that(
        parent.kind() == ResourceKind.DATABASE || parent.kind() == ResourceKind.SCHEMA);
    ResourcePattern below = ResourcePattern.parse(ResourcePattern.path(parent) + "/*");

    boolean inside =
        r.database().equals(parent.database())
            && (parent.kind() == ResourceKind.DATABASE
                ? r.kind() != ResourceKind.DATABASE
                : r.schema().equals(parent.schema()) && r.name().isPresent());
    assertThat(below.matches(r)).as("%s vs %s", below, r).isEqualTo(inside);
  }

  /** Relations and sequences share one namespace in PostgreSQL, so their paths may coincide. */
  private static boolean sameName(ResourceRef a, ResourceRef b) {
    if (a.equals(b)) {
      return true;
    }
    boolean pgClass =
        (a.kind() == ResourceKind.RELATION || a.kind() == ResourceKind.SEQUENCE)
            && (b.kind() == ResourceKind.RELATION || b.kind() == ResourceKind.SEQUENCE);
    return pgClass
        && a.database().equals(b.database())
        && a.schema().equals(b.schema())
        && a.name().equals(b.name());
  }

  @Provide
  Arbitrary<ResourceRef> resources() {
    // Few names, some of them awkward, so that parts coincide often.
    Arbitrary<String> names =
        Arbitraries.of("orders", "sales", "a/b", "*", "\\", "server", "role:x", "t");
    return Arbitraries.oneOf(
        Arbitraries.just(ResourceRef.server()),
        names.map(ResourceRef::database),
        net.jqwik.api.Combinators.combine(names, names).as(ResourceRef::schema),
        net.jqwik.api.Combinators.combine(names, names, names).as(ResourceRef::relation),
        net.jqwik.api.Combinators.combine(names, names, names).as(ResourceRef::sequence),
        net.jqwik.api.Combinators.combine(names, names, names)
            .as((d, s, n) -> ResourceRef.function(d, s, n, "integer")),
        names.map(ResourceRef::role));
  }
}
