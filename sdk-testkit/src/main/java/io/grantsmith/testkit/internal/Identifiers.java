package io.grantsmith.testkit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Quoting of PostgreSQL identifiers and literals, and parsing of qualified names. */
public final class Identifiers {
  /** Longest identifier PostgreSQL keeps, in bytes (NAMEDATALEN - 1). */
  public static final int MAX_BYTES = 63;

  /**
   * Keywords PostgreSQL's {@code quote_ident} quotes: every keyword that is not unreserved
   * (reserved, column-name and type/function-name keywords), as the union over versions 13 to 18. A
   * word reserved only in a newer version is quoted on older ones too, which is harmless.
   */
  static final Set<String> QUOTED_KEYWORDS =
      Set.of(
          // reserved
          "all",
          "analyse",
          "analyze",
          "and",
          "any",
          "array",
          "as",
          "asc",
          "asymmetric",
          "both",
          "case",
          "cast",
          "check",
          "collate",
          "column",
          "constraint",
          "create",
          "current_catalog",
          "current_date",
          "current_role",
          "current_time",
          "current_timestamp",
          "current_user",
          "default",
          "deferrable",
          "desc",
          "distinct",
          "do",
          "else",
          "end",
          "except",
          "false",
          "fetch",
          "for",
          "foreign",
          "from",
          "grant",
          "group",
          "having",
          "in",
          "initially",
          "intersect",
          "into",
          "lateral",
          "leading",
          "limit",
          "localtime",
          "localtimestamp",
          "not",
          "null",
          "offset",
          "on",
          "only",
          "or",
          "order",
          "placing",
          "primary",
          "references",
          "returning",
          "select",
          "session_user",
          "some",
          "symmetric",
          "system_user",
          "table",
          "then",
          "to",
          "trailing",
          "true",
          "union",
          "unique",
          "user",
          "using",
          "variadic",
          "when",
          "where",
          "window",
          "with",
          // type or function name
          "authorization",
          "binary",
          "collation",
          "concurrently",
          "cross",
          "current_schema",
          "freeze",
          "full",
          "ilike",
          "inner",
          "is",
          "isnull",
          "join",
          "left",
          "like",
          "natural",
          "notnull",
          "outer",
          "overlaps",
          "right",
          "similar",
          "tablesample",
          "verbose",
          // column name
          "between",
          "bigint",
          "bit",
          "boolean",
          "char",
          "character",
          "coalesce",
          "dec",
          "decimal",
          "exists",
          "extract",
          "float",
          "greatest",
          "grouping",
          "inout",
          "int",
          "integer",
          "interval",
          "json",
          "json_array",
          "json_arrayagg",
          "json_exists",
          "json_object",
          "json_objectagg",
          "json_query",
          "json_scalar",
          "json_serialize",
          "json_table",
          "json_value",
          "least",
          "merge_action",
          "national",
          "nchar",
          "none",
          "normalize",
          "nullif",
          "numeric",
          "out",
          "overlay",
          "position",
          "precision",
          "real",
          "row",
          "setof",
          "smallint",
          "substring",
          "time",
          "timestamp",
          "treat",
          "trim",
          "values",
          "varchar",
          "xmlattributes",
          "xmlconcat",
          "xmlelement",
          "xmlexists",
          "xmlforest",
          "xmlnamespaces",
          "xmlparse",
          "xmlpi",
          "xmlroot",
          "xmlserialize",
          "xmltable");

  private Identifiers() {}

  /**
   * Quotes an identifier as PostgreSQL's {@code quote_ident} does: left bare only if it is all
   * lower-case ASCII letters, digits and underscores, does not start with a digit and is not a
   * keyword that needs quoting; otherwise wrapped in double quotes with embedded ones doubled.
   *
   * @throws IllegalArgumentException if the name is empty or holds a NUL character
   */
  public static String quote(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("identifier must not be empty");
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "identifier must not contain NUL: " + name.replace("\0", "\\0"));
    }
    return isSafe(name) ? name : '"' + name.replace("\"", "\"\"") + '"';
  }

  private static boolean isSafe(String name) {
    char first = name.charAt(0);
    if (!((first >= 'a' && first <= 'z') || first == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return !QUOTED_KEYWORDS.contains(name);
  }

  /** Quotes a schema-qualified name, each part on its own. */
  public static String qualified(String schema, String name) {
    return quote(schema) + "." + quote(name);
  }

  /** A standard-conforming SQL string literal. */
  public static String literal(String value) {
    Objects.requireNonNull(value, "value");
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("string literal must not contain NUL");
    }
    return "'" + value.replace("'", "''") + "'";
  }

  /** A role name for pg_hba.conf, quoted when needed. */
  static String quoteHba(String role) {
    return role.matches("[a-z_][a-z0-9_]*") ? role : '"' + role.replace("\"", "\"\"") + '"';
  }

  /** UTF-8 length in bytes. */
  public static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Splits a possibly qualified name written as SQL, such as {@code app.orders}, {@code "My
   * Schema"."t.1"} or {@code orders}, into its parts the way PostgreSQL reads it: unquoted parts
   * are folded to lower case, quoted parts kept verbatim with {@code ""} read as one {@code "}.
   *
   * @throws IllegalArgumentException if the text is not a valid dotted name
   */
  public static List<String> parseQualified(String text) {
    Objects.requireNonNull(text, "name");
    List<String> parts = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        throw new IllegalArgumentException("Missing identifier in '" + text + "'");
      }
      StringBuilder part = new StringBuilder();
      if (text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("Unterminated quoted identifier in '" + text + "'");
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              part.append('"');
              i++;
            } else {
              break;
            }
          } else {
            part.append(c);
          }
        }
        if (part.length() == 0) {
          throw new IllegalArgumentException("Empty quoted identifier in '" + text + "'");
        }
      } else {
        int start = i;
        while (i < n && text.charAt(i) != '.' && !Character.isWhitespace(text.charAt(i))) {
          char c = text.charAt(i);
          if (c == '"' || c == ';' || c == '(' || c == ')' || c == ',' || c == '\'') {
            throw new IllegalArgumentException(
                "Unexpected '"
                    + c
                    + "' in name '"
                    + text
                    + "'; quote the identifier or pass schema and name separately");
          }
          i++;
        }
        if (i == start) {
          throw new IllegalArgumentException("Missing identifier in '" + text + "'");
        }
        char first = text.charAt(start);
        if (first >= '0' && first <= '9') {
          throw new IllegalArgumentException(
              "Unquoted identifier starts with a digit in '" + text + "'");
        }
        part.append(asciiLower(text.substring(start, i)));
      }
      parts.add(part.toString());
      while (i < n && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i >= n) {
        return List.copyOf(parts);
      }
      if (text.charAt(i) != '.') {
        throw new IllegalArgumentException("Unexpected text after identifier in '" + text + "'");
      }
      i++;
    }
  }

  /** Folds ASCII letters only, as PostgreSQL folds unquoted identifiers in UTF-8 databases. */
  static String asciiLower(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return sb.toString();
  }

  /**
   * Parses {@code schema.name} into exactly two parts.
   *
   * @throws IllegalArgumentException unless the text has exactly a schema and a name
   */
  public static String[] schemaAndName(String text) {
    List<String> parts = parseQualified(text);
    if (parts.size() != 2) {
      throw new IllegalArgumentException(
          "Expected schema.name but got '"
              + text
              + "'; pass schema and name separately for names that contain dots");
    }
    return new String[] {parts.get(0), parts.get(1)};
  }
}
