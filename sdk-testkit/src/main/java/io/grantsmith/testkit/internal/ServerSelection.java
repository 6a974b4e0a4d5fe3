package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Docker check and the reflective start of a Docker server (Testcontainers is optional). */
public final class ServerSelection {
  private static final Logger LOG = LoggerFactory.getLogger(ServerSelection.class);
  private static final String DOCKER_CLIENT_FACTORY = "org.testcontainers.DockerClientFactory";
  private static final String CONTAINER_SERVER = "io.grantsmith.testkit.internal.ContainerServer";
  private static volatile Boolean dockerAvailable;

  private ServerSelection() {}

  /** Whether a Docker daemon answers; checked once per JVM, never waits more than ~10 s. */
  public static boolean dockerAvailable() {
    Boolean result = dockerAvailable;
    if (result == null) {
      synchronized (ServerSelection.class) {
        result = dockerAvailable;
        if (result == null) {
          result = probeDocker();
          dockerAvailable = result;
        }
      }
    }
    return result;
  }

  private static boolean probeDocker() {
    if (!testcontainersPresent()) {
      LOG.debug("Testcontainers is not on the class path: using the embedded server");
      return false;
    }
    if (!dockerHinted(
        System.getenv("DOCKER_HOST"),
        System.getenv("TESTCONTAINERS_DOCKER_SOCKET_OVERRIDE"),
        candidateSockets())) {
      LOG.debug("No DOCKER_HOST and no Docker socket found: using the embedded server");
      return false;
    }
    CompletableFuture<Boolean> probe =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Class<?> factory = Class.forName(DOCKER_CLIENT_FACTORY);
                Object instance = factory.getMethod("instance").invoke(null);
                return (Boolean) factory.getMethod("isDockerAvailable").invoke(instance);
              } catch (ReflectiveOperationException | LinkageError e) {
                return false;
              }
            });
    try {
      return probe.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.info("Docker did not answer within 10 s: using the embedded server");
      probe.cancel(true);
      return false;
    }
  }

  static boolean testcontainersPresent() {
    try {
      Class.forName(DOCKER_CLIENT_FACTORY, false, ServerSelection.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Cheap pre-check so that a machine without Docker never pays for Testcontainers' probing. */
  static boolean dockerHinted(String dockerHost, String socketOverride, List<Path> sockets) {
    if (dockerHost != null && !dockerHost.isBlank()) {
      return true;
    }
    if (socketOverride != null && !socketOverride.isBlank()) {
      return true;
    }
    if (Files.exists(Paths.get(System.getProperty("user.home"), ".testcontainers.properties"))) {
      return true;
    }
    return sockets.stream().anyMatch(Files::exists);
  }

  private static List<Path> candidateSockets() {
    String home = System.getProperty("user.home");
    List<Path> sockets =
        new ArrayList<>(
            List.of(
                Paths.get("/var/run/docker.sock"),
                Paths.get(home, ".docker", "run", "docker.sock"),
                Paths.get(home, ".docker", "desktop", "docker.sock"),
                Paths.get(home, ".rd", "docker.sock"),
                Paths.get(home, ".colima", "default", "docker.sock")));
    String runtime = System.getenv("XDG_RUNTIME_DIR");
    if (runtime != null) {
      sockets.add(Paths.get(runtime, "docker.sock"));
      sockets.add(Paths.get(runtime, "podman", "podman.sock"));
    }
    if (System.getProperty("os.name", "").toLowerCase().startsWith("windows")) {
      sockets.add(Paths.get("\\\\.\\pipe\\docker_engine"));
    }
    return sockets;
  }

  /** Starts a Docker server through Testcontainers, loaded reflectively. */
  public static AzurePostgres startDocker(PostgresVersion version) {
    if (!testcontainersPresent()) {
      throw new IllegalStateException(
          "The Docker server needs org.testcontainers:testcontainers-postgresql "
              + "on the class path (the testkit declares it optional)");
    }
    try {
      return (AzurePostgres)
          Class.forName(CONTAINER_SERVER)
              .getMethod("start", PostgresVersion.class)
              .invoke(null, version);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new IllegalStateException("Cannot start a Docker " + version, cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot start a Docker " + version, e);
    }
  }
}
