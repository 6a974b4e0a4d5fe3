package io.grantsmith.azure.identity;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the connector gets Microsoft Entra tokens, through azure-identity: a managed identity
 * (system- or user-assigned), workload identity, a service principal, a developer's own sign-in, or
 * a {@code TokenCredentialProvider} of the integrator's. The connector never has a password; each
 * connection gets a token from this credential when it logs in (see {@link EntraConnections}).
 *
 * <pre>{@code
 * EntraAuth auth = EntraAuth.managedIdentity("3f2b...-client-id");   // user-assigned
 * EntraAuth gov = EntraAuth.managedIdentity().withCloud(AzureCloud.US_GOVERNMENT);
 * }</pre>
 *
 * <p>Every value is checked when it is made: an invalid client id, tenant id, class name or a
 * missing part throws {@link InvalidValueException} naming the field. {@link #toString()} never
 * shows a client secret or certificate password.
 */
public final class EntraAuth {
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern TENANT_DOMAIN =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9-]{1,63})+");
  private static final Pattern CLASS_NAME =
      Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

  /** The ways a connector gets its tokens. */
  public enum Kind {
    /**
     * The managed identity of the Azure resource the code runs on: system-assigned, or
     * user-assigned when a client id is given.
     */
    MANAGED_IDENTITY,
    /**
     * Workload identity (e.g. on AKS): azure-identity's default chain, which reads {@code
     * AZURE_CLIENT_ID}, {@code AZURE_TENANT_ID} and {@code AZURE_FEDERATED_TOKEN_FILE}.
     */
    WORKLOAD_IDENTITY,
    /** An application registration with a client secret or a certificate. */
    SERVICE_PRINCIPAL,
    /**
     * azure-identity's default chain ({@code DefaultAzureCredential}): environment variables,
     * workload identity, managed identity, then a developer's Azure CLI, Azure Developer CLI or
     * Azure PowerShell sign-in.
     */
    DEVELOPER,
    /** A {@code TokenCredentialProvider} class of the integrator's (azure-identity-extensions). */
    TOKEN_CREDENTIAL_PROVIDER
  }

  private final Kind kind;
  private final String clientId;
  private final String tenantId;
  private final Secret clientSecret;
  private final Path certificatePath;
  private final Secret certificatePassword;
  private final String providerClassName;
  private final AzureCloud cloud;
  private final Duration tokenTimeout;

  private EntraAuth(Builder b) {
    this.kind = Objects.requireNonNull(b.kind, "kind");
    this.clientId = b.clientId;
    this.tenantId = b.tenantId;
    this.clientSecret = b.clientSecret;
    this.certificatePath = b.certificatePath;
    this.certificatePassword = b.certificatePassword;
    this.providerClassName = b.providerClassName;
    this.cloud = b.cloud;
    this.tokenTimeout = b.tokenTimeout;
    check();
  }

  /**
   * The system-assigned managed identity of the Azure resource the code runs on.
   *
   * @return the configuration
   */
  public static EntraAuth managedIdentity() {
    return builder(Kind.MANAGED_IDENTITY).build();
  }

  /**
   * A user-assigned managed identity.
   *
   * @param clientId the identity's client id, a UUID
   * @return the configuration
   * @throws InvalidValueException if the client id is not a UUID
   */
  public static EntraAuth managedIdentity(String clientId) {
    return builder(Kind.MANAGED_IDENTITY).clientId(clientId).build();
  }

  /**
   * Workload identity, configured by the environment ({@code AZURE_CLIENT_ID}, {@code
   * AZURE_TENANT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE}, as AKS sets them).
   *
   * @return the configuration
   */
  public static EntraAuth workloadIdentity() {
    return builder(Kind.WORKLOAD_IDENTITY).build();
  }

  /**
   * A service principal with a client secret.
   *
   * @param tenantId the tenant, a UUID or a domain such as {@code contoso.onmicrosoft.com}
   * @param clientId the application's client id, a UUID
   * @param clientSecret the client secret
   * @return the configuration
   * @throws InvalidValueException if a part is missing or malformed
   */
  public static EntraAuth servicePrincipal(String tenantId, String clientId, Secret clientSecret) {
    return builder(Kind.SERVICE_PRINCIPAL)
        .tenantId(tenantId)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .build();
  }

  /**
   * A developer's own sign-in, or whatever azure-identity's default chain finds first.
   *
   * @return the configuration
   */
  public static EntraAuth developer() {
    return builder(Kind.DEVELOPER).build();
  }

  /**
   * Tokens from an integrator's {@code
   * com.azure.identity.extensions.implementation.credential.provider.TokenCredentialProvider}
   * class, which the azure-identity-extensions plugin instantiates through its public constructor
   * that takes a {@code TokenCredentialProviderOptions}.
   *
   * @param className the class's binary name
   * @return the configuration
   * @throws InvalidValueException if the name is not a Java class name
   */
  public static EntraAuth tokenCredentialProvider(String className) {
    return builder(Kind.TOKEN_CREDENTIAL_PROVIDER)
        .tokenCredentialProviderClassName(className)
        .build();
  }

  /**
   * A builder for the given kind; the cloud is {@link AzureCloud#PUBLIC} and the token timeout 30 s
   * unless set.
   *
   * @param kind how tokens are obtained
   * @return the builder
   */
  public static Builder builder(Kind kind) {
    return new Builder(Objects.requireNonNull(kind, "kind"));
  }

  /**
   * This configuration in another cloud; the token scope follows its authority host.
   *
   * @param cloud the cloud
   * @return the configuration
   */
  public EntraAuth withCloud(AzureCloud cloud) {
    return toBuilder().cloud(cloud).build();
  }

  /**
   * A builder holding this configuration.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(kind);
    b.clientId = clientId;
    b.tenantId = tenantId;
    b.clientSecret = clientSecret;
    b.certificatePath = certificatePath;
    b.certificatePassword = certificatePassword;
    b.providerClassName = providerClassName;
    b.cloud = cloud;
    b.tokenTimeout = tokenTimeout;
    return b;
  }

  /**
   * How tokens are obtained.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The client id: of a user-assigned managed identity or of a service principal.
   *
   * @return the client id, if set
   */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /**
   * The tenant.
   *
   * @return the tenant id or domain, if set
   */
  public Optional<String> tenantId() {
    return Optional.ofNullable(tenantId);
  }

  /**
   * A service principal's client secret.
   *
   * @return the secret, if set
   */
  public Optional<Secret> clientSecret() {
    return Optional.ofNullable(clientSecret);
  }

  /**
   * A service principal's certificate (PEM, or PFX with a {@linkplain #certificatePassword
   * password}).
   *
   * @return the file, if set
   */
  public Optional<Path> certificatePath() {
    return Optional.ofNullable(certificatePath);
  }

  /**
   * The password of a PFX certificate.
   *
   * @return the password, if set
   */
  public Optional<Secret> certificatePassword() {
    return Optional.ofNullable(certificatePassword);
  }

  /**
   * The {@code TokenCredentialProvider} class, for {@link Kind#TOKEN_CREDENTIAL_PROVIDER}.
   *
   * @return the class name, if set
   */
  public Optional<String> tokenCredentialProviderClassName() {
    return Optional.ofNullable(providerClassName);
  }

  /**
   * The cloud whose authority host issues the tokens.
   *
   * @return the cloud
   */
  public AzureCloud cloud() {
    return cloud;
  }

  /**
   * The token scope, which follows the cloud: {@link AzureCloud#postgresScope()}.
   *
   * @return the scope
   */
  public String scope() {
    return cloud.postgresScope();
  }

  /**
   * How long a login waits for a token.
   *
   * @return the timeout
   */
  public Duration tokenTimeout() {
    return tokenTimeout;
  }

  /**
   * In a few words, for messages: e.g. {@code user-assigned managed identity 3f2b...}.
   *
   * @return the description
   */
  public String describe() {
    switch (kind) {
      case MANAGED_IDENTITY:
        return clientId == null
            ? "the system-assigned managed identity"
            : "the user-assigned managed identity " + clientId;
      case WORKLOAD_IDENTITY:
        return "workload identity";
      case SERVICE_PRINCIPAL:
        return "the service principal " + clientId + " of tenant " + tenantId;
      case DEVELOPER:
        return "azure-identity's default credential chain";
      default:
        return "the TokenCredentialProvider " + providerClassName;
    }
  }

  /** The kind and the non-secret settings; never a secret. */
  @Override
  public String toString() {
    return "EntraAuth{kind="
        + kind
        + (clientId != null ? ", clientId=" + clientId : "")
        + (tenantId != null ? ", tenantId=" + tenantId : "")
        + (clientSecret != null ? ", clientSecret=****" : "")
        + (certificatePath != null ? ", certificatePath=" + certificatePath : "")
        + (certificatePassword != null ? ", certificatePassword=****" : "")
        + (providerClassName != null ? ", tokenCredentialProvider=" + providerClassName : "")
        + ", cloud="
        + cloud
        + "}";
  }

  private void check() {
    InvalidValueException.check(cloud != null, "EntraAuth.cloud", "must be set", null);
    InvalidValueException.check(
        tokenTimeout != null && !tokenTimeout.isNegative() && !tokenTimeout.isZero(),
        "EntraAuth.tokenTimeout",
        "must be positive",
        tokenTimeout);
    if (clientId != null) {
      InvalidValueException.check(
          UUID.matcher(clientId).matches(), "EntraAuth.clientId", "must be a UUID", clientId);
    }
    if (tenantId != null) {
      InvalidValueException.check(
          UUID.matcher(tenantId).matches() || TENANT_DOMAIN.matcher(tenantId).matches(),
          "EntraAuth.tenantId",
          "must be a UUID or a domain name",
          tenantId);
    }
    switch (kind) {
      case MANAGED_IDENTITY:
      case WORKLOAD_IDENTITY:
      case DEVELOPER:
        absent("EntraAuth.clientSecret", clientSecret);
        absent("EntraAuth.certificatePath", certificatePath);
        absent("EntraAuth.tokenCredentialProviderClassName", providerClassName);
        if (kind != Kind.MANAGED_IDENTITY) {
          absent("EntraAuth.clientId", clientId);
        } else {
          absent("EntraAuth.tenantId", tenantId);
        }
        break;
      case SERVICE_PRINCIPAL:
        InvalidValueException.check(
            tenantId != null, "EntraAuth.tenantId", "must be set for a service principal", null);
        InvalidValueException.check(
            clientId != null, "EntraAuth.clientId", "must be set for a service principal", null);
        InvalidValueException.check(
            (clientSecret != null) != (certificatePath != null),
            "EntraAuth.clientSecret",
            "a service principal needs either a client secret or a certificate, not both",
            clientSecret != null ? "****" : null);
        absent("EntraAuth.tokenCredentialProviderClassName", providerClassName);
        break;
      default:
        InvalidValueException.check(
            providerClassName != null && CLASS_NAME.matcher(providerClassName).matches(),
            "EntraAuth.tokenCredentialProviderClassName",
            "must be a Java class name",
            providerClassName);
        absent("EntraAuth.clientSecret", clientSecret);
        absent("EntraAuth.certificatePath", certificatePath);
    }
    if (certificatePassword != null) {
      InvalidValueException.check(
          certificatePath != null,
          "EntraAuth.certificatePassword",
          "needs a certificatePath",
          "****");
    }
  }

  private void absent(String field, Object value) {
    InvalidValueException.check(
        value == null,
        field,
        "must not be set for " + kind,
        value instanceof Secret ? "****" : value);
  }

  /** Builds an {@link EntraAuth}; prefer the static factories. */
  public static final class Builder {
    private final Kind kind;
    private String clientId;
    private String tenantId;
    private Secret clientSecret;
    private Path certificatePath;
    private Secret certificatePassword;
    private String providerClassName;
    private AzureCloud cloud = AzureCloud.PUBLIC;
    private Duration tokenTimeout = Duration.ofSeconds(30);

    private Builder(Kind kind) {
      this.kind = kind;
    }

    /**
     * Sets the client id (a user-assigned managed identity's or a service principal's).
     *
     * @param clientId a UUID
     * @return this builder
     */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /**
     * Sets the tenant.
     *
     * @param tenantId a UUID or a domain name
     * @return this builder
     */
    public Builder tenantId(String tenantId) {
      this.tenantId = tenantId;
      return this;
    }

    /**
     * Sets a service principal's client secret.
     *
     * @param clientSecret the secret
     * @return this builder
     */
    public Builder clientSecret(Secret clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * Sets a service principal's certificate file.
     *
     * @param certificatePath a PEM file, or a PFX file with {@link #certificatePassword}
     * @return this builder
     */
    public Builder certificatePath(Path certificatePath) {
      this.certificatePath = certificatePath;
      return this;
    }

    /**
     * Sets the password of a PFX certificate.
     *
     * @param certificatePassword the password
     * @return this builder
     */
    public Builder certificatePassword(Secret certificatePassword) {
      this.certificatePassword = certificatePassword;
      return this;
    }

    /**
     * Sets the {@code TokenCredentialProvider} class.
     *
     * @param className the class's binary name
     * @return this builder
     */
    public Builder tokenCredentialProviderClassName(String className) {
      this.providerClassName = className;
      return this;
    }

    /**
     * Sets the cloud (default {@link AzureCloud#PUBLIC}).
     *
     * @param cloud the cloud
     * @return this builder
     */
    public Builder cloud(AzureCloud cloud) {
      this.cloud = cloud;
      return this;
    }

    /**
     * Sets how long a login waits for a token (default 30 s).
     *
     * @param tokenTimeout a positive duration
     * @return this builder
     */
    public Builder tokenTimeout(Duration tokenTimeout) {
      this.tokenTimeout = tokenTimeout;
      return this;
    }

    /**
     * Builds and checks the configuration.
     *
     * @return the configuration
     * @throws InvalidValueException naming the field that is missing, malformed or not allowed for
     *     the kind
     */
    public EntraAuth build() {
      return new EntraAuth(this);
    }
  }
}
