package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgresContainer;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.ServerType;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/** An {@link AzurePostgresContainer} seen as an AzurePostgres. Loaded only when Docker is used. */
public final class ContainerServer extends AbstractServer {
  private final AzurePostgresContainer container;
  private final boolean owned;

  private ContainerServer(AzurePostgresContainer container, boolean owned) {
    this.container = container;
    this.owned = owned;
  }

  /** Starts a container of this version; the server owns it. */
  public static ContainerServer start(PostgresVersion version) {
    AzurePostgresContainer container = new AzurePostgresContainer(version);
    try {
      container.start();
    } catch (RuntimeException e) {
      container.close();
      throw new IllegalStateException(
          "Cannot start a Docker " + version + " (" + version.dockerImage() + ")", e);
    }
    return new ContainerServer(container, true);
  }

  /** A view of a container started by the caller; closing it does nothing. */
  public static ContainerServer view(AzurePostgresContainer container) {
    return new ContainerServer(container, false);
  }

  @Override
  public int majorVersion() {
    return container.getPostgresVersion().major();
  }

  @Override
  public ServerType type() {
    return ServerType.DOCKER;
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(5432);
  }

  @Override
  public String adminUser() {
    return container.getAdminUser();
  }

  @Override
  public String adminPassword() {
    return container.getAdminPassword();
  }

  @Override
  public Connection superuserConnection(String database) throws SQLException {
    return connect(database, container.getUsername(), container.getPassword());
  }

  @Override
  protected Map<String, String> urlParameters() {
    return Map.of("sslmode", "disable");
  }

  @Override
  protected void shutdown() {
    if (owned) {
      container.stop();
    }
  }
}
