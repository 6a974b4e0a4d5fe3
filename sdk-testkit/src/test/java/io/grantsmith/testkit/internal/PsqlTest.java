package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(value = OS.WINDOWS, disabledReason = "uses POSIX file permissions")
class PsqlTest {

  @Test
  void findsTheFirstExecutablePsqlOnThePath(@TempDir Path dir) throws IOException {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path notExecutable = Files.createDirectory(dir.resolve("plain"));
    Files.writeString(notExecutable.resolve("psql"), "");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path psql = Files.writeString(bin.resolve("psql"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(psql, PosixFilePermissions.fromString("rwxr-xr-x"));

    String path =
        String.join(
            File.pathSeparator, empty.toString(), "", notExecutable.toString(), bin.toString());
    assertThat(Psql.find(path)).isEqualTo(psql);
  }

  @Test
  void failsNamingPsqlAndItsPackageWhenItIsMissing(@TempDir Path dir) {
    assertThatThrownBy(() -> Psql.find(dir.toString()))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(Psql.MISSING)
        .hasMessageContaining("psql")
        .hasMessageContaining("postgresql-client");
    assertThatThrownBy(() -> Psql.find(null))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage(Psql.MISSING);
  }
}
