package io.grantsmith.postgres.azure;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Executor;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records plans instead of sending them: every action has a dry run. Thread-safe.
 *
 * <pre>{@code
 * DryRunExecutor dryRun = new DryRunExecutor();
 * manager.withExecutor(dryRun).grant(request);
 * System.out.println(dryRun.script());
 * }</pre>
 */
public final class DryRunExecutor implements Executor {
  private final List<Plan> plans = Collections.synchronizedList(new ArrayList<>());

  /** Creates an executor with nothing recorded. */
  public DryRunExecutor() {}

  @Override
  public ApplyResult apply(Plan plan) {
    plans.add(plan);
    ApplyResult.Builder result = ApplyResult.builder().dryRun(true);
    for (String db : plan.databases()) {
      int n = (int) plan.statements().stream().filter(s -> s.database().equals(db)).count();
      result.addDatabase(
          ApplyResult.DatabaseResult.builder()
              .database(db)
              .statements(n)
              .roundTrips(0)
              .elapsed(Duration.ZERO)
              .build());
    }
    return result.build();
  }

  /**
   * The plans received, in order.
   *
   * @return a copy of the list
   */
  public List<Plan> plans() {
    synchronized (plans) {
      return List.copyOf(plans);
    }
  }

  /**
   * Every statement received, in order.
   *
   * @return the statements
   */
  public List<Statement> statements() {
    List<Statement> out = new ArrayList<>();
    for (Plan p : plans()) {
      out.addAll(p.statements());
    }
    return out;
  }

  /**
   * The recorded plans as one psql script, passwords redacted.
   *
   * @return the script
   */
  public String script() {
    StringBuilder out = new StringBuilder();
    for (Plan p : plans()) {
      out.append(p.toSql());
    }
    return out.toString();
  }
}
