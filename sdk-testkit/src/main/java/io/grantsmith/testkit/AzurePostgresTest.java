package io.grantsmith.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a server test: it runs once per PostgreSQL major version, each time against that version's
 * shared {@link AzurePostgres}, and shows the version in its name, such as {@code [PostgreSQL 17]}.
 *
 * <p>The versions are the annotation's {@link #versions()} if given, else the system property
 * {@code grantsmith.pg.versions} (a comma list such as {@code 13,14,15,16,17,18}), else 17. The
 * test method may declare parameters of type {@link AzurePostgres} (the shared server), {@link
 * TestDatabase} (a fresh database for this invocation) and {@link java.sql.Connection} (an admin
 * connection to that database, closed after the test).
 *
 * <pre>{@code
 * @AzurePostgresTest
 * void adminIsNotSuperuser(AzurePostgres server, Connection admin) throws SQLException {
 *     assertThat(server).role(server.adminUser()).exists();
 * }
 * }</pre>
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(AzurePostgresExtension.class)
public @interface AzurePostgresTest {

  /**
   * Major versions to run on; empty (the default) means the configured versions.
   *
   * @return the major versions, such as {@code {13, 18}}
   */
  int[] versions() default {};
}
