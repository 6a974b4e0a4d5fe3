package io.grantsmith.testkit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Small JDBC helpers. */
public final class Sql {
  private Sql() {}

  /** Runs SQL (possibly several statements) in auto-commit mode. */
  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A message quoting the statement, the SQLSTATE and the server's message. */
  public static String describe(String what, String sql, SQLException e) {
    return what
        + ": statement\n  "
        + sql.strip().replace("\n", "\n  ")
        + "\nfailed with SQLSTATE "
        + e.getSQLState()
        + " ("
        + firstLine(e.getMessage())
        + ")";
  }

  /** The first line of a message. */
  public static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
