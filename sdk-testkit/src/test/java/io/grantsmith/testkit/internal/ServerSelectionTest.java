package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSelectionTest {

  @Test
  void dockerHostOrAnExistingSocketHintsAtDocker(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("docker.sock");
    assertThat(ServerSelection.dockerHinted("tcp://docker:2375", null, List.of())).isTrue();
    assertThat(ServerSelection.dockerHinted(null, "/run/docker.sock", List.of())).isTrue();
    Files.createFile(missing);
    assertThat(ServerSelection.dockerHinted(null, null, List.of(missing))).isTrue();
  }

  @Test
  void noHintMeansNoProbe(@TempDir Path dir) {
    // On a machine with ~/.testcontainers.properties this is a hint; that is fine, skip then.
    boolean propertiesFile =
        Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
    assertThat(ServerSelection.dockerHinted(" ", "", List.of(dir.resolve("none.sock"))))
        .isEqualTo(propertiesFile);
  }

  @Test
  void testcontainersIsOnTheTestClassPath() {
    assertThat(ServerSelection.testcontainersPresent()).isTrue();
  }
}
