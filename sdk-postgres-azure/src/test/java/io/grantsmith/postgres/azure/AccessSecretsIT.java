package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThatThrownBy;
import static io.grantsmith.testkit.GrantsmithAssertions.catchThrowableOfType;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.GrantsmithException;
import io.grantsmith.api.Integration;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.Plan;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.Secret;
import io.grantsmith.api.SecretRef;
import io.grantsmith.api.SecretStore;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** No generated password in logs, exception messages, toString or plans; rotation is safe. */
class AccessSecretsIT {

  @AzurePostgresTest
  void passwordsNeverLeak(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    estate(server, db);
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration =
        Integration.builder().from(integration(tc, 1)).credentialRotationDays(1).build();
    List<Secret> generated = new CopyOnWriteArrayList<>();
    SecurePasswordGenerator gen = new SecurePasswordGenerator();
    AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .executor(new LoggingExecutor(tc.executor()))
            .passwordGenerator(
                () -> {
                  Secret s = gen.generate();
                  generated.add(s);
                  return s;
                })
            .build();
    List<String> texts = new ArrayList<>();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      AccessRequest req =
          request(
              integration,
              "dora",
              AccessLevel.READ_WRITE,
              Duration.ofDays(3),
              ResourceRef.relation(db, "app", "t"));
      Plan planned = manager.planGrant(req);
      texts.add(planned.toSql());
      texts.add(planned.toString());
      planned.statements().forEach(s -> texts.add(s.toString()));
      AccessGrant g = manager.grant(req);
      texts.add(g.toString());
      texts.add(g.jdbcUrl());
      texts.add(g.connectionString());
      // A rotation (the lease's passwordSetAt is older than a day) and a dry run of it.
      AccessManager later =
          AccessManager.builder()
              .integration(integration)
              .credentials(tc.credentials())
              .executor(new LoggingExecutor(tc.executor()))
              .clock(AccessFixtures.offset(Duration.ofDays(2).minusMinutes(1)))
              .passwordGenerator(
                  () -> {
                    Secret s = gen.generate();
                    generated.add(s);
                    return s;
                  })
              .build();
      DryRunExecutor dry = new DryRunExecutor();
      later.withExecutor(dry).grant(req);
      texts.add(dry.script());
      AccessGrant rotated = later.grant(req);
      assertThat(rotated.password()).isPresent();
      texts.add(rotated.toString());
      // Failures: an unknown object, and a role that is not managed.
      ResourceRef missing = ResourceRef.relation(db, "app", "missing");
      InvalidValueException unknown =
          catchThrowableOfType(
              InvalidValueException.class,
              () ->
                  manager.grant(
                      request(
                          integration,
                          "dora",
                          AccessLevel.READ_ONLY,
                          Duration.ofHours(1),
                          missing)));
      assertThat(unknown)
          .as("a grant of a table that does not exist")
          .isNotNull()
          .isExactlyInstanceOf(InvalidValueException.class);
      assertThat(unknown.field()).isEqualTo("AccessRequest.resources");
      texts.add(String.valueOf(unknown));
      GrantsmithException unmanaged =
          catchThrowableOfType(GrantsmithException.class, () -> manager.revoke(tc.name));
      assertThat(unmanaged)
          .as("a revoke of the connector, a role Grantsmith does not manage")
          .isNotNull()
          .isExactlyInstanceOf(GrantsmithException.class);
      texts.add(String.valueOf(unmanaged));
      assertThat(server).user(tc.name, tc.password.reveal()).canLogin("postgres");
      texts.add(manager.planRevoke(g.username()).toSql());
      manager.revoke(g.username());
    } finally {
      System.setErr(err);
    }
    texts.add(captured.toString(StandardCharsets.UTF_8));
    assertThat(generated).hasSizeGreaterThanOrEqualTo(3);
    for (Secret s : generated) {
      assertThat(s.reveal()).hasSize(32).matches("[A-Za-z0-9]{32}");
      for (String text : texts) {
        assertThat(text).doesNotContain(s.reveal());
      }
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Applying");
  }

  /** A store in memory that can be told to fail. */
  static final class MemoryStore implements SecretStore {
    final AtomicReference<Credentials> value;
    volatile boolean failStore;

    MemoryStore(Credentials initial) {
      value = new AtomicReference<>(initial);
    }

    @Override
    public Credentials load(SecretRef ref) {
      return value.get();
    }

    @Override
    public void store(SecretRef ref, Credentials credentials) {
      if (failStore) {
        throw new IllegalStateException("vault unavailable");
      }
      value.set(credentials);
    }
  }

  @AzurePostgresTest
  void connectorRotationNeverLosesAWorkingCredential(AzurePostgres server) throws Exception {
    String db = server.createDatabase();
    TestConnector tc = AccessFixtures.connector(server, db);
    Integration integration = integration(tc, 1);
    MemoryStore store = new MemoryStore(tc.credentials());
    SecretRef ref = SecretRef.environment("GRANTSMITH_TEST");
    AccessManager manager =
        AccessManager.builder().integration(integration).credentials(tc.credentials()).build();

    // A failing store: the store's own exception comes out, the old password is put back and
    // still works.
    store.failStore = true;
    assertThatThrownBy(() -> manager.rotateConnectorPassword(store, ref))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("vault unavailable");
    assertThat(store.value.get()).isEqualTo(tc.credentials());
    assertThat(server).user(tc.name, tc.password.reveal()).canLogin("postgres");

    // A working store: the new password is stored and works, the old one does not.
    store.failStore = false;
    Credentials next = manager.rotateConnectorPassword(store, ref);
    assertThat(store.value.get()).isEqualTo(next);
    assertThat(server).user(tc.name, next.password().reveal()).canLogin("postgres");
    assertThat(server).user(tc.name, tc.password.reveal()).cannotLogin("postgres");
    assertThat(next.toString()).doesNotContain(next.password().reveal());
    // The manager goes on with the new password (the old one is refused, see above): it grants,
    // reads the lease back and revokes.
    AccessGrant after =
        manager.grant(
            request(
                integration,
                "after-rotation",
                AccessLevel.READ_ONLY,
                Duration.ofHours(1),
                ResourceRef.database(db)));
    assertThat(manager.lease(after.username()))
        .get()
        .extracting(io.grantsmith.api.Lease::grantee)
        .isEqualTo("after-rotation");
    assertThat(server).user(after.username(), after.password().orElseThrow().reveal()).canLogin(db);
    assertThat(manager.revoke(after.username()).databases()).isNotEmpty();
    assertThat(server)
        .user(after.username(), after.password().orElseThrow().reveal())
        .cannotLogin(db);
    assertThat(manager.revoke("gs_nobody_00000000").databases()).isEmpty();
    // A dry-run rotation changes nothing and returns the current credentials.
    assertThat(manager.withExecutor(new DryRunExecutor()).rotateConnectorPassword(store, ref))
        .isEqualTo(next);
    assertThat(store.value.get()).isEqualTo(next);
    assertThat(server).user(tc.name, next.password().reveal()).canLogin("postgres");
  }
}
