package io.grantsmith.testkit.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code psql} client for tests that run printed SQL scripts the way an admin would.
 * There is no fallback: a test that needs psql fails, naming the tool and the package that provides
 * it, when psql is not installed ({@code .ci/run} installs it).
 */
public final class Psql {
  /** What the failure says when psql is missing. */
  static final String MISSING =
      "psql (the PostgreSQL client) is required by this test and was"
          + " not found on PATH; install it (Debian/Ubuntu package postgresql-client:"
          + " apt-get install postgresql-client; .ci/run does this when psql is missing)";

  private Psql() {}

  /**
   * The psql executable on this machine's {@code PATH}.
   *
   * @return the path of psql
   * @throws IllegalStateException naming psql and the {@code postgresql-client} package if psql is
   *     not on {@code PATH}
   */
  public static Path executable() {
    return find(System.getenv("PATH"));
  }

  /**
   * The first executable file named {@code psql} in the directories of {@code path}.
   *
   * @param path a list of directories separated by {@link File#pathSeparator}, may be null
   * @return the path of psql
   * @throws IllegalStateException naming psql and the {@code postgresql-client} package if there is
   *     none
   */
  static Path find(String path) {
    String name = System.getProperty("os.name", "").startsWith("Windows") ? "psql.exe" : "psql";
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(MISSING);
  }
}
