package io.grantsmith.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The result table: printed as Markdown and written as JSON. */
final class Report {

  /** One measure: Grantsmith's figure, the comparison's, their ratio and the target. */
  static final class Row {
    final String item;
    final String measure;
    final String grantsmith;
    final String comparison;
    final Double ratio;
    final String target;
    final Boolean pass;
    final String note;

    Row(
        String item,
        String measure,
        String grantsmith,
        String comparison,
        Double ratio,
        String target,
        Boolean pass,
        String note) {
      this.item = item;
      this.measure = measure;
      this.grantsmith = grantsmith;
      this.comparison = comparison;
      this.ratio = ratio;
      this.target = target;
      this.pass = pass;
      this.note = note;
    }
  }

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Object> environment = new LinkedHashMap<>();

  void env(String key, Object value) {
    environment.put(key, value);
  }

  Row add(
      String item,
      String measure,
      String grantsmith,
      String comparison,
      Double ratio,
      String target,
      Boolean pass,
      String note) {
    Row r = new Row(item, measure, grantsmith, comparison, ratio, target, pass, note);
    rows.add(r);
    return r;
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  static String ms(double millis) {
    if (millis >= 1000) {
      return String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }
    if (millis >= 100) {
      return String.format(Locale.ROOT, "%.0f ms", millis);
    }
    return String.format(Locale.ROOT, "%.1f ms", millis);
  }

  static String ratio(Double r) {
    return r == null || r.isNaN() ? "—" : String.format(Locale.ROOT, "%.2f×", r);
  }

  String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("| # | measure | Grantsmith | comparison | ratio | target | pass |\n");
    b.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ")
          .append(cell(r.item))
          .append(" | ")
          .append(cell(r.measure))
          .append(" | ")
          .append(cell(r.grantsmith))
          .append(" | ")
          .append(cell(r.comparison))
          .append(" | ")
          .append(ratio(r.ratio))
          .append(" | ")
          .append(cell(r.target))
          .append(" | ")
          .append(r.pass == null ? "—" : r.pass ? "yes" : "**no**")
          .append(" |\n");
    }
    List<Row> noted = rows.stream().filter(r -> r.note != null && !r.note.isEmpty()).toList();
    if (!noted.isEmpty()) {
      b.append('\n');
      for (Row r : noted) {
        b.append("- ")
            .append(r.item)
            .append(' ')
            .append(r.measure)
            .append(": ")
            .append(r.note)
            .append('\n');
      }
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s == null ? "—" : s.replace("|", "\\|");
  }

  String json() {
    StringBuilder b = new StringBuilder("{\n  \"environment\": {");
    boolean first = true;
    for (Map.Entry<String, Object> e : environment.entrySet()) {
      b.append(first ? "\n" : ",\n")
          .append("    ")
          .append(str(e.getKey()))
          .append(": ")
          .append(value(e.getValue()));
      first = false;
    }
    b.append("\n  },\n  \"results\": [");
    first = true;
    for (Row r : rows) {
      b.append(first ? "\n" : ",\n")
          .append("    {")
          .append("\"item\": ")
          .append(str(r.item))
          .append(", \"measure\": ")
          .append(str(r.measure))
          .append(", \"grantsmith\": ")
          .append(str(r.grantsmith))
          .append(", \"comparison\": ")
          .append(str(r.comparison))
          .append(", \"ratio\": ")
          .append(
              r.ratio == null || r.ratio.isNaN()
                  ? "null"
                  : String.format(Locale.ROOT, "%.4f", r.ratio))
          .append(", \"target\": ")
          .append(str(r.target))
          .append(", \"pass\": ")
          .append(r.pass == null ? "null" : r.pass.toString())
          .append(", \"note\": ")
          .append(str(r.note))
          .append('}');
      first = false;
    }
    return b.append("\n  ]\n}\n").toString();
  }

  private static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return str(v.toString());
  }

  static String str(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
