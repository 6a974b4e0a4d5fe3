package io.grantsmith.postgres.azure;

import io.grantsmith.api.AccessRequest;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.ResourceKind;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.postgres.azure.internal.LifecycleQueries;
import io.grantsmith.postgres.azure.internal.SetupSql;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Whether the connector setup covers the databases a request touches. */
final class SetupCoverage {
  private SetupCoverage() {}

  /**
   * Refuses, before anything changes, a request that touches a database the connector setup does
   * not cover (one created after it): the server says the connector cannot grant CONNECT there. The
   * message names the databases and the command that sets them up.
   */
  static void require(ManagerRuntime rt, AccessRequest request, List<String> connectable) {
    Set<String> touched = new TreeSet<>();
    for (ResourceRef r : request.resources()) {
      if (r.kind() == ResourceKind.SERVER) {
        touched.addAll(connectable);
      } else {
        r.database().ifPresent(touched::add);
      }
    }
    if (touched.isEmpty()) {
      return;
    }
    List<String> notSetUp =
        rt.query(
            rt.shared(),
            LifecycleQueries.NOT_SET_UP,
            "check that the connector setup covers " + touched,
            rs -> rs.getString(1),
            (Object) touched.toArray(String[]::new));
    if (notSetUp.isEmpty()) {
      return;
    }
    ResourceRef first =
        request.resources().stream()
            .filter(
                r ->
                    r.kind() == ResourceKind.SERVER
                        || r.database().filter(notSetUp::contains).isPresent())
            .findFirst()
            .orElseThrow();
    throw new InvalidValueException(
        "AccessRequest.resources",
        "must name databases the"
            + " connector setup covers: "
            + (notSetUp.size() == 1 ? "database " : "databases ")
            + notSetUp.stream()
                .map(d -> d.matches("[A-Za-z0-9_]+") ? d : InvalidValueException.describe(d))
                .collect(Collectors.joining(", "))
            + (notSetUp.size() == 1 ? " was" : " were")
            + " created after the connector setup (the connector cannot grant CONNECT there);"
            + " run `"
            + SetupSql.setupCommand(notSetUp)
            + "` as the server admin"
            + " (ConnectorSetup.scriptFor or planFor in Java)",
        first);
  }
}
