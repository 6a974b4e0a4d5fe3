package io.grantsmith.postgres.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.api.Statement;
import io.grantsmith.api.Step;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A connector whose connections log in with tokens, and who runs a setup fix, without a server: the
 * rotation refuses before anything is opened or read, and the fixes are split by who runs them.
 */
class TokenConnectorTest {

  /** Counts every use; a test that reaches one has already failed. */
  static final class TokenSource implements ConnectionSource {
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public Connection open(String database) {
      opened.incrementAndGet();
      throw new AssertionError("no connection may be opened, but one was to " + database);
    }

    @Override
    public boolean logsInWithTokens() {
      return true;
    }
  }

  static final class NoStore implements SecretStore {
    final AtomicInteger used = new AtomicInteger();

    @Override
    public Credentials load(SecretRef ref) {
      used.incrementAndGet();
      throw new AssertionError("the store may not be read");
    }

    @Override
    public void store(SecretRef ref, Credentials credentials) {
      used.incrementAndGet();
      throw new AssertionError("the store may not be written");
    }
  }

  static final Integration PROD =
      Integration.builder().name("orders-prod").hostname("db.example.invalid").build();

  @Test
  void rotatingTheConnectorPasswordIsRefusedBeforeAnythingWhenItLogsInWithTokens() {
    TokenSource tokens = new TokenSource();
    NoStore store = new NoStore();
    try (ConnectionSource.Pooled pool = ConnectionSource.pooled(tokens)) {
      AccessManager named =
          AccessManager.builder()
              .integration(PROD)
              .connector("grantsmith-mi")
              .connections(pool)
              .build();
      assertThatThrownBy(() -> named.rotateConnectorPassword(store, SecretRef.file("/tmp/none")))
          .isExactlyInstanceOf(GrantsmithException.class)
          .hasMessage(
              "Cannot rotate the password of the connector grantsmith-mi: it logs in with"
                  + " Microsoft Entra tokens (its ConnectionSource logsInWithTokens()) and has no"
                  + " password; nothing was changed");
      AccessManager unnamed = AccessManager.builder().integration(PROD).connections(tokens).build();
      assertThatThrownBy(() -> unnamed.rotateConnectorPassword(store, SecretRef.file("/tmp/none")))
          .hasMessageStartingWith(
              "Cannot rotate the password of the connector of integration orders-prod: it logs in"
                  + " with Microsoft Entra tokens");
    }
    assertThat(tokens.opened).hasValue(0);
    assertThat(store.used).hasValue(0);
  }

  @Test
  void wrappersKeepWhetherASourceLogsInWithTokens() {
    ConnectionSource plain = db -> null;
    ConnectionSource.Timeouts t = ConnectionSource.Timeouts.defaults();
    assertThat(plain.logsInWithTokens()).isFalse();
    assertThat(ConnectionSource.pooled(ConnectionSource.withTimeouts(plain, t)).logsInWithTokens())
        .isFalse();
    TokenSource tokens = new TokenSource();
    assertThat(ConnectionSource.withTimeouts(tokens, t).logsInWithTokens()).isTrue();
    assertThat(ConnectionSource.pooled(ConnectionSource.withTimeouts(tokens, t)).logsInWithTokens())
        .isTrue();
  }

  static Plan plan(String sql) {
    return Plan.builder()
        .addStep(
            Step.builder()
                .database("postgres")
                .description(sql)
                .addStatement(Statement.of("postgres", sql, sql))
                .build())
        .build();
  }

  @Test
  void fixesAreSplitByWhoRunsThem() {
    SetupVerification.Fix admin =
        new SetupVerification.Fix("a", "grant it", plan("GRANT azure_pg_admin TO c"));
    SetupVerification.Fix self =
        new SetupVerification.Fix(
            "b",
            "as c",
            plan("ALTER ROLE c SET createrole_self_grant = 'set, inherit'"),
            SetupVerification.Fix.RunAs.CONNECTOR);
    SetupVerification.Fix portal =
        new SetupVerification.Fix(
            "d",
            "az postgres flexible-server microsoft-entra-admin create",
            Plan.builder().build(),
            SetupVerification.Fix.RunAs.AZURE_ADMINISTRATOR);
    SetupVerification v =
        SetupVerification.builder()
            .connector("c")
            .addAllMissing(java.util.List.of("a", "b", "d"))
            .addFixes(admin, self, portal)
            .build();
    assertThat(admin.runAs()).isEqualTo(SetupVerification.Fix.RunAs.SERVER_ADMIN);
    assertThat(v.fixScript())
        .startsWith("\\set ON_ERROR_STOP on\n")
        .contains("GRANT azure_pg_admin TO c;")
        .doesNotContain("createrole_self_grant");
    assertThat(v.connectorFixScript())
        .startsWith("\\set ON_ERROR_STOP on\n")
        .contains("ALTER ROLE c SET createrole_self_grant = 'set, inherit';")
        .doesNotContain("GRANT");
    assertThat(v.connectorFixPlan().statements()).hasSize(1);
    assertThat(portal.sql()).isEmpty();
    assertThat(self.runAs().label()).isEqualTo("as the connector");
  }
}
