package io.grantsmith.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * One Azure Database for PostgreSQL server that Grantsmith manages access to: where it is, how to
 * reach it, where the connector's credentials are kept, and the access policy settings (rotation,
 * cleanup, owners, custom access details).
 *
 * <pre>{@code
 * Integration prod = Integration.builder()
 *     .name("orders-prod")
 *     .hostname("orders-prod.postgres.database.azure.com")
 *     .connectorSecret(SecretRef.environment("GRANTSMITH_PASSWORD"))
 *     .userCleanupAfterDays(7)
 *     .build();
 * }</pre>
 */
@Value.Immutable
public abstract class Integration {
  /** The longest {@link #customAccessDetails()} shown to users. */
  public static final int MAX_CUSTOM_ACCESS_DETAILS = 400;

  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern DNS_LABEL =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  private static final Pattern IPV6_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  Integration() {}

  /** Builds an {@link Integration}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an integration
     * @return this builder
     */
    Builder from(Integration instance);

    /**
     * Sets the name (letters, digits, '-', '_'; starts with a letter; at most 64).
     *
     * @param name the integration's name
     * @return this builder
     */
    Builder name(String name);

    /**
     * Sets the server's host name or IP address.
     *
     * @param hostname e.g. {@code orders.postgres.database.azure.com}
     * @return this builder
     */
    Builder hostname(String hostname);

    /**
     * Sets the port (default 5432).
     *
     * @param port 1 to 65535
     * @return this builder
     */
    Builder port(int port);

    /**
     * Sets the database the connector connects to first (default {@code postgres}).
     *
     * @param database a database name
     * @return this builder
     */
    Builder database(String database);

    /**
     * Sets the SSL mode (default {@link SslMode#REQUIRE}).
     *
     * @param sslMode the mode
     * @return this builder
     */
    Builder sslMode(SslMode sslMode);

    /**
     * Sets the CA certificate (PEM file) that {@link SslMode#VERIFY_CA} and {@link
     * SslMode#VERIFY_FULL} check the server's certificate against; pgjdbc's {@code sslrootcert}.
     * Unset, pgjdbc looks in its default place.
     *
     * @param sslRootCert the file's path
     * @return this builder
     */
    Builder sslRootCert(String sslRootCert);

    /**
     * Sets the id of the connector that serves this integration.
     *
     * @param connectorId the connector's id
     * @return this builder
     */
    Builder connectorId(String connectorId);

    /**
     * Sets where the connector's credentials are kept.
     *
     * @param connectorSecret the reference
     * @return this builder
     */
    Builder connectorSecret(SecretRef connectorSecret);

    /**
     * Adds a resource type to discover; none means every type.
     *
     * @param resourceType a kind
     * @return this builder
     */
    Builder addResourceType(ResourceKind resourceType);

    /**
     * Adds resource types to discover.
     *
     * @param resourceTypes kinds
     * @return this builder
     */
    Builder addResourceTypes(ResourceKind... resourceTypes);

    /**
     * Sets how often users' passwords rotate, in days (at least 1).
     *
     * @param days the period
     * @return this builder
     */
    Builder credentialRotationDays(int days);

    /**
     * Sets after how many days a revoked user is dropped (0 drops at revocation).
     *
     * @param days the period
     * @return this builder
     */
    Builder userCleanupAfterDays(int days);

    /**
     * Sets instructions shown to users who get access (at most 400 characters).
     *
     * @param customAccessDetails the text
     * @return this builder
     */
    Builder customAccessDetails(String customAccessDetails);

    /**
     * Adds an integration owner.
     *
     * @param owner the owner
     * @return this builder
     */
    Builder addIntegrationOwner(IntegrationOwner owner);

    /**
     * Adds a resource owner; requires at least one integration owner.
     *
     * @param owner the owner
     * @return this builder
     */
    Builder addResourceOwner(ResourceOwner owner);

    /**
     * Sets the longest access a request may ask for (default 7 days).
     *
     * @param maxAccessDuration at least one minute
     * @return this builder
     */
    Builder maxAccessDuration(Duration maxAccessDuration);

    /**
     * Builds and validates.
     *
     * @return the integration
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    Integration build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableIntegration.builder();
  }

  /**
   * The integration's unique, user-friendly name.
   *
   * @return the name
   */
  public abstract String name();

  /**
   * The server's DNS name or IP address.
   *
   * @return the host name
   */
  public abstract String hostname();

  /**
   * The port.
   *
   * @return 5432 unless set
   */
  @Value.Default
  public int port() {
    return 5432;
  }

  /**
   * The database the connector connects to first.
   *
   * @return {@code postgres} unless set
   */
  @Value.Default
  public String database() {
    return "postgres";
  }

  /**
   * The SSL mode.
   *
   * @return {@link SslMode#REQUIRE} unless set
   */
  @Value.Default
  public SslMode sslMode() {
    return SslMode.REQUIRE;
  }

  /**
   * The CA certificate (PEM file) the server's certificate is verified against in the {@code
   * verify-ca} and {@code verify-full} modes.
   *
   * @return the file's path, if set
   */
  public abstract Optional<String> sslRootCert();

  /**
   * The id of the connector that serves this integration.
   *
   * @return the id, if set
   */
  public abstract Optional<String> connectorId();

  /**
   * Where the connector's credentials are kept.
   *
   * @return the reference, if set
   */
  public abstract Optional<SecretRef> connectorSecret();

  /**
   * The resource types to discover; empty means every type.
   *
   * @return the kinds
   */
  public abstract Set<ResourceKind> resourceTypes();

  /**
   * How often users' passwords rotate, in days.
   *
   * @return the period, if set
   */
  public abstract OptionalInt credentialRotationDays();

  /**
   * After how many days a revoked user is dropped; 0 drops at revocation. Unset keeps revoked users
   * (without login and privileges) until dropped by hand.
   *
   * @return the period, if set
   */
  public abstract OptionalInt userCleanupAfterDays();

  /**
   * Instructions shown to users who get access.
   *
   * @return the text, if set
   */
  public abstract Optional<String> customAccessDetails();

  /**
   * The integration's owners.
   *
   * @return the owners
   */
  public abstract List<IntegrationOwner> integrationOwners();

  /**
   * The resource owners.
   *
   * @return the owners
   */
  public abstract List<ResourceOwner> resourceOwners();

  /**
   * The longest access a request may ask for.
   *
   * @return 7 days unless set
   */
  @Value.Default
  public Duration maxAccessDuration() {
    return Duration.ofDays(7);
  }

  @Value.Check
  void check() {
    InvalidValueException.check(
        NAME.matcher(name()).matches(),
        "Integration.name",
        "must start with a letter and hold only letters, digits, '-' and '_', at most 64",
        name());
    InvalidValueException.check(
        isHostname(hostname()),
        "Integration.hostname",
        "must be a DNS name or an IP address",
        hostname());
    InvalidValueException.check(
        port() >= 1 && port() <= 65535, "Integration.port", "must be between 1 and 65535", port());
    Identifiers.check("Integration.database", database());
    sslRootCert()
        .ifPresent(
            p ->
                InvalidValueException.check(
                    !p.isBlank() && p.indexOf('\0') < 0,
                    "Integration.sslRootCert",
                    "must be a file path without NUL",
                    p));
    connectorId()
        .ifPresent(
            id ->
                InvalidValueException.check(
                    !id.isBlank() && id.chars().noneMatch(Character::isISOControl),
                    "Integration.connectorId",
                    "must not be blank or hold control characters",
                    id));
    credentialRotationDays()
        .ifPresent(
            d ->
                InvalidValueException.check(
                    d >= 1, "Integration.credentialRotationDays", "must be at least 1", d));
    userCleanupAfterDays()
        .ifPresent(
            d ->
                InvalidValueException.check(
                    d >= 0, "Integration.userCleanupAfterDays", "must be at least 0", d));
    customAccessDetails()
        .ifPresent(
            t ->
                InvalidValueException.check(
                    t.length() <= MAX_CUSTOM_ACCESS_DETAILS,
                    "Integration.customAccessDetails",
                    "must be at most "
                        + MAX_CUSTOM_ACCESS_DETAILS
                        + " characters (is "
                        + t.length()
                        + ")",
                    t));
    InvalidValueException.check(
        resourceOwners().isEmpty() || !integrationOwners().isEmpty(),
        "Integration.resourceOwners",
        "require at least one integration owner",
        resourceOwners());
    InvalidValueException.check(
        maxAccessDuration().compareTo(Duration.ofMinutes(1)) >= 0,
        "Integration.maxAccessDuration",
        "must be at least one minute",
        maxAccessDuration());
  }

  static boolean isHostname(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    if (IPV4.matcher(host).matches()) {
      return true;
    }
    if (host.indexOf(':') >= 0) {
      String h =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      return isIpv6(h);
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty()) {
      return false;
    }
    for (String label : h.split("\\.", -1)) {
      if (!DNS_LABEL.matcher(label).matches()) {
        return false;
      }
    }
    // An all-numeric dotted name that is not a valid IPv4 address (999.1.1.1) is rejected.
    return !h.matches("[0-9.]+");
  }

  /**
   * Whether {@code h} is an IPv6 address in text form (RFC 4291 2.2): eight groups of 1 to 4 hex
   * digits, at most one {@code ::}, the last 32 bits optionally as an IPv4 address. A host:port
   * pair such as {@code 10.0.0.1:5432} or {@code db:5432} is not one.
   */
  private static boolean isIpv6(String h) {
    int gap = h.indexOf("::");
    if (gap >= 0 && h.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String[] halves =
        gap < 0 ? new String[] {h} : new String[] {h.substring(0, gap), h.substring(gap + 2)};
    int groups = 0;
    for (int i = 0; i < halves.length; i++) {
      if (halves[i].isEmpty()) {
        if (gap < 0) {
          return false;
        }
        continue;
      }
      String[] parts = halves[i].split(":", -1);
      for (int j = 0; j < parts.length; j++) {
        boolean last = i == halves.length - 1 && j == parts.length - 1;
        if (last && IPV4.matcher(parts[j]).matches()) {
          groups += 2;
        } else if (IPV6_GROUP.matcher(parts[j]).matches()) {
          groups++;
        } else {
          return false;
        }
      }
    }
    return gap < 0 ? groups == 8 : groups <= 7;
  }
}
