package io.grantsmith.testkit;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A fresh database created for one test on a shared {@link AzurePostgres}, owned by the admin. It
 * is left on the server after the test (the server's data directory is deleted when it stops), so
 * creating one costs only a {@code CREATE DATABASE}.
 */
public interface TestDatabase {

  /**
   * Returns the database's name.
   *
   * @return the name, unique on the server
   */
  String name();

  /**
   * Returns the server the database lives on.
   *
   * @return the server
   */
  AzurePostgres server();

  /**
   * Opens a new connection to this database as the server admin.
   *
   * @return a new connection, owned by the caller
   * @throws SQLException if the login fails
   */
  Connection adminConnection() throws SQLException;

  /**
   * Returns a JDBC URL for this database, without credentials.
   *
   * @return the URL
   */
  default String jdbcUrl() {
    return server().jdbcUrl(name());
  }

  /**
   * Creates a fresh database on a server.
   *
   * @param server the server to create it on
   * @return the new database
   * @throws IllegalStateException if the database cannot be created
   */
  static TestDatabase create(AzurePostgres server) {
    String name = server.createDatabase();
    return new TestDatabase() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public AzurePostgres server() {
        return server;
      }

      @Override
      public Connection adminConnection() throws SQLException {
        return server.adminConnection(name);
      }

      @Override
      public String toString() {
        return "TestDatabase[" + name + " on PostgreSQL " + server.majorVersion() + "]";
      }
    };
  }
}
