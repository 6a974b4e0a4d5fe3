package io.grantsmith.testkit.internal;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.EntraDirectory;
import io.grantsmith.testkit.EntraTokenSource;
import io.grantsmith.testkit.ServerType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The Entra directory of a real Azure server: principals that exist in the tenant, named by
 * environment variables, Azure's own {@code pgaadauth_*} functions run as the connector (an Entra
 * administrator), and tokens from the configured token or the test's {@link EntraTokenSource}.
 */
public final class AzureEntraDirectory implements EntraDirectory {
  /** Environment variable: the tenant id, a UUID. */
  public static final String ENV_TENANT_ID = "GRANTSMITH_ENTRA_TENANT_ID";

  /** Environment variable: the token scope (optional; default the public cloud's). */
  public static final String ENV_SCOPE = "GRANTSMITH_ENTRA_SCOPE";

  /** The database Azure's {@code pgaadauth} functions live in. */
  static final String DATABASE = "postgres";

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The principals a test uses, each configured by variables {@code GRANTSMITH_ENTRA_<SLOT>_*}. */
  public enum Slot {
    /** The connector: a service principal that is an Entra administrator of the server. */
    CONNECTOR(EntraPrincipal.Type.SERVICE),
    /** A user, who logs in with a token obtained beforehand. */
    USER(EntraPrincipal.Type.USER),
    /** A group; its token is one of a member's. */
    GROUP(EntraPrincipal.Type.GROUP),
    /** A service principal (an application). */
    SERVICE(EntraPrincipal.Type.SERVICE);

    private final EntraPrincipal.Type type;

    Slot(EntraPrincipal.Type type) {
      this.type = type;
    }

    /**
     * The principal type of this slot.
     *
     * @return the type
     */
    public EntraPrincipal.Type type() {
      return type;
    }

    /**
     * The name of one of this slot's variables.
     *
     * @param suffix {@code NAME}, {@code OBJECT_ID}, {@code CLIENT_ID}, {@code CLIENT_SECRET} or
     *     {@code TOKEN}
     * @return e.g. {@code GRANTSMITH_ENTRA_USER_NAME}
     */
    public String variable(String suffix) {
      return "GRANTSMITH_ENTRA_" + name() + "_" + suffix;
    }
  }

  /** How a principal gets its token. */
  public sealed interface Login {
    /**
     * A service principal's client id and secret, for the token source.
     *
     * @param clientId the client id
     * @param secret the client secret
     */
    record ClientSecret(String clientId, String secret) implements Login {
      @Override
      public String toString() {
        return "ClientSecret[clientId=" + clientId + ", secret=***]";
      }
    }

    /**
     * A token obtained beforehand (e.g. with {@code az account get-access-token}).
     *
     * @param token the token
     */
    record Token(String token) implements Login {
      @Override
      public String toString() {
        return "Token[***]";
      }
    }
  }

  /**
   * A configured principal and how it logs in.
   *
   * @param principal the principal
   * @param login how it gets a token
   */
  public record Configured(EntraPrincipal principal, Login login) {}

  /**
   * The configuration read from the environment.
   *
   * @param tenantId the tenant id
   * @param scope the token scope
   * @param principals one per slot
   */
  public record Config(String tenantId, String scope, Map<Slot, Configured> principals) {
    /** Copies the map. */
    public Config {
      principals = Map.copyOf(principals);
    }

    /**
     * Reads the variables.
     *
     * @param env the environment
     * @return the configuration
     * @throws IllegalStateException naming every missing and every invalid variable (never a
     *     secret's value)
     */
    public static Config parse(Map<String, String> env) {
      List<String> missing = new ArrayList<>();
      List<String> invalid = new ArrayList<>();
      String tenantId = value(env, ENV_TENANT_ID);
      if (tenantId == null) {
        missing.add(ENV_TENANT_ID);
      } else if (!UUID.matcher(tenantId).matches()) {
        invalid.add(ENV_TENANT_ID + " must be a UUID, not '" + tenantId + "'");
      }
      String scope = Objects.requireNonNullElse(value(env, ENV_SCOPE), EntraPrincipal.TOKEN_SCOPE);
      Map<Slot, Configured> principals = new EnumMap<>(Slot.class);
      for (Slot slot : Slot.values()) {
        EntraPrincipal principal = principal(env, slot, missing, invalid);
        Login login = login(env, slot, missing, invalid);
        if (principal != null && login != null) {
          principals.put(slot, new Configured(principal, login));
        }
      }
      if (!missing.isEmpty() || !invalid.isEmpty()) {
        StringBuilder message =
            new StringBuilder("Microsoft Entra on the external server is not configured:");
        if (!missing.isEmpty()) {
          message.append(" missing environment variables ").append(String.join(", ", missing));
          message.append(invalid.isEmpty() ? "" : ";");
        }
        if (!invalid.isEmpty()) {
          message.append(" invalid: ").append(String.join("; ", invalid));
        }
        throw new IllegalStateException(
            message.append(" (see the README, \"Entra on a real server\")").toString());
      }
      return new Config(tenantId, scope, principals);
    }

    private static EntraPrincipal principal(
        Map<String, String> env, Slot slot, List<String> missing, List<String> invalid) {
      String name = value(env, slot.variable("NAME"));
      String objectId = value(env, slot.variable("OBJECT_ID"));
      if (name == null) {
        missing.add(slot.variable("NAME"));
      }
      if (objectId == null) {
        missing.add(slot.variable("OBJECT_ID"));
      } else if (!UUID.matcher(objectId).matches()) {
        invalid.add(slot.variable("OBJECT_ID") + " must be a UUID, not '" + objectId + "'");
        return null;
      }
      if (name == null || objectId == null) {
        return null;
      }
      try {
        return EntraPrincipal.of(slot.type(), name, objectId.toLowerCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        invalid.add(slot.variable("NAME") + ": " + e.getMessage());
        return null;
      }
    }

    private static Login login(
        Map<String, String> env, Slot slot, List<String> missing, List<String> invalid) {
      String token = value(env, slot.variable("TOKEN"));
      String clientId = value(env, slot.variable("CLIENT_ID"));
      String secret = value(env, slot.variable("CLIENT_SECRET"));
      boolean client = clientId != null || secret != null;
      if (token != null && client) {
        invalid.add(
            "set either "
                + slot.variable("TOKEN")
                + " or "
                + slot.variable("CLIENT_ID")
                + " and "
                + slot.variable("CLIENT_SECRET")
                + ", not both");
        return null;
      }
      if (token != null) {
        return new Login.Token(token);
      }
      if (slot == Slot.USER) {
        if (client) {
          invalid.add(
              "a user has no client secret: set "
                  + slot.variable("TOKEN")
                  + " instead of "
                  + slot.variable("CLIENT_ID")
                  + " and "
                  + slot.variable("CLIENT_SECRET"));
        } else {
          missing.add(slot.variable("TOKEN"));
        }
        return null;
      }
      if (!client) {
        missing.add(
            slot.variable("CLIENT_ID")
                + " and "
                + slot.variable("CLIENT_SECRET")
                + " (or "
                + slot.variable("TOKEN")
                + ")");
        return null;
      }
      if (clientId == null) {
        missing.add(slot.variable("CLIENT_ID"));
      } else if (!UUID.matcher(clientId).matches()) {
        invalid.add(slot.variable("CLIENT_ID") + " must be a UUID, not '" + clientId + "'");
        return null;
      }
      if (secret == null) {
        missing.add(slot.variable("CLIENT_SECRET"));
      }
      return clientId == null || secret == null ? null : new Login.ClientSecret(clientId, secret);
    }

    private static String value(Map<String, String> env, String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? null : value.trim();
    }
  }

  private final AzurePostgres server;
  private final Config config;
  private final EntraTokenSource tokens;

  AzureEntraDirectory(AzurePostgres server, Config config, EntraTokenSource tokens) {
    this.server = Objects.requireNonNull(server, "server");
    this.config = Objects.requireNonNull(config, "config");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
  }

  /**
   * The directory for a server: {@code emulation} on an embedded or Docker server, else the tenant
   * configured by {@code env}. Contacts nothing.
   *
   * @param server the server
   * @param env the environment variables
   * @param tokens the token source for service principals
   * @param emulation installs the emulation on a server
   * @return the directory
   * @throws IllegalStateException on an external server whose configuration is incomplete
   */
  public static EntraDirectory choose(
      AzurePostgres server,
      Map<String, String> env,
      EntraTokenSource tokens,
      Function<AzurePostgres, ? extends EntraDirectory> emulation) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(tokens, "tokens");
    if (server.type() != ServerType.EXTERNAL) {
      return emulation.apply(server);
    }
    return new AzureEntraDirectory(server, Config.parse(env), tokens);
  }

  /**
   * The configuration in use.
   *
   * @return the configuration
   */
  public Config config() {
    return config;
  }

  @Override
  public AzurePostgres server() {
    return server;
  }

  @Override
  public boolean emulated() {
    return false;
  }

  @Override
  public EntraPrincipal administrator(String roleName) {
    EntraPrincipal connector = configured(Slot.CONNECTOR).principal();
    String sql =
        "SELECT principaltype::text, objectid::text FROM pg_catalog.pgaadauth_list_principals(true)"
            + " WHERE rolname::text = ?";
    try (Connection c = asConnector();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, connector.roleName());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException(
              Slot.CONNECTOR.variable("NAME")
                  + " names "
                  + connector.roleName()
                  + ", which is not a Microsoft Entra administrator of "
                  + server.host()
                  + " (pgaadauth_list_principals(true) does not list it): add it as one in the"
                  + " portal or with az postgres flexible-server microsoft-entra-admin create");
        }
        if (!connector.objectId().equalsIgnoreCase(rs.getString(2))) {
          throw new IllegalStateException(
              Slot.CONNECTOR.variable("OBJECT_ID")
                  + " is "
                  + connector.objectId()
                  + " but the server maps the administrator "
                  + connector.roleName()
                  + " to "
                  + rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw failure("read the Entra administrators", e);
    }
    return connector;
  }

  @Override
  public EntraPrincipal principal(EntraPrincipal.Type type, String roleName) {
    Objects.requireNonNull(type, "type");
    Slot slot =
        switch (type) {
          case USER -> Slot.USER;
          case GROUP -> Slot.GROUP;
          case SERVICE -> Slot.SERVICE;
        };
    return configured(slot).principal();
  }

  @Override
  public void ensureRole(EntraPrincipal principal) {
    Optional<EntraPrincipal> mapped = mapping(principal.roleName());
    if (mapped.isPresent()) {
      checkSameMapping(principal, mapped.get());
      return;
    }
    try (Connection c = asConnector();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_catalog.pgaadauth_create_principal_with_oid(?, ?, ?, false, false)")) {
      ps.setString(1, principal.roleName());
      ps.setString(2, principal.objectId());
      ps.setString(3, principal.type().label());
      ps.execute();
    } catch (SQLException e) {
      throw failure("create the role of " + principal.roleName(), e);
    }
  }

  /**
   * Refuses a role mapped to another principal than the one wanted.
   *
   * @param wanted the principal a test wants
   * @param mapped what the server maps its role name to
   * @throws IllegalStateException if type or object id differ
   */
  public static void checkSameMapping(EntraPrincipal wanted, EntraPrincipal mapped) {
    if (mapped.type() != wanted.type() || !mapped.objectId().equalsIgnoreCase(wanted.objectId())) {
      throw new IllegalStateException(
          "The role "
              + wanted.roleName()
              + " exists, mapped to the "
              + mapped.type().label()
              + " "
              + mapped.objectId()
              + ", not to the "
              + wanted.type().label()
              + " "
              + wanted.objectId());
    }
  }

  @Override
  public void dropRole(EntraPrincipal principal) {
    try (Connection c = asConnector();
        Statement st = c.createStatement()) {
      st.execute("DROP ROLE IF EXISTS " + Identifiers.quote(principal.roleName()));
    } catch (SQLException e) {
      throw failure("drop the role " + principal.roleName(), e);
    }
  }

  @Override
  public String token(EntraPrincipal principal) {
    Configured configured =
        config.principals().values().stream()
            .filter(p -> p.principal().equals(principal))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "No GRANTSMITH_ENTRA_* variables configure the "
                            + principal.type().label()
                            + " "
                            + principal.roleName()
                            + ", so no token can be obtained for it"));
    if (configured.login() instanceof Login.Token t) {
      return t.token();
    }
    Login.ClientSecret client = (Login.ClientSecret) configured.login();
    String token =
        tokens.token(config.tenantId(), client.clientId(), client.secret(), config.scope());
    if (token == null || token.isEmpty()) {
      throw new IllegalStateException(
          "The token source returned no token for client id " + client.clientId());
    }
    return token;
  }

  @Override
  public Optional<EntraPrincipal> mapping(String roleName) {
    String sql =
        "SELECT principaltype::text, objectid::text FROM"
            + " pg_catalog.pgaadauth_list_principals(false) WHERE rolname::text = ?";
    try (Connection c = asConnector();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, roleName);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            EntraPrincipal.of(
                EntraPrincipal.Type.parse(rs.getString(1)),
                roleName,
                rs.getString(2).toLowerCase(Locale.ROOT)));
      }
    } catch (SQLException e) {
      throw failure("read the Entra principals", e);
    }
  }

  private Configured configured(Slot slot) {
    return config.principals().get(slot);
  }

  private Connection asConnector() throws SQLException {
    EntraPrincipal connector = configured(Slot.CONNECTOR).principal();
    return server.connect(DATABASE, connector.roleName(), token(connector));
  }

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException(
        "Cannot "
            + what
            + " on "
            + server.host()
            + " as the connector "
            + configured(Slot.CONNECTOR).principal().roleName()
            + ": SQLSTATE "
            + e.getSQLState()
            + " ("
            + Sql.firstLine(e.getMessage())
            + ")",
        e);
  }
}
