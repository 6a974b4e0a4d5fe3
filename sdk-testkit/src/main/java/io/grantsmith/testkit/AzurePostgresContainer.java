package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.AbstractServer;
import io.grantsmith.testkit.internal.AzureEmulation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Testcontainers PostgreSQL shaped like Azure Database for PostgreSQL, with the same emulation as
 * the embedded server: the official {@code postgres} image of the chosen version (from {@link
 * PostgresVersion}), SCRAM passwords required on TCP, and an init script that creates the managed
 * roles and databases and the admin {@value AzurePostgres#ADMIN_USER}.
 *
 * <pre>{@code
 * try (AzurePostgresContainer pg = new AzurePostgresContainer(17).withAdminPassword("S3cret-pw")) {
 *     pg.start();
 *     AzurePostgres server = pg.server();
 * }
 * }</pre>
 *
 * <p>Needs {@code org.testcontainers:testcontainers-postgresql} on the class path (an optional
 * dependency of the testkit) and Docker. This class extends Testcontainers' non-generic {@link
 * PostgreSQLContainer}; the testkit's own {@code withX} methods and the overridden {@code
 * withDatabaseName}, {@code withUsername}, {@code withPassword} and {@code withEnv} return this
 * type.
 */
public class AzurePostgresContainer extends PostgreSQLContainer {
  /** Where the emulation script is copied in the container. */
  public static final String INIT_SCRIPT_PATH =
      "/docker-entrypoint-initdb.d/00-grantsmith-azure.sql";

  private final PostgresVersion version;
  private String adminPassword = AbstractServer.randomPassword();
  private String copiedInitScript;

  /** Creates a container of the default version (17). */
  public AzurePostgresContainer() {
    this(PostgresVersion.DEFAULT);
  }

  /**
   * Creates a container of the given major version.
   *
   * @param major a major version, 13 to 18
   * @throws IllegalArgumentException if the version is not supported
   */
  public AzurePostgresContainer(int major) {
    this(PostgresVersion.of(major));
  }

  /**
   * Creates a container of the given version.
   *
   * @param version the version
   */
  public AzurePostgresContainer(PostgresVersion version) {
    super(DockerImageName.parse(version.dockerImage()).asCompatibleSubstituteFor("postgres"));
    this.version = version;
    setCommand(command().toArray(new String[0]));
    addEnv("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256");
    addEnv("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=trust");
  }

  /**
   * Returns the server command line: {@code postgres} with the emulation's settings.
   *
   * @return the command parts
   */
  public static List<String> command() {
    List<String> command = new ArrayList<>(List.of("postgres"));
    for (Map.Entry<String, String> setting : AzureEmulation.serverSettings().entrySet()) {
      command.add("-c");
      command.add(setting.getKey() + "=" + setting.getValue());
    }
    return List.copyOf(command);
  }

  /**
   * Sets the password of the admin {@value AzurePostgres#ADMIN_USER} (default: random).
   *
   * @param password the password
   * @return this container
   */
  public AzurePostgresContainer withAdminPassword(String password) {
    this.adminPassword = Objects.requireNonNull(password, "password");
    return this;
  }

  /**
   * Returns the PostgreSQL version this container runs.
   *
   * @return the version
   */
  public PostgresVersion getPostgresVersion() {
    return version;
  }

  /**
   * Returns the admin's login name.
   *
   * @return {@value AzurePostgres#ADMIN_USER}
   */
  public String getAdminUser() {
    return AzureEmulation.ADMIN_USER;
  }

  /**
   * Returns the admin's password.
   *
   * @return the password
   */
  public String getAdminPassword() {
    return adminPassword;
  }

  /**
   * Returns the psql script the container runs once at first start to emulate Azure.
   *
   * @return the script
   */
  public String getEmulationScript() {
    return AzureEmulation.psqlScript(version.major(), adminPassword, getDatabaseName());
  }

  /**
   * Returns the running container as an {@link AzurePostgres}, which does not own it: closing that
   * does nothing, stop the container instead.
   *
   * @return the server view of this container
   * @throws IllegalStateException if the container is not running
   */
  public AzurePostgres server() {
    if (!isRunning()) {
      throw new IllegalStateException("The container is not running; call start() first");
    }
    return io.grantsmith.testkit.internal.ContainerServer.view(this);
  }

  @Override
  protected void configure() {
    super.configure();
    String script = getEmulationScript();
    withCopyToContainer(Transferable.of(script), INIT_SCRIPT_PATH);
    copiedInitScript = script;
  }

  /** The script {@link #configure()} copied into the container, for tests; null before. */
  String copiedInitScript() {
    return copiedInitScript;
  }

  @Override
  public AzurePostgresContainer withDatabaseName(String databaseName) {
    super.withDatabaseName(databaseName);
    return this;
  }

  @Override
  public AzurePostgresContainer withUsername(String username) {
    super.withUsername(username);
    return this;
  }

  @Override
  public AzurePostgresContainer withPassword(String password) {
    super.withPassword(password);
    return this;
  }

  @Override
  public AzurePostgresContainer withEnv(String key, String value) {
    super.withEnv(key, value);
    return this;
  }
}
