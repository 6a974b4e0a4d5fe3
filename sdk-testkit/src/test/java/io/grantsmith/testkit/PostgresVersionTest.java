package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PostgresVersionTest {

  @Test
  void listsThirteenToEighteenWithBinariesAndImages() {
    assertThat(Arrays.stream(PostgresVersion.values()).map(PostgresVersion::major))
        .containsExactly(13, 14, 15, 16, 17, 18);
    assertThat(PostgresVersion.of(13).binariesVersion()).isEqualTo("13.22.0");
    assertThat(PostgresVersion.of(14).binariesVersion()).isEqualTo("14.22.0");
    assertThat(PostgresVersion.of(15).binariesVersion()).isEqualTo("15.14.0");
    assertThat(PostgresVersion.of(16).binariesVersion()).isEqualTo("16.10.0");
    assertThat(PostgresVersion.of(17).binariesVersion()).isEqualTo("17.6.0");
    assertThat(PostgresVersion.of(18).binariesVersion()).isEqualTo("18.0.0");
    for (PostgresVersion v : PostgresVersion.values()) {
      assertThat(v.dockerImage()).isEqualTo("postgres:" + v.dockerTag());
      assertThat(v.binariesVersion()).startsWith(v.dockerTag() + ".");
    }
  }

  @Test
  void defaultIsSeventeen() {
    assertThat(PostgresVersion.DEFAULT.major()).isEqualTo(17);
    assertThat(PostgresVersion.parseList(null)).containsExactly(PostgresVersion.V17);
    assertThat(PostgresVersion.parseList(" ")).containsExactly(PostgresVersion.V17);
  }

  @Test
  void parsesCommaLists() {
    assertThat(PostgresVersion.parseList("13, 18,13,,16"))
        .containsExactly(PostgresVersion.V13, PostgresVersion.V18, PostgresVersion.V16);
  }

  @Test
  void rejectsUnsupportedVersions() {
    assertThatThrownBy(() -> PostgresVersion.of(12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12");
    assertThatThrownBy(() -> PostgresVersion.parseList("17,x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'x'");
  }

  @Test
  void displaysAsPostgresqlAndMajor() {
    assertThat(PostgresVersion.V17).hasToString("PostgreSQL 17");
  }
}
