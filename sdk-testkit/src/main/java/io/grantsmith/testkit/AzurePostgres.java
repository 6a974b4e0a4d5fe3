package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.EmbeddedServer;
import io.grantsmith.testkit.internal.ExternalServer;
import io.grantsmith.testkit.internal.ServerSelection;
import io.grantsmith.testkit.internal.SharedServers;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A running PostgreSQL shaped like Azure Database for PostgreSQL Flexible Server: an admin role
 * ({@value #ADMIN_USER}) that is not a superuser but holds {@code azure_pg_admin}, the managed
 * roles and databases, SCRAM passwords checked on every TCP login.
 *
 * <p>Tests normally take the {@linkplain #shared(int) shared} server of a version and a fresh
 * database from it:
 *
 * <pre>{@code
 * AzurePostgres server = AzurePostgres.shared(17);
 * String db = server.createDatabase();
 * try (Connection admin = server.adminConnection(db)) {
 *     admin.createStatement().execute("CREATE TABLE t (id int)");
 * }
 * }</pre>
 *
 * <p>Servers made by {@link #embedded(int)}, {@link #docker(int)} and {@link #external()} belong to
 * the caller, who must {@link #close()} them; closing a shared server does nothing.
 */
public interface AzurePostgres extends AutoCloseable {

  /** Name of the Azure-style server admin on embedded and Docker servers. */
  String ADMIN_USER = "serveradmin";

  /**
   * Returns the server's major version, as reported by the server.
   *
   * @return the major version, such as {@code 17}
   */
  int majorVersion();

  /**
   * Returns how this server is provided.
   *
   * @return the server type
   */
  ServerType type();

  /**
   * Returns the host name clients connect to.
   *
   * @return the host name
   */
  String host();

  /**
   * Returns the TCP port clients connect to.
   *
   * @return the port
   */
  int port();

  /**
   * Returns a JDBC URL for a database on this server, without user or password. Any name is
   * accepted; it is percent-encoded in the URL.
   *
   * @param database the database name
   * @return a {@code jdbc:postgresql://} URL
   */
  String jdbcUrl(String database);

  /**
   * Returns the Azure-style server admin's login name ({@value #ADMIN_USER} unless the server is
   * external).
   *
   * @return the admin's role name
   */
  String adminUser();

  /**
   * Returns the server admin's password, for building data sources in tests.
   *
   * @return the admin's password
   */
  String adminPassword();

  /**
   * Opens a connection as the Azure-style server admin (not a superuser).
   *
   * @param database the database to connect to
   * @return a new connection in auto-commit mode, owned by the caller
   * @throws SQLException if the login fails
   */
  Connection adminConnection(String database) throws SQLException;

  /**
   * Opens a connection as a real superuser, for ground-truth checks and setup that Azure itself
   * would do. Tests of access code should use the {@linkplain #adminConnection admin}.
   *
   * @param database the database to connect to
   * @return a new connection in auto-commit mode, owned by the caller
   * @throws SQLException if the login fails
   * @throws UnsupportedOperationException on an external server, where no superuser is known
   */
  Connection superuserConnection(String database) throws SQLException;

  /**
   * Logs in over TCP as any role with the given password.
   *
   * @param database the database to connect to
   * @param user the role name
   * @param password the password to present
   * @return a new connection in auto-commit mode, owned by the caller
   * @throws SQLException if the login fails (for a wrong password, SQLSTATE {@code 28P01})
   */
  Connection connect(String database, String user, String password) throws SQLException;

  /**
   * Creates a fresh database with a unique name, as the admin (who becomes its owner; its {@code
   * public} schema is owned by {@code azure_pg_admin}, as on Azure).
   *
   * @return the new database's name
   * @throws IllegalStateException if the database cannot be created
   */
  String createDatabase();

  /**
   * Creates a database with the given name as the admin. Any valid identifier is accepted; it is
   * quoted.
   *
   * @param name the database name
   * @throws IllegalStateException if the database cannot be created
   */
  void createDatabase(String name);

  /**
   * Returns the certificate the server presents over TLS, if it was started with one by the testkit
   * (see {@link #embeddedWithTls(int)}).
   *
   * @return the certificate files, or empty (the default)
   */
  default Optional<TestCertificates> tlsCertificates() {
    return Optional.empty();
  }

  /** Stops the server (or, for a shared server, does nothing: shared servers stop at JVM exit). */
  @Override
  void close();

  /**
   * Starts a new embedded server of the given major version, owned by the caller. The binaries come
   * from the local Maven repository or, failing that, Maven Central.
   *
   * @param major a major version, 13 to 18
   * @return the started server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the server cannot be started
   */
  static AzurePostgres embedded(int major) {
    return EmbeddedServer.start(PostgresVersion.of(major));
  }

  /**
   * Starts a new embedded server of the given major version with TLS on, presenting a {@linkplain
   * TestCertificates#localhost() self-signed certificate for localhost}; owned by the caller.
   * Clients may connect with or without TLS ({@code sslmode=require} and {@code verify-full} with
   * {@code sslrootcert} set to {@link TestCertificates#rootCertificate()} both work).
   *
   * @param major a major version, 13 to 18
   * @return the started server; {@link #tlsCertificates()} gives its certificate
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the certificate or the server cannot be made
   */
  static AzurePostgres embeddedWithTls(int major) {
    return embeddedWithTls(major, TestCertificates.localhost());
  }

  /**
   * Starts a new embedded server of the given major version with TLS on, presenting the given
   * certificate (e.g. one for another host name, to test {@code verify-full}); owned by the caller.
   *
   * @param major a major version, 13 to 18
   * @param certificates the certificate and key the server presents
   * @return the started server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the server cannot be started
   */
  static AzurePostgres embeddedWithTls(int major, TestCertificates certificates) {
    return EmbeddedServer.start(
        PostgresVersion.of(major), java.util.Objects.requireNonNull(certificates, "certificates"));
  }

  /**
   * Starts a new Testcontainers server of the given major version, owned by the caller. Needs
   * Testcontainers on the class path and a Docker daemon.
   *
   * @param major a major version, 13 to 18
   * @return the started server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if Testcontainers is missing or the container cannot start
   */
  static AzurePostgres docker(int major) {
    return ServerSelection.startDocker(PostgresVersion.of(major));
  }

  /**
   * Connects to an existing server named by the environment variables {@code
   * GRANTSMITH_PG_JDBC_URL}, {@code GRANTSMITH_PG_ADMIN_USER} and {@code
   * GRANTSMITH_PG_ADMIN_PASSWORD}. The server is used as it is: the testkit does not emulate
   * anything on it.
   *
   * @return the external server
   * @throws IllegalStateException if a variable is missing or the admin cannot log in
   */
  static AzurePostgres external() {
    return ExternalServer.fromEnvironment();
  }

  /**
   * Connects to an existing server as the given admin.
   *
   * @param jdbcUrl a {@code jdbc:postgresql://host:port/database} URL, with optional parameters
   *     such as {@code sslmode=require}
   * @param adminUser the server admin's login name
   * @param adminPassword the server admin's password
   * @return the external server
   * @throws IllegalStateException if the admin cannot log in
   */
  static AzurePostgres external(String jdbcUrl, String adminUser, String adminPassword) {
    return ExternalServer.open(jdbcUrl, adminUser, adminPassword);
  }

  /**
   * Starts a new server of the given type and major version, owned by the caller. For {@link
   * ServerType#EXTERNAL} the major version is not checked.
   *
   * @param type how to provide the server
   * @param major a major version, 13 to 18
   * @return the server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the server cannot be provided
   */
  static AzurePostgres start(ServerType type, int major) {
    switch (type) {
      case EMBEDDED:
        return embedded(major);
      case DOCKER:
        return docker(major);
      default:
        return external();
    }
  }

  /**
   * Returns this JVM's shared server of the given major version, starting it on first use with the
   * {@linkplain ServerType#selected() selected} server type. It stays up until the JVM exits. With
   * an external server, that one server is returned whatever the version.
   *
   * @param major a major version, 13 to 18
   * @return the shared server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the server cannot be provided
   */
  static AzurePostgres shared(int major) {
    return SharedServers.get(ServerType.selected(), PostgresVersion.of(major));
  }

  /**
   * Returns this JVM's shared server of the given type and major version, starting it on first use.
   * It stays up until the JVM exits.
   *
   * @param type how to provide the server
   * @param major a major version, 13 to 18
   * @return the shared server
   * @throws IllegalArgumentException if the version is not supported
   * @throws IllegalStateException if the server cannot be provided
   */
  static AzurePostgres shared(ServerType type, int major) {
    return SharedServers.get(type, PostgresVersion.of(major));
  }
}
