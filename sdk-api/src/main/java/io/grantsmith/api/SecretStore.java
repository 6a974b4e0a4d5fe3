package io.grantsmith.api;

/**
 * Where the connector's credentials come from and where rotated ones go: Azure Key Vault, an
 * environment variable, a file, or an integrator's own vault.
 */
public interface SecretStore {
  /**
   * Loads the credentials kept at {@code ref}.
   *
   * @param ref where they are kept
   * @return the credentials
   * @throws GrantsmithException if they cannot be read
   */
  Credentials load(SecretRef ref);

  /**
   * Stores new credentials at {@code ref}, replacing the old ones.
   *
   * @param ref where to keep them
   * @param credentials the new credentials
   * @throws GrantsmithException if they cannot be stored (the caller keeps the old ones working)
   * @throws UnsupportedOperationException if this store is read-only
   */
  void store(SecretRef ref, Credentials credentials);
}
