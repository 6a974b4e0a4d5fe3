package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.PostgresVersion;
import io.grantsmith.testkit.ServerType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One server per JVM, type and version, started lazily and stopped at JVM exit. */
public final class SharedServers {
  private static final Map<String, Holder> SERVERS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SharedServers::closeAll, "grantsmith-testkit-shutdown"));
  }

  private SharedServers() {}

  private static final class Holder {
    private AbstractServer server;

    synchronized AbstractServer get(ServerType type, PostgresVersion version) {
      if (server == null) {
        AzurePostgres started = AzurePostgres.start(type, version.major());
        server = (AbstractServer) started;
        server.markShared();
      }
      return server;
    }

    synchronized void close() {
      if (server != null) {
        server.closeForReal();
      }
    }
  }

  /** The shared server of this type and version. */
  public static AzurePostgres get(ServerType type, PostgresVersion version) {
    String key = type == ServerType.EXTERNAL ? "external" : type + "-" + version.major();
    return SERVERS.computeIfAbsent(key, k -> new Holder()).get(type, version);
  }

  private static void closeAll() {
    SERVERS.values().parallelStream().forEach(Holder::close);
  }
}
