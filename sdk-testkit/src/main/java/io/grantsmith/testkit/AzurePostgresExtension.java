package io.grantsmith.testkit;

import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link AzurePostgresTest}: provides one invocation per configured
 * PostgreSQL version and injects {@link AzurePostgres}, {@link TestDatabase} and {@link Connection}
 * parameters.
 *
 * <p>It can also be registered on a class with {@code @ExtendWith(AzurePostgresExtension.class)} to
 * inject the same parameters into plain {@code @Test} methods, which then run once, on the first
 * configured version.
 */
public class AzurePostgresExtension
    implements TestTemplateInvocationContextProvider, ParameterResolver, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AzurePostgresExtension.class);

  /** Creates the extension; JUnit calls this. */
  public AzurePostgresExtension() {}

  @Override
  public boolean supportsTestTemplate(ExtensionContext context) {
    return context
        .getTestMethod()
        .map(m -> AnnotationSupport.isAnnotated(m, AzurePostgresTest.class))
        .orElse(false);
  }

  @Override
  public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
      ExtensionContext context) {
    Method method = context.getRequiredTestMethod();
    int[] requested =
        AnnotationSupport.findAnnotation(method, AzurePostgresTest.class)
            .map(AzurePostgresTest::versions)
            .orElse(new int[0]);
    return versions(requested).stream().map(Invocation::new);
  }

  /**
   * The versions to run on: the requested ones, else the configured ones. With an external server
   * selected, only the external server's version.
   */
  static List<PostgresVersion> versions(int[] requested) {
    if (ServerType.configured().orElse(null) == ServerType.EXTERNAL) {
      return List.of(
          PostgresVersion.of(
              AzurePostgres.shared(ServerType.EXTERNAL, PostgresVersion.DEFAULT.major())
                  .majorVersion()));
    }
    if (requested.length > 0) {
      List<PostgresVersion> list = new ArrayList<>();
      Arrays.stream(requested).mapToObj(PostgresVersion::of).distinct().forEach(list::add);
      return List.copyOf(list);
    }
    return PostgresVersion.configured();
  }

  @Override
  public boolean supportsParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    if (supportsTestTemplate(extensionContext)) {
      return false; // inside an @AzurePostgresTest invocation its version's resolver answers
    }
    return supportedType(parameterContext.getParameter().getType());
  }

  @Override
  public Object resolveParameter(
      ParameterContext parameterContext, ExtensionContext extensionContext) {
    return resolve(PostgresVersion.configured().get(0), parameterContext, extensionContext);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closeConnections(context);
  }

  private static boolean supportedType(Class<?> type) {
    return type == AzurePostgres.class || type == TestDatabase.class || type == Connection.class;
  }

  private static Object resolve(
      PostgresVersion version, ParameterContext parameterContext, ExtensionContext context) {
    Class<?> type = parameterContext.getParameter().getType();
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    AzurePostgres server =
        store.getOrComputeIfAbsent(
            "server", k -> AzurePostgres.shared(version.major()), AzurePostgres.class);
    if (type == AzurePostgres.class) {
      return server;
    }
    TestDatabase database =
        store.getOrComputeIfAbsent(
            "database", k -> TestDatabase.create(server), TestDatabase.class);
    if (type == TestDatabase.class) {
      return database;
    }
    try {
      Connection connection = database.adminConnection();
      connections(store).add(connection);
      return connection;
    } catch (SQLException e) {
      throw new ParameterResolutionException(
          "Cannot open an admin connection to " + database.name() + ": SQLSTATE " + e.getSQLState(),
          e);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Connection> connections(ExtensionContext.Store store) {
    return store.getOrComputeIfAbsent("connections", k -> new ArrayList<Connection>(), List.class);
  }

  private static void closeConnections(ExtensionContext context) {
    ExtensionContext.Store store = context.getStore(NAMESPACE);
    List<Connection> connections = connections(store);
    for (Connection c : connections) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing after the test; nothing useful to do
      }
    }
    connections.clear();
  }

  /** One invocation of a test template, bound to a version. */
  private static final class Invocation implements TestTemplateInvocationContext {
    private final PostgresVersion version;

    Invocation(PostgresVersion version) {
      this.version = version;
    }

    @Override
    public String getDisplayName(int invocationIndex) {
      return "[" + version + "]";
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
      return List.of(new VersionResolver(version));
    }
  }

  /** Resolves parameters of one invocation for its version. */
  private static final class VersionResolver implements ParameterResolver {
    private final PostgresVersion version;

    VersionResolver(PostgresVersion version) {
      this.version = version;
    }

    @Override
    public boolean supportsParameter(
        ParameterContext parameterContext, ExtensionContext extensionContext) {
      return supportedType(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(
        ParameterContext parameterContext, ExtensionContext extensionContext) {
      return resolve(version, parameterContext, extensionContext);
    }
  }
}
