package io.grantsmith.postgres.azure.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.GrantsmithArbitraries;
import io.grantsmith.testkit.PostgresVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The renderer quotes exactly as the server does: {@link Sql#ident(String, int)} against {@code
 * quote_ident} and {@link Sql#literal} against {@code quote_literal}, on every configured server
 * version.
 */
class QuotingPropertiesIT {
  private static final Map<Integer, Connection> CONNECTIONS = new LinkedHashMap<>();

  private static synchronized Map<Integer, Connection> connections() throws SQLException {
    if (CONNECTIONS.isEmpty()) {
      for (PostgresVersion v : PostgresVersion.configured()) {
        AzurePostgres server = AzurePostgres.shared(v.major());
        CONNECTIONS.put(v.major(), server.adminConnection("postgres"));
      }
    }
    return CONNECTIONS;
  }

  @AfterContainer
  static void close() throws SQLException {
    for (Connection c : CONNECTIONS.values()) {
      c.close();
    }
    CONNECTIONS.clear();
  }

  @Property(tries = 1500)
  void identifiersAndLiteralsAreQuotedExactlyAsTheServerQuotesThem(@ForAll("names") String name)
      throws SQLException {
    for (Map.Entry<Integer, Connection> e : connections().entrySet()) {
      try (PreparedStatement ps =
          e.getValue().prepareStatement("SELECT quote_ident(?), quote_literal(?)")) {
        ps.setString(1, name);
        ps.setString(2, name);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          assertThat(Sql.ident(name, e.getKey()))
              .as("quote_ident on %d", e.getKey())
              .isEqualTo(rs.getString(1));
          assertThat(Sql.literal(name))
              .as("quote_literal on %d", e.getKey())
              .isEqualTo(rs.getString(2));
        }
      }
    }
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.oneOf(
        GrantsmithArbitraries.hostileIdentifiers(),
        GrantsmithArbitraries.identifiers(),
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('_', '0', '9', '$')
            .ofMinLength(1)
            .ofMaxLength(12),
        Arbitraries.of(
            List.of(
                "select",
                "json",
                "json_table",
                "merge_action",
                "system_user",
                "user",
                "table",
                "between",
                "authorization",
                "all",
                "name",
                "password",
                "abort")));
  }
}
