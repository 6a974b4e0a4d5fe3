package io.grantsmith.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./grantsmith} launcher, started four times at once on a checkout that was never built:
 * exactly one call builds, the others wait for it, and all four run the tool.
 *
 * <p>A real build takes a minute, so the launcher runs in a copy of the checkout whose {@code mvnw}
 * stands in for Maven: it fails if another build is running (as concurrent real builds overwriting
 * each other's classes and jars do), waits a second, then puts this module's unpacked distribution
 * ({@code target/launcher}) where the build would. Everything else is the real script, and the tool
 * runs from that distribution's {@code bin/grantsmith}.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherIT {
  private static final int CALLS = 4;

  @Test
  void fourCallsOnAFreshCheckoutBuildOnceWithFlock(@TempDir Path dir) throws Exception {
    assumeTrue(which("flock").isPresent(), "flock is not installed");
    Path copy = checkout(dir);
    runAtOnce(copy, System.getenv("PATH"));
    assertThat(Files.readAllLines(copy.resolve("builds.log"))).hasSize(1);
  }

  @Test
  void fourCallsOnAFreshCheckoutBuildOnceWithoutFlock(@TempDir Path dir) throws Exception {
    Path copy = checkout(dir);
    // A PATH with the tools the launcher uses but no flock: it falls back to a mkdir lock.
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool :
        List.of(
            "bash", "dirname", "ls", "grep", "head", "find", "mkdir", "rmdir", "cat", "sleep", "rm",
            "mktemp", "touch", "cp")) {
      Files.createSymbolicLink(
          bin.resolve(tool),
          which(tool).orElseThrow(() -> new AssertionError(tool + " not found on PATH")));
    }
    runAtOnce(copy, bin.toString());
    assertThat(Files.readAllLines(copy.resolve("builds.log"))).hasSize(1);
    assertThat(copy.resolve("cli-dist/target/.grantsmith-build.lock.d")).doesNotExist();
  }

  /** A checkout with the real launcher, a stand-in mvnw and nothing built. */
  private static Path checkout(Path dir) throws IOException {
    Path repo = Path.of("").toAbsolutePath().getParent();
    Path launcher = repo.resolve("grantsmith");
    assertThat(launcher).as("the launcher at the repository root").exists();
    Path copy = Files.createDirectories(dir.resolve("checkout"));
    Files.copy(launcher, copy.resolve("grantsmith"));
    for (String module :
        List.of("sdk-api", "sdk-testkit", "sdk-postgres-azure", "samples", "cli-dist")) {
      Path src = Files.createDirectories(copy.resolve(module).resolve("src/main/java"));
      Files.writeString(src.resolve("Source.java"), "class Source {}\n");
      Files.writeString(copy.resolve(module).resolve("pom.xml"), "<project/>\n");
    }
    Files.writeString(copy.resolve("pom.xml"), "<project/>\n");
    // Sources older than any build, so that a finished build counts as up to date.
    FileTime old = FileTime.from(Instant.now().minusSeconds(600));
    try (Stream<Path> files = Files.walk(copy)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.setLastModifiedTime(p, old);
      }
    }
    Path mvnw = copy.resolve("mvnw");
    Files.writeString(
        mvnw,
        "#!"
            + which("bash").orElseThrow()
            + "\n"
            + "set -eu\n"
            + "root=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n"
            + "mkdir \"$root/building\" 2>/dev/null"
            + " || { echo 'stand-in mvnw: another build is running' >&2; exit 1; }\n"
            + "echo build >>\"$root/builds.log\"\n"
            + "sleep 1\n"
            + "mkdir -p \"$root/cli-dist/target/launcher\"\n"
            + "cp -R \"$REAL_DIST\"/. \"$root/cli-dist/target/launcher/\"\n"
            + "rmdir \"$root/building\"\n");
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createFile(copy.resolve("builds.log"));
    return copy;
  }

  private static void runAtOnce(Path copy, String path) throws Exception {
    Path dist = Path.of("target", "launcher").toAbsolutePath();
    assumeTrue(
        Files.isRegularFile(dist.resolve("bin/grantsmith")),
        "the distribution is built in the package phase, before this test");
    List<Process> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  which("bash").orElseThrow().toString(),
                  copy.resolve("grantsmith").toString(),
                  "--version")
              .redirectOutput(copy.resolve("out" + i).toFile())
              .redirectError(copy.resolve("err" + i).toFile());
      Map<String, String> env = pb.environment();
      env.put("PATH", path);
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.put("REAL_DIST", dist.toString());
      calls.add(pb.start());
    }
    for (int i = 0; i < CALLS; i++) {
      Process p = calls.get(i);
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("call " + i + " ends").isTrue();
      String out = Files.readString(copy.resolve("out" + i));
      String err = Files.readString(copy.resolve("err" + i));
      assertThat(p.exitValue()).as("call " + i + ": " + err).isZero();
      assertThat(out).startsWith("grantsmith ");
    }
  }

  private static Optional<Path> which(String tool) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d).resolve(tool);
      if (!d.isEmpty() && Files.isExecutable(p)) {
        return Optional.of(p.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
