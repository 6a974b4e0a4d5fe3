package com.example.orders;

import io.grantsmith.api.ApplyResult;
import io.grantsmith.api.Credentials;
import io.grantsmith.api.DesiredState;
import io.grantsmith.api.Grant;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Plan;
import io.grantsmith.api.Privilege;
import io.grantsmith.api.ResourceRef;
import io.grantsmith.api.RoleSpec;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.JdbcExecutor;
import io.grantsmith.postgres.azure.LoggingExecutor;
import io.grantsmith.postgres.azure.Planner;
import io.grantsmith.postgres.azure.PostgresCatalogReader;
import java.util.List;

/** The README's plan example: a desired state, its plan printed as SQL, then applied. */
public final class PlanPreview {

  private PlanPreview() {}

  /**
   * Prints the plan, then applies it.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    // tag::plan[]
    Integration prod =
        Integration.builder()
            .name("orders-prod")
            .hostname("orders-prod.postgres.database.azure.com")
            .build();
    Credentials connectorCredentials =
        Credentials.of("grantsmith_connector", Secret.of(System.getenv("GRANTSMITH_PASSWORD")));
    ConnectionSource connector = ConnectionSource.of(prod, connectorCredentials);
    PostgresCatalogReader reader = new PostgresCatalogReader(connector);
    DesiredState desired =
        DesiredState.builder()
            .addRole(RoleSpec.builder().name("reporting").build())
            .addGrant(
                Grant.builder()
                    .grantee("reporting")
                    .resource(ResourceRef.relation("orders", "sales", "invoices"))
                    .addPrivilege(Privilege.SELECT)
                    .build())
            .build();
    Plan plan =
        Planner.builder()
            .sharedDatabase(prod.database())
            .build()
            .plan(desired, List.of(reader.read("postgres"), reader.read("orders")));
    System.out.print(plan.toSql()); // the dry run: a psql script, passwords masked
    ApplyResult result =
        new LoggingExecutor(JdbcExecutor.builder().connections(connector).build())
            .apply(plan); // one transaction per database, few round trips
    // end::plan[]
    System.out.println(result);
  }
}
