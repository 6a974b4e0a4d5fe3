package io.grantsmith.postgres.azure;

import io.grantsmith.api.EntraPrincipal;
import io.grantsmith.api.Identifiers;
import io.grantsmith.api.InvalidValueException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * The names Grantsmith gives on a server, in one place: the NOLOGIN marker role whose members are
 * the managed users, the connector's role name that {@link ConnectorSetup} creates, and the prefix
 * of the managed users' names. {@link ConnectorSetup}, {@link Discovery} and {@link AccessManager}
 * read them from here; the defaults are the names Grantsmith has always used.
 *
 * <pre>{@code
 * Conventions names = Conventions.defaults().withMarkerRole("acme_jit_users");
 * ConnectorSetup setup = ConnectorSetup.builder().conventions(names).majorVersion(16).build();
 * AccessManager manager = AccessManager.builder().conventions(names)...build();
 * }</pre>
 *
 * @param markerRole the marker role (default {@value #DEFAULT_MARKER_ROLE})
 * @param connectorName the connector's role name as set up (default {@value
 *     #DEFAULT_CONNECTOR_NAME}); an {@link AccessManager} acts as the role it logs in as
 * @param userPrefix what every managed user's name starts with (default {@value
 *     #DEFAULT_USER_PREFIX}): a lower-case letter, then lower-case letters, digits or {@code _}, at
 *     most {@value #MAX_USER_PREFIX} characters, not reserved ({@code pg_*}, {@code azure_*})
 */
public record Conventions(String markerRole, String connectorName, String userPrefix) {
  /** The marker role's name unless another is chosen. */
  public static final String DEFAULT_MARKER_ROLE = "grantsmith_managed";

  /** The connector's role name unless another is chosen. */
  public static final String DEFAULT_CONNECTOR_NAME = "grantsmith_connector";

  /** What managed users' names start with unless another prefix is chosen. */
  public static final String DEFAULT_USER_PREFIX = "gs_";

  /** The longest user prefix. */
  public static final int MAX_USER_PREFIX = 16;

  private static final int NAME_HASH_CHARS = 8;
  private static final int BUNDLE_HASH_CHARS = 12;
  private static final Conventions DEFAULTS =
      new Conventions(DEFAULT_MARKER_ROLE, DEFAULT_CONNECTOR_NAME, DEFAULT_USER_PREFIX);

  /**
   * Validates.
   *
   * @param markerRole the marker role's name
   * @param connectorName the connector's role name
   * @param userPrefix the prefix of managed users' names
   * @throws InvalidValueException naming the field if a name is missing, invalid or reserved, or
   *     the marker role is the connector's name
   */
  public Conventions {
    Identifiers.checkCreatableRole("Conventions.markerRole", markerRole);
    Identifiers.checkCreatableRole("Conventions.connectorName", connectorName);
    InvalidValueException.check(
        !markerRole.equals(connectorName),
        "Conventions.markerRole",
        "must differ from the connector's name",
        markerRole);
    InvalidValueException.check(userPrefix != null, "Conventions.userPrefix", "must be set", null);
    InvalidValueException.check(
        userPrefix.matches("[a-z][a-z0-9_]{0," + (MAX_USER_PREFIX - 1) + "}")
            && !Identifiers.isReservedRoleName(userPrefix),
        "Conventions.userPrefix",
        "must be a lower-case letter, then at most "
            + (MAX_USER_PREFIX - 1)
            + " lower-case letters, digits or _, and not reserved (pg_*, azure_*)",
        userPrefix);
  }

  /**
   * The names Grantsmith uses unless told otherwise.
   *
   * @return {@value #DEFAULT_MARKER_ROLE}, {@value #DEFAULT_CONNECTOR_NAME}, {@value
   *     #DEFAULT_USER_PREFIX}
   */
  public static Conventions defaults() {
    return DEFAULTS;
  }

  /**
   * These conventions with another marker role.
   *
   * @param markerRole a role name that is not reserved
   * @return new conventions
   * @throws InvalidValueException if the name is invalid or reserved
   */
  public Conventions withMarkerRole(String markerRole) {
    return new Conventions(markerRole, connectorName, userPrefix);
  }

  /**
   * These conventions with another connector name.
   *
   * @param connectorName a role name that is not reserved
   * @return new conventions
   * @throws InvalidValueException if the name is invalid or reserved
   */
  public Conventions withConnectorName(String connectorName) {
    return new Conventions(markerRole, connectorName, userPrefix);
  }

  /**
   * These conventions with another user prefix.
   *
   * @param userPrefix e.g. {@code jit_}
   * @return new conventions
   * @throws InvalidValueException if the prefix breaks the rule above
   */
  public Conventions withUserPrefix(String userPrefix) {
    return new Conventions(markerRole, connectorName, userPrefix);
  }

  /**
   * The NOLOGIN role whose members are Grantsmith's bundle roles: the marker role's name followed
   * by {@code _bundles}, shortened (with a hash of the marker's name) to fit 63 bytes.
   *
   * @return e.g. {@code grantsmith_managed_bundles}
   */
  public String bundleMarkerRole() {
    String suffix = "_bundles";
    String name = markerRole + suffix;
    if (name.getBytes(StandardCharsets.UTF_8).length <= Identifiers.MAX_BYTES) {
      return name;
    }
    String hash = "_" + sha256(markerRole).substring(0, NAME_HASH_CHARS);
    return userPrefix + "m" + hash + suffix;
  }

  /**
   * The name of the shared NOLOGIN bundle role that holds the privileges described by {@code key}:
   * the user prefix, {@code b_}, {@code label} in lower case with every run of characters but
   * {@code [a-z0-9]} replaced by one {@code _} (shortened to fit 63 bytes), {@code _} and the first
   * 12 hex digits of SHA-256({@code key}). Equal keys give equal names; a managed user's name
   * (which ends with {@code _} and 8 hex digits) never equals one.
   *
   * @param label a readable hint of what the bundle holds, e.g. {@code shop sales}
   * @param key the bundle's canonical key text
   * @return e.g. {@code gs_b_shop_sales_1f3a9c0e5b7d}
   */
  public String bundleName(String label, String key) {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(key, "key");
    String body = sanitized(label);
    int max = Identifiers.MAX_BYTES - userPrefix.length() - 2 - 1 - BUNDLE_HASH_CHARS;
    if (body.length() > max) {
      body = body.substring(0, max);
    }
    return userPrefix + "b_" + body + "_" + sha256(key).substring(0, BUNDLE_HASH_CHARS);
  }

  private static String sanitized(String text) {
    StringBuilder s = new StringBuilder();
    String lower = text.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      char out = ok ? c : '_';
      if (out != '_' || s.length() == 0 || s.charAt(s.length() - 1) != '_') {
        s.append(out);
      }
    }
    return s.toString();
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  /**
   * The name of the lease role that holds a Microsoft Entra principal's access on an integration:
   * the prefix, {@code e_}, the principal's role name in lower case with every run of characters
   * but {@code [a-z0-9]} replaced by one {@code _}, {@code _} and the first 8 hex digits of
   * SHA-256(integration name, NUL, {@code entra}, NUL, type, NUL, object id in lower case, NUL,
   * role name); shortened to fit 63 bytes. The lease role never logs in: it is granted to the
   * principal's own role while the lease is active.
   *
   * @param integrationName the integration's name
   * @param principal the principal
   * @return e.g. {@code gs_e_alice_contoso_com_5d0b7a21}
   */
  public String leaseRoleName(String integrationName, EntraPrincipal principal) {
    Objects.requireNonNull(integrationName, "integrationName");
    Objects.requireNonNull(principal, "principal");
    String body = sanitized(principal.roleName());
    int max = Identifiers.MAX_BYTES - userPrefix.length() - 2 - 1 - NAME_HASH_CHARS;
    if (body.length() > max) {
      body = body.substring(0, max);
    }
    String key =
        String.join(
            "\0",
            integrationName,
            "entra",
            principal.type().label(),
            principal.objectId().toLowerCase(Locale.ROOT),
            principal.roleName());
    return userPrefix + "e_" + body + "_" + sha256(key).substring(0, NAME_HASH_CHARS);
  }

  /**
   * The managed user's name for a grantee of an integration: the prefix, the grantee in lower case
   * with every run of characters but {@code [a-z0-9]} replaced by one {@code _}, {@code _} and the
   * first 8 hex digits of SHA-256(integration name, NUL, grantee); shortened to fit 63 bytes.
   *
   * @param integrationName the integration's name
   * @param grantee the person
   * @return e.g. {@code gs_alice_example_com_1f3a9c0e}
   */
  public String userName(String integrationName, String grantee) {
    Objects.requireNonNull(integrationName, "integrationName");
    Objects.requireNonNull(grantee, "grantee");
    StringBuilder s = new StringBuilder();
    String lower = grantee.toLowerCase(Locale.ROOT);
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      boolean ok = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
      char out = ok ? c : '_';
      if (out != '_' || s.length() == 0 || s.charAt(s.length() - 1) != '_') {
        s.append(out);
      }
    }
    int max = Identifiers.MAX_BYTES - userPrefix.length() - 1 - NAME_HASH_CHARS;
    String body = s.length() > max ? s.substring(0, max) : s.toString();
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256")
              .digest((integrationName + "\0" + grantee).getBytes(StandardCharsets.UTF_8));
      return userPrefix + body + "_" + HexFormat.of().formatHex(d).substring(0, NAME_HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }
}
