package com.example.orders;

// tag::testkit[]
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

class ReadOnlyAccessIT {

  @AzurePostgresTest // once per version: [PostgreSQL 17], ...
  void readerCanSelectButNotInsert(AzurePostgres server, TestDatabase db, Connection admin)
      throws SQLException {
    admin
        .createStatement()
        .execute(
            "CREATE SCHEMA app; CREATE TABLE app.orders (id int);"
                + " CREATE ROLE reader LOGIN PASSWORD 'Reader-pw-1';"
                + " GRANT USAGE ON SCHEMA app TO reader; GRANT SELECT ON app.orders TO reader");
    assertThat(server)
        .user("reader", "Reader-pw-1")
        .canSelectFrom(db.name(), "app.orders")
        .cannotInsertInto(db.name(), "app.orders");
  }
}
// end::testkit[]
