package io.grantsmith.testkit.internal;

import io.grantsmith.testkit.AzurePostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Logs in as a user and runs one statement, recording what happened. */
public final class Probe {
  private Probe() {}

  /** What happened: login failure, statement failure or success (with the first value, if any). */
  public record Outcome(String sql, boolean loginFailed, SQLException error, Object firstValue) {
    /** True when the login and the statement both succeeded. */
    public boolean succeeded() {
      return error == null;
    }

    /** True when the login worked and the statement failed. */
    public boolean statementFailed() {
      return !loginFailed && error != null;
    }

    /** The SQLSTATE of the failure, or null. */
    public String sqlState() {
      return error == null ? null : error.getSQLState();
    }

    /** "SQLSTATE xxxxx (message)". */
    public String describe() {
      return error == null
          ? "success"
          : "SQLSTATE " + error.getSQLState() + " (" + Sql.firstLine(error.getMessage()) + ")";
    }
  }

  /**
   * Logs in and, if {@code sql} is not null, runs it; in a transaction rolled back afterwards when
   * {@code rollback} is set.
   */
  public static Outcome run(
      AzurePostgres server,
      String database,
      String user,
      String password,
      String sql,
      boolean rollback) {
    Connection c;
    try {
      c = server.connect(database, user, password);
    } catch (SQLException e) {
      return new Outcome(sql, true, e, null);
    }
    try (c) {
      if (sql == null) {
        return new Outcome(null, false, null, null);
      }
      if (rollback) {
        c.setAutoCommit(false);
      }
      try (Statement s = c.createStatement()) {
        Object first = null;
        if (s.execute(sql)) {
          try (ResultSet rs = s.getResultSet()) {
            if (rs.next() && rs.getMetaData().getColumnCount() > 0) {
              first = rs.getObject(1);
            }
          }
        }
        return new Outcome(sql, false, null, first);
      } catch (SQLException e) {
        return new Outcome(sql, false, e, null);
      } finally {
        if (rollback) {
          try {
            c.rollback();
          } catch (SQLException ignored) {
            // the session is closed next anyway
          }
        }
      }
    } catch (SQLException e) {
      return new Outcome(sql, false, e, null);
    }
  }
}
