package io.grantsmith.testkit;

import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;

/** The README's testkit example, compiled and run so that it cannot rot. */
class ReadmeExampleIT {
  @AzurePostgresTest // once per version: [PostgreSQL 17], ...
  void readerCanSelectButNotInsert(AzurePostgres server, TestDatabase db, Connection admin)
      throws SQLException {
    admin
        .createStatement()
        .execute(
            "CREATE SCHEMA app; CREATE TABLE app.orders (id int);"
                + " CREATE ROLE reader LOGIN PASSWORD 'Reader-pw-1'; GRANT USAGE ON SCHEMA app TO reader;"
                + " GRANT SELECT ON app.orders TO reader");
    assertThat(server)
        .user("reader", "Reader-pw-1")
        .canSelectFrom(db.name(), "app.orders")
        .cannotInsertInto(db.name(), "app.orders");
  }
}
