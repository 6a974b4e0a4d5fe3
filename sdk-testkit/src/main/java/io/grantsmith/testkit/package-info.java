/**
 * Grantsmith's testkit: a real PostgreSQL shaped like Azure Database for PostgreSQL for tests.
 *
 * <ul>
 *   <li>{@link io.grantsmith.testkit.AzurePostgres}: a running test server (embedded, Docker or
 *       external), shared per JVM and version; {@link io.grantsmith.testkit.PostgresVersion} lists
 *       the versions.
 *   <li>{@link io.grantsmith.testkit.AzurePostgresTest}: JUnit 5 server tests run once per version
 *       with a fresh database.
 *   <li>{@link io.grantsmith.testkit.GrantsmithAssertions}: fluent assertions that log in as a user
 *       and try for real.
 *   <li>{@link io.grantsmith.testkit.Estate}: fast creation of databases, schemas and tables.
 *   <li>{@link io.grantsmith.testkit.GrantsmithArbitraries}: jqwik generators; the only class that
 *       needs jqwik, an optional dependency that its users add themselves.
 * </ul>
 *
 * <p>Testcontainers is optional too: {@link io.grantsmith.testkit.AzurePostgresContainer} and the
 * Docker server need {@code org.testcontainers:testcontainers-postgresql} on the test class path.
 */
package io.grantsmith.testkit;
