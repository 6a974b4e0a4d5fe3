package io.grantsmith.samples.cli;

/** Flows files for the CLI tests. */
final class FlowsFiles {
  private FlowsFiles() {}

  /**
   * One flow of the integration {@code cli}: the support group (Alice, Carol) may read tables of
   * {@code DB/sales} for up to an hour, approved by Bob, with a justification.
   *
   * @param db the database
   * @return the JSON text
   */
  static String salesRead(String db) {
    return """
        {
          "version": 1,
          "flows": [
            {
              "name": "sales-read",
              "integration": "cli",
              "requesters": ["support"],
              "resources": ["%s/sales/*"],
              "maxLevel": "read-only",
              "maxDuration": "PT1H",
              "approval": {"anyOf": ["identity:bob@example.com"]},
              "justificationRequired": true
            }
          ],
          "groups": {"support": ["alice@example.com", "carol@example.com"]}
        }
        """
        .formatted(db);
  }
}
