/** Implementation of the Entra connector and the Key Vault store; not for users. */
package io.grantsmith.azure.identity.internal;
