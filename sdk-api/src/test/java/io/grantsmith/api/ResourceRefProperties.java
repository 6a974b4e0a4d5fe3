package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ResourceRefProperties {

  @Provide
  Arbitrary<ResourceRef> refs() {
    return ModelArbitraries.resourceRefs();
  }

  @Property
  void orderIsConsistentWithEquals(@ForAll("refs") ResourceRef a, @ForAll("refs") ResourceRef b) {
    assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
    assertThat(Integer.signum(a.compareTo(b))).isEqualTo(-Integer.signum(b.compareTo(a)));
    assertThat(a.compareTo(ResourceRef.builder().from(a).build())).isZero();
  }

  @Property
  void orderIsTransitive(
      @ForAll("refs") ResourceRef a, @ForAll("refs") ResourceRef b, @ForAll("refs") ResourceRef c) {
    if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
      assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
    }
  }

  @Property
  void onlyTheServerAndRolesHaveNoDatabase(@ForAll("refs") ResourceRef ref) {
    assertThat(ref.database().isPresent()).isEqualTo(ref.kind().isGrantable());
  }
}
