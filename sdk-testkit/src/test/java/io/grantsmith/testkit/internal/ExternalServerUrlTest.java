package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalServerUrlTest {

  @Test
  void parsesHostPortDatabaseAndParameters() {
    ExternalServer.ParsedUrl url =
        ExternalServer.ParsedUrl.parse(
            "jdbc:postgresql://myserver.postgres.database.azure.com:6432/app%20db?sslmode=require&user=x");
    assertThat(url.host()).isEqualTo("myserver.postgres.database.azure.com");
    assertThat(url.port()).isEqualTo(6432);
    assertThat(url.database()).isEqualTo("app db");
    assertThat(url.parameters()).isEqualTo(Map.of("sslmode", "require"));
  }

  @Test
  void defaultsPortAndDatabase() {
    ExternalServer.ParsedUrl url = ExternalServer.ParsedUrl.parse("jdbc:postgresql://[::1]/");
    assertThat(url.host()).isEqualTo("::1");
    assertThat(url.port()).isEqualTo(5432);
    assertThat(url.database()).isEqualTo("postgres");
  }

  @Test
  void rejectsOtherUrls() {
    assertThatThrownBy(() -> ExternalServer.ParsedUrl.parse("jdbc:mysql://x/y"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ExternalServer.ParsedUrl.parse("jdbc:postgresql://a,b/y"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
