package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.ServerSelection;
import java.util.Locale;
import java.util.Optional;

/**
 * The ways the testkit can provide an {@link AzurePostgres}.
 *
 * <p>Selection when code does not name one: the system property {@value #PROPERTY}, else the
 * environment variable {@value #ENV}, else {@link #DOCKER} if a Docker daemon answers, else {@link
 * #EMBEDDED}.
 */
public enum ServerType {
  /** A PostgreSQL started from zonky.io binaries in this JVM's machine; needs only a JDK. */
  EMBEDDED,
  /** A Testcontainers {@link AzurePostgresContainer}; needs Docker and Testcontainers. */
  DOCKER,
  /**
   * An existing server named by the environment variables {@code GRANTSMITH_PG_JDBC_URL}, {@code
   * GRANTSMITH_PG_ADMIN_USER} and {@code GRANTSMITH_PG_ADMIN_PASSWORD}.
   */
  EXTERNAL;

  /**
   * System property selecting the server type: {@code embedded}, {@code docker} or {@code
   * external}.
   */
  public static final String PROPERTY = "grantsmith.pg.server";

  /** Environment variable selecting the server type, read when the system property is not set. */
  public static final String ENV = "GRANTSMITH_PG_SERVER";

  /**
   * Parses a server type name, ignoring case.
   *
   * @param name {@code embedded}, {@code docker} (or {@code testcontainers}) or {@code external}
   * @return the server type
   * @throws IllegalArgumentException for any other name
   */
  public static ServerType parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "embedded":
        return EMBEDDED;
      case "docker":
      case "testcontainers":
        return DOCKER;
      case "external":
        return EXTERNAL;
      default:
        throw new IllegalArgumentException(
            "Unknown server type '"
                + name
                + "' in "
                + PROPERTY
                + "/"
                + ENV
                + "; expected embedded, docker or external");
    }
  }

  /**
   * Returns the server type configured by system property or environment variable, if any.
   *
   * @return the configured type, or empty when neither is set
   * @throws IllegalArgumentException if the configured value is not a known type
   */
  public static Optional<ServerType> configured() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.isBlank()) {
      value = System.getenv(ENV);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
  }

  /**
   * Returns the server type to use: the {@linkplain #configured() configured} one, else {@link
   * #DOCKER} if Testcontainers is on the class path and a Docker daemon answers within a few
   * seconds, else {@link #EMBEDDED}. The Docker check runs once per JVM.
   *
   * @return the selected type
   */
  public static ServerType selected() {
    return configured().orElseGet(() -> ServerSelection.dockerAvailable() ? DOCKER : EMBEDDED);
  }
}
