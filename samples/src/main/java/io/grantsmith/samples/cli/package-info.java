/**
 * The {@code grantsmith} command-line tool: print the connector setup SQL, verify it, discover,
 * plan, grant, extend, revoke and sweep against an Azure Database for PostgreSQL server, and {@code
 * demo}, the quickstart against an embedded server. Run it with {@code ./grantsmith}.
 */
package io.grantsmith.samples.cli;
