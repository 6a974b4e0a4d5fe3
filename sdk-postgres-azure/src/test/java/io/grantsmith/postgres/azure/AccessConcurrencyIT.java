package io.grantsmith.postgres.azure;

import static io.grantsmith.postgres.azure.AccessFixtures.estate;
import static io.grantsmith.postgres.azure.AccessFixtures.findings;
import static io.grantsmith.postgres.azure.AccessFixtures.integration;
import static io.grantsmith.postgres.azure.AccessFixtures.request;
import static io.grantsmith.testkit.GrantsmithAssertions.assertThat;

import io.grantsmith.api.AccessLevel;
import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Integration;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.testkit.AzurePostgres;
import io.grantsmith.testkit.AzurePostgresTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 16 threads grant, extend and revoke for 4 overlapping grantees on 4 tables in 2 databases at
 * once: no call fails, and each grantee ends as its last applied change says.
 */
class AccessConcurrencyIT {
  private static final String[] GRANTEES = {"ann", "ben", "cat", "dan"};

  /** One applied change: which grantee, what, which table, and in which order. */
  record Applied(long seq, String grantee, String op, String db, String table, String password) {}

  private static final ThreadLocal<String[]> INTENT = new ThreadLocal<>();

  @AzurePostgresTest
  void mixedOperationsFromSixteenThreads(AzurePostgres server) throws Exception {
    String db1 = server.createDatabase();
    String db2 = server.createDatabase();
    for (String db : new String[] {db1, db2}) {
      estate(server, db);
      try (var c = server.adminConnection(db);
          var st = c.createStatement()) {
        st.execute("CREATE TABLE app.u (x int)");
      }
    }
    TestConnector tc = AccessFixtures.connector(server, db1, db2);
    Integration integration = integration(tc, 1);
    AtomicLong seq = new AtomicLong();
    Map<String, List<Applied>> applied = new ConcurrentHashMap<>();
    JdbcExecutor jdbc = tc.executor();
    // Plans of one user are applied under the manager's lock for that user, so the order in
    // which they are recorded here is the order they took effect.
    Executor recording =
        plan -> {
          ApplyResult r = jdbc.apply(plan);
          String[] i = INTENT.get();
          applied
              .computeIfAbsent(i[0], k -> Collections.synchronizedList(new ArrayList<>()))
              .add(new Applied(seq.incrementAndGet(), i[0], i[1], i[2], i[3], null));
          return r;
        };
    AccessManager manager =
        AccessManager.builder()
            .integration(integration)
            .credentials(tc.credentials())
            .executor(recording)
            .build();
    String[][] tables = {{db1, "t"}, {db1, "u"}, {db2, "t"}, {db2, "u"}};
    Map<String, List<Applied>> passwords = new ConcurrentHashMap<>();
    List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      long seed = t;
      futures.add(
          pool.submit(
              () -> {
                Random rnd = new Random(seed);
                for (int i = 0; i < 6; i++) {
                  String grantee = GRANTEES[rnd.nextInt(GRANTEES.length)];
                  String user = AccessManager.userName(integration.name(), grantee);
                  int op = rnd.nextInt(10);
                  try {
                    if (op < 6) {
                      String[] tb = tables[rnd.nextInt(tables.length)];
                      INTENT.set(new String[] {grantee, "grant", tb[0], tb[1]});
                      AccessGrant g =
                          manager.grant(
                              request(
                                  integration,
                                  grantee,
                                  AccessLevel.READ_ONLY,
                                  Duration.ofHours(1),
                                  ResourceRef.relation(tb[0], "app", tb[1])));
                      g.password()
                          .ifPresent(
                              p ->
                                  passwords
                                      .computeIfAbsent(
                                          grantee,
                                          k -> Collections.synchronizedList(new ArrayList<>()))
                                      .add(
                                          new Applied(
                                              lastSeq(applied, grantee),
                                              grantee,
                                              "pw",
                                              null,
                                              null,
                                              p.reveal())));
                    } else if (op < 8) {
                      INTENT.set(new String[] {grantee, "extend", null, null});
                      manager.extend(user, Duration.ofMinutes(10));
                    } else {
                      INTENT.set(new String[] {grantee, "revoke", null, null});
                      manager.revoke(user);
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(errors).isEmpty();

    for (String grantee : GRANTEES) {
      List<Applied> log = applied.getOrDefault(grantee, List.of());
      if (log.isEmpty()) {
        continue;
      }
      String user = AccessManager.userName(integration.name(), grantee);
      List<Applied> sorted = new ArrayList<>(log);
      sorted.sort((a, b) -> Long.compare(a.seq(), b.seq()));
      long lastRevoke =
          sorted.stream()
              .filter(a -> a.op().equals("revoke"))
              .mapToLong(Applied::seq)
              .max()
              .orElse(0);
      Applied last = sorted.get(sorted.size() - 1);
      if (last.op().equals("revoke")) {
        assertThat(server).role(user).hasLoginDisabled();
        assertThat(findings(server, db1, user)).isEmpty();
        assertThat(findings(server, db2, user)).isEmpty();
        continue;
      }
      // Active: the password of the latest grant that handed one out works, and exactly the
      // tables granted since the last revocation are readable.
      String pw =
          passwords.get(grantee).stream()
              .max((a, b) -> Long.compare(a.seq(), b.seq()))
              .orElseThrow()
              .password();
      for (String[] tb : tables) {
        boolean granted =
            sorted.stream()
                .anyMatch(
                    a ->
                        a.op().equals("grant")
                            && a.seq() > lastRevoke
                            && a.db().equals(tb[0])
                            && a.table().equals(tb[1]));
        if (granted) {
          assertThat(server).user(user, pw).canSelectFrom(tb[0], "app." + tb[1]);
        } else {
          assertThat(server).user(user, pw).canLogin(tb[0]);
          assertThat(server).user(user, pw).cannotSelectFrom(tb[0], "app." + tb[1]);
        }
      }
    }
  }

  private static long lastSeq(Map<String, List<Applied>> applied, String grantee) {
    return applied.getOrDefault(grantee, List.of()).stream()
        .filter(a -> a.op().equals("grant"))
        .mapToLong(Applied::seq)
        .max()
        .orElse(0);
  }
}
