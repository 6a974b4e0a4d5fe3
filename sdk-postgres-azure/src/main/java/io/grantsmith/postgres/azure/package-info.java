/**
 * Grantsmith for Azure Database for PostgreSQL (Flexible Server): the connector's setup ({@link
 * io.grantsmith.postgres.azure.ConnectorSetup}) and its verification, discovery of databases,
 * schemas, objects and roles ({@link io.grantsmith.postgres.azure.Discovery}), and the executors
 * that apply {@link io.grantsmith.api.Plan}s over JDBC or record them for a dry run.
 *
 * <p>Values returned here are immutable and built with {@code X.builder()}, like those of {@code
 * io.grantsmith.api}. Everything in {@code io.grantsmith.postgres.azure.internal} is an
 * implementation detail and may change without notice.
 */
@io.grantsmith.api.GrantsmithStyle
package io.grantsmith.postgres.azure;
