package io.grantsmith.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import io.grantsmith.testkit.GrantsmithArbitraries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The quoting helper agrees with the server's quote_ident, and generated names really work. */
class IdentifiersIT {

  @AzurePostgresTest
  void quoteAgreesWithQuoteIdentAndGeneratedNamesAreUsable(AzurePostgres server, Connection admin)
      throws SQLException {
    List<String> keywords = new ArrayList<>();
    try (Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT word FROM pg_get_keywords()")) {
      while (rs.next()) {
        keywords.add(rs.getString(1));
      }
    }
    Set<String> names = new LinkedHashSet<>(keywords);
    Stream.concat(
            GrantsmithArbitraries.identifiers().sampleStream().limit(150),
            GrantsmithArbitraries.hostileIdentifiers().sampleStream().limit(150))
        .forEach(names::add);
    List<String> all = new ArrayList<>(names);
    List<String> serverQuoted = new ArrayList<>();
    try (PreparedStatement ps =
        admin.prepareStatement(
            "SELECT quote_ident(n) FROM unnest(?::text[]) WITH ORDINALITY AS u(n, i) ORDER BY i")) {
      ps.setArray(1, admin.createArrayOf("text", all.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          serverQuoted.add(rs.getString(1));
        }
      }
    }
    for (int i = 0; i < all.size(); i++) {
      String ours = Identifiers.quote(all.get(i));
      if (!ours.equals(serverQuoted.get(i))) {
        // Only words reserved in a newer version may be quoted where the server would not.
        assertThat(Identifiers.QUOTED_KEYWORDS)
            .as("quoting of <%s>", all.get(i))
            .contains(all.get(i));
        assertThat(ours).isEqualTo("\"" + all.get(i) + "\"");
      }
    }

    List<String> tables =
        all.stream().filter(n -> !keywords.contains(n)).collect(Collectors.toList());
    String ddl =
        "CREATE SCHEMA \"quoting test\";\n"
            + tables.stream()
                .map(n -> "CREATE TABLE " + Identifiers.qualified("quoting test", n) + " ()")
                .collect(Collectors.joining(";\n"));
    admin.setAutoCommit(false);
    try (Statement s = admin.createStatement()) {
      s.execute(ddl);
      try (ResultSet rs =
          s.executeQuery(
              "SELECT relname FROM pg_class WHERE relnamespace ="
                  + " '\"quoting test\"'::regnamespace")) {
        Set<String> created = new LinkedHashSet<>();
        while (rs.next()) {
          created.add(rs.getString(1));
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(tables));
      }
    } finally {
      admin.rollback();
      admin.setAutoCommit(true);
    }
  }
}
