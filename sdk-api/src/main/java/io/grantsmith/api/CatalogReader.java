package io.grantsmith.api;

/** Reads what a database holds, in one bulk read. */
public interface CatalogReader {
  /**
   * Reads a snapshot of {@code database}.
   *
   * @param database the database to read
   * @return the snapshot
   * @throws GrantsmithException if the database cannot be read
   */
  CatalogSnapshot read(String database);
}
