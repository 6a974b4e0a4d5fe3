package io.grantsmith.azure.identity;

/**
 * An Azure cloud: where Microsoft Entra ID issues tokens (the authority host) and the token scope
 * of Azure Database for PostgreSQL there. The scope follows the authority host.
 */
public enum AzureCloud {
  /** The Azure public cloud. */
  PUBLIC(
      "https://login.microsoftonline.com/",
      "https://ossrdbms-aad.database.windows.net/.default",
      "vault.azure.net"),
  /** Microsoft Azure operated by 21Vianet (China). */
  CHINA(
      "https://login.chinacloudapi.cn/",
      "https://ossrdbms-aad.database.chinacloudapi.cn/.default",
      "vault.azure.cn"),
  /** Azure Government (US). */
  US_GOVERNMENT(
      "https://login.microsoftonline.us/",
      "https://ossrdbms-aad.database.usgovcloudapi.net/.default",
      "vault.usgovcloudapi.net");

  private final String authorityHost;
  private final String postgresScope;
  private final String keyVaultDnsSuffix;

  AzureCloud(String authorityHost, String postgresScope, String keyVaultDnsSuffix) {
    this.authorityHost = authorityHost;
    this.postgresScope = postgresScope;
    this.keyVaultDnsSuffix = keyVaultDnsSuffix;
  }

  /**
   * The URL of a Key Vault in this cloud.
   *
   * @param vaultName the vault's name
   * @return e.g. {@code https://ops-vault.vault.azure.net/}
   */
  public String keyVaultUrl(String vaultName) {
    return "https://" + vaultName + "." + keyVaultDnsSuffix + "/";
  }

  /**
   * Where Microsoft Entra ID issues tokens in this cloud.
   *
   * @return the authority host, e.g. {@code https://login.microsoftonline.com/}
   */
  public String authorityHost() {
    return authorityHost;
  }

  /**
   * The scope of a token that Azure Database for PostgreSQL accepts in this cloud.
   *
   * @return the scope, e.g. {@code https://ossrdbms-aad.database.windows.net/.default}
   */
  public String postgresScope() {
    return postgresScope;
  }
}
