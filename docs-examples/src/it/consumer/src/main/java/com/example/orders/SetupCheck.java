package com.example.orders;

import io.grantsmith.api.Credentials;
import io.grantsmith.api.Integration;
import io.grantsmith.api.Secret;
import io.grantsmith.postgres.azure.ConnectionSource;
import io.grantsmith.postgres.azure.ConnectorSetup;
import io.grantsmith.postgres.azure.SetupVerification;

/** The README's setup check: what the connector still lacks, and the script that closes it. */
public final class SetupCheck {

  private SetupCheck() {}

  /**
   * Prints the setup script, then what the connector lacks.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    // tag::verify[]
    Integration prod =
        Integration.builder()
            .name("orders-prod")
            .hostname("orders-prod.postgres.database.azure.com")
            .build();
    ConnectorSetup setup = ConnectorSetup.builder().majorVersion(17).build();
    System.out.print(setup.script()); // for the admin, to run in psql
    Secret connectorPassword = Secret.of(System.getenv("GRANTSMITH_PASSWORD"));
    ConnectionSource connector =
        ConnectionSource.of(prod, Credentials.of(setup.connectorName(), connectorPassword));
    SetupVerification verification = setup.verify(connector); // logs in as the connector
    if (!verification.isOk()) {
      verification.missing().forEach(System.out::println); // in plain words
      System.out.print(verification.fixScript()); // for the admin, to run in psql
      System.out.print(verification.connectorFixScript()); // for the connector itself
    }
    // end::verify[]
  }
}
