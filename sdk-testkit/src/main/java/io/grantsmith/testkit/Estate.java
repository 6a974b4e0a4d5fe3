package io.grantsmith.testkit;

import io.grantsmith.testkit.internal.AbstractServer;
import io.grantsmith.testkit.internal.Identifiers;
import io.grantsmith.testkit.internal.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A set of databases, schemas, tables, views, sequences and functions created by the server admin
 * for tests and benchmarks, and the description of what was created.
 *
 * <p>Creation is fast: each database gets one round trip per chunk of about 1,000 objects, each
 * chunk in its own transaction.
 *
 * <pre>{@code
 * Estate estate = Estate.builder()
 *         .databases(1).schemas(200).tables(25)    // 5,000 tables
 *         .views(1).sequences(1).functions(1)      // per schema
 *         .hostileNames(true)                      // plus names that need quoting
 *         .create(server);
 * String db = estate.databases().get(0).name();
 * }</pre>
 */
public final class Estate {
  /**
   * Names that need quoting: quotes, double quotes, spaces, a semicolon, {@code $$}, a backslash,
   * comment markers, upper case, a keyword, non-ASCII letters, and two 63-byte names (ASCII and
   * three-byte letters).
   */
  public static final List<String> HOSTILE_NAMES =
      List.of(
          "it's",
          "say \"hi\"",
          "with space",
          "semi;colon",
          "dollar$$quote",
          "back\\slash",
          "dash--comment",
          "slash/*comment*/",
          "MixedCase",
          "select",
          "Ünïcödé_日本",
          "a".repeat(Identifiers.MAX_BYTES),
          "日".repeat(Identifiers.MAX_BYTES / 3));

  private final List<Database> databases;

  private Estate(List<Database> databases) {
    this.databases = List.copyOf(databases);
  }

  /**
   * Starts describing an estate: by default one new database with one schema of one table.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the databases of the estate, in creation order.
   *
   * @return the databases
   */
  public List<Database> databases() {
    return databases;
  }

  /**
   * Returns the database with the given name.
   *
   * @param name the database name
   * @return the database
   * @throws IllegalArgumentException if the estate has no such database
   */
  public Database database(String name) {
    return databases.stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No database " + name + " in the estate"));
  }

  /**
   * Returns the number of tables in all databases.
   *
   * @return the table count
   */
  public int tableCount() {
    return databases.stream().mapToInt(d -> d.tables().size()).sum();
  }

  @Override
  public String toString() {
    return "Estate"
        + databases.stream()
            .map(
                d ->
                    d.name()
                        + ": "
                        + d.schemas().size()
                        + " schemas, "
                        + d.tables().size()
                        + " tables")
            .collect(Collectors.toList());
  }

  /**
   * One database of the estate and what was created in it.
   *
   * @param name the database name, verbatim
   * @param schemas the schema names created, verbatim
   * @param tables the tables created
   * @param views the views created
   * @param sequences the sequences created
   * @param functions the functions created
   */
  public record Database(
      String name,
      List<String> schemas,
      List<Relation> tables,
      List<Relation> views,
      List<Relation> sequences,
      List<Function> functions) {
    /**
     * Creates the description, copying the lists.
     *
     * @param name the database name
     * @param schemas the schema names
     * @param tables the tables
     * @param views the views
     * @param sequences the sequences
     * @param functions the functions
     */
    public Database {
      schemas = List.copyOf(schemas);
      tables = List.copyOf(tables);
      views = List.copyOf(views);
      sequences = List.copyOf(sequences);
      functions = List.copyOf(functions);
    }
  }

  /**
   * A table, view or sequence.
   *
   * @param schema the schema name, verbatim
   * @param name the object name, verbatim
   */
  public record Relation(String schema, String name) {
    /**
     * Returns the name as SQL, each part quoted where needed, such as {@code app."Order"}.
     *
     * @return the qualified name for SQL
     */
    public String sql() {
      return Identifiers.qualified(schema, name);
    }
  }

  /**
   * A function.
   *
   * @param schema the schema name, verbatim
   * @param name the function name, verbatim
   * @param argumentTypes the argument types, in SQL
   */
  public record Function(String schema, String name, List<String> argumentTypes) {
    /**
     * Creates the description, copying the list.
     *
     * @param schema the schema name
     * @param name the function name
     * @param argumentTypes the argument types
     */
    public Function {
      argumentTypes = List.copyOf(argumentTypes);
    }

    /**
     * Returns the signature as SQL, such as {@code app.total(integer)}, for GRANT and REVOKE.
     *
     * @return the signature
     */
    public String signature() {
      return Identifiers.qualified(schema, name) + "(" + String.join(", ", argumentTypes) + ")";
    }
  }

  /** Describes the estate to create; every count is per database or per schema as named. */
  public static final class Builder {
    private int databases = 1;
    private final List<String> existingDatabases = new ArrayList<>();
    private int schemas = 1;
    private int tables = 1;
    private int views;
    private int sequences;
    private int functions;
    private boolean hostileNames;
    private String prefix = "estate";
    private int chunkSize = 1000;

    private Builder() {}

    /**
     * Sets how many new databases to create (default 1). Ignored when {@link #inDatabase(String)}
     * is used.
     *
     * @param count the number of databases, at least 1
     * @return this builder
     */
    public Builder databases(int count) {
      this.databases = positive(count, "databases");
      return this;
    }

    /**
     * Builds the estate in an existing database instead of new ones; may be called several times.
     *
     * @param name an existing database the admin may create schemas in
     * @return this builder
     */
    public Builder inDatabase(String name) {
      existingDatabases.add(Objects.requireNonNull(name, "name"));
      return this;
    }

    /**
     * Sets the number of schemas per database (default 1).
     *
     * @param count the number of schemas
     * @return this builder
     */
    public Builder schemas(int count) {
      this.schemas = notNegative(count, "schemas");
      return this;
    }

    /**
     * Sets the number of tables per schema (default 1).
     *
     * @param count the number of tables
     * @return this builder
     */
    public Builder tables(int count) {
      this.tables = notNegative(count, "tables");
      return this;
    }

    /**
     * Sets the number of views per schema (default 0).
     *
     * @param count the number of views
     * @return this builder
     */
    public Builder views(int count) {
      this.views = notNegative(count, "views");
      return this;
    }

    /**
     * Sets the number of sequences per schema (default 0).
     *
     * @param count the number of sequences
     * @return this builder
     */
    public Builder sequences(int count) {
      this.sequences = notNegative(count, "sequences");
      return this;
    }

    /**
     * Sets the number of functions per schema (default 0), each {@code fn_N(integer)}.
     *
     * @param count the number of functions
     * @return this builder
     */
    public Builder functions(int count) {
      this.functions = notNegative(count, "functions");
      return this;
    }

    /**
     * Adds, in each database, schemas named after {@link #HOSTILE_NAMES} holding a table, a view, a
     * sequence and a function named after each of them (default off).
     *
     * @param enabled whether to add hostile names
     * @return this builder
     */
    public Builder hostileNames(boolean enabled) {
      this.hostileNames = enabled;
      return this;
    }

    /**
     * Sets the prefix of new database names (default {@code estate}); a unique suffix is added.
     *
     * @param prefix the prefix
     * @return this builder
     */
    public Builder databasePrefix(String prefix) {
      this.prefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Sets how many objects are created per transaction (default 1,000). Much larger chunks can
     * exhaust the server's lock table.
     *
     * @param objects objects per transaction, at least 1
     * @return this builder
     */
    public Builder chunkSize(int objects) {
      this.chunkSize = positive(objects, "chunkSize");
      return this;
    }

    /**
     * Creates the estate on a server as its admin, who owns everything created.
     *
     * @param server the server
     * @return the description of what was created
     * @throws IllegalStateException if a statement fails; the message quotes it and its SQLSTATE
     */
    public Estate create(AzurePostgres server) {
      List<String> names = new ArrayList<>(existingDatabases);
      if (names.isEmpty()) {
        String base = prefix + "_" + AbstractServer.randomHex(3);
        for (int i = 1; i <= databases; i++) {
          names.add(base + "_" + i);
        }
        for (String name : names) {
          server.createDatabase(name);
        }
      }
      List<Database> created = new ArrayList<>();
      for (String name : names) {
        created.add(populate(server, name));
      }
      return new Estate(created);
    }

    private Database populate(AzurePostgres server, String database) {
      List<String> schemaNames = new ArrayList<>();
      List<Relation> tableList = new ArrayList<>();
      List<Relation> viewList = new ArrayList<>();
      List<Relation> sequenceList = new ArrayList<>();
      List<Function> functionList = new ArrayList<>();
      List<String> statements = new ArrayList<>();
      for (int s = 1; s <= schemas; s++) {
        String schema = "s" + s;
        schemaNames.add(schema);
        statements.add("CREATE SCHEMA " + Identifiers.quote(schema));
        for (int t = 1; t <= tables; t++) {
          tableList.add(table(statements, schema, "t" + t));
        }
        for (int v = 1; v <= views; v++) {
          viewList.add(
              view(statements, schema, "v" + v, tables > 0 ? new Relation(schema, "t1") : null));
        }
        for (int q = 1; q <= sequences; q++) {
          sequenceList.add(sequence(statements, schema, "seq" + q));
        }
        for (int f = 1; f <= functions; f++) {
          functionList.add(function(statements, schema, "fn" + f, f));
        }
      }
      if (hostileNames) {
        int n = 0;
        for (String schema : HOSTILE_NAMES) {
          schemaNames.add(schema);
          statements.add("CREATE SCHEMA " + Identifiers.quote(schema));
          for (String name : HOSTILE_NAMES) {
            Relation table = table(statements, schema, name);
            tableList.add(table);
            viewList.add(view(statements, schema, fit("v ", name), table));
            sequenceList.add(sequence(statements, schema, fit("seq ", name)));
            functionList.add(function(statements, schema, fit("fn ", name), ++n));
          }
        }
      }
      execute(server, database, statements);
      return new Database(database, schemaNames, tableList, viewList, sequenceList, functionList);
    }

    /**
     * Prefix + name, shortened by whole characters to fit in 63 bytes (PostgreSQL would cut it).
     */
    private static String fit(String prefix, String name) {
      String result = prefix + name;
      while (Identifiers.utf8Length(result) > Identifiers.MAX_BYTES) {
        result = result.substring(0, result.offsetByCodePoints(result.length(), -1));
      }
      return result;
    }

    private static Relation table(List<String> out, String schema, String name) {
      Relation r = new Relation(schema, name);
      out.add("CREATE TABLE " + r.sql() + " (id bigint, note text)");
      return r;
    }

    private static Relation view(List<String> out, String schema, String name, Relation over) {
      Relation r = new Relation(schema, name);
      out.add(
          "CREATE VIEW "
              + r.sql()
              + " AS "
              + (over == null ? "SELECT 1 AS one" : "SELECT id, note FROM " + over.sql()));
      return r;
    }

    private static Relation sequence(List<String> out, String schema, String name) {
      Relation r = new Relation(schema, name);
      out.add("CREATE SEQUENCE " + r.sql());
      return r;
    }

    private static Function function(List<String> out, String schema, String name, int n) {
      Function f = new Function(schema, name, List.of("integer"));
      out.add(
          "CREATE FUNCTION "
              + f.signature()
              + " RETURNS integer LANGUAGE sql IMMUTABLE AS"
              + " $gs$SELECT $1 + "
              + n
              + "$gs$");
      return f;
    }

    private void execute(AzurePostgres server, String database, List<String> statements) {
      try (Connection c = server.adminConnection(database)) {
        c.setAutoCommit(false);
        for (int from = 0; from < statements.size(); from += chunkSize) {
          List<String> chunk =
              statements.subList(from, Math.min(statements.size(), from + chunkSize));
          String sql = String.join(";\n", chunk);
          try (var s = c.createStatement()) {
            s.execute(sql);
            c.commit();
          } catch (SQLException e) {
            c.rollback();
            String first = chunk.get(0);
            throw new IllegalStateException(
                Sql.describe(
                    "Cannot create the estate in database "
                        + database
                        + " (chunk starting at statement "
                        + (from + 1)
                        + ")",
                    first
                        + (chunk.size() > 1
                            ? ";\n... " + (chunk.size() - 1) + " more statements"
                            : ""),
                    e),
                e);
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException(
            "Cannot log in as the admin to database "
                + database
                + ": SQLSTATE "
                + e.getSQLState()
                + " ("
                + Sql.firstLine(e.getMessage())
                + ")",
            e);
      }
    }

    private static int positive(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be at least 1 but was " + n);
      }
      return n;
    }

    private static int notNegative(int n, String what) {
      if (n < 0) {
        throw new IllegalArgumentException(what + " must not be negative but was " + n);
      }
      return n;
    }
  }
}
