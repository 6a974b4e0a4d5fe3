/**
 * Microsoft Entra ID for Grantsmith: a connector that logs in with Entra tokens ({@link
 * io.grantsmith.azure.identity.EntraAuth}, {@link io.grantsmith.azure.identity.EntraConnections})
 * through azure-identity-extensions' pgjdbc plugin, and Azure Key Vault as the {@link
 * io.grantsmith.api.SecretStore} of the connector's credentials ({@link
 * io.grantsmith.azure.identity.KeyVaultSecretStore}).
 */
package io.grantsmith.azure.identity;
