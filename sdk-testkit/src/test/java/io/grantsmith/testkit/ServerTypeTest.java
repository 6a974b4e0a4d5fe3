package io.grantsmith.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerTypeTest {

  @Test
  void parsesNamesIgnoringCase() {
    assertThat(ServerType.parse("embedded")).isEqualTo(ServerType.EMBEDDED);
    assertThat(ServerType.parse(" Docker ")).isEqualTo(ServerType.DOCKER);
    assertThat(ServerType.parse("testcontainers")).isEqualTo(ServerType.DOCKER);
    assertThat(ServerType.parse("EXTERNAL")).isEqualTo(ServerType.EXTERNAL);
    assertThatThrownBy(() -> ServerType.parse("cloud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cloud");
  }

  @Test
  void systemPropertyWinsOverDetection() {
    String before = System.getProperty(ServerType.PROPERTY);
    try {
      System.setProperty(ServerType.PROPERTY, "external");
      assertThat(ServerType.configured()).contains(ServerType.EXTERNAL);
      assertThat(ServerType.selected()).isEqualTo(ServerType.EXTERNAL);
    } finally {
      if (before == null) {
        System.clearProperty(ServerType.PROPERTY);
      } else {
        System.setProperty(ServerType.PROPERTY, before);
      }
    }
  }
}
