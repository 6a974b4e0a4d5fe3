package io.grantsmith.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's code blocks are the compiled files of the consumer project, so they cannot drift.
 *
 * <p>A code block preceded by a line {@code <!-- compiled: PATH#TAG[,TAG...] -->} must equal the
 * regions of the file PATH (relative to the repository root) between the comments {@code
 * tag::TAG[]} and {@code end::TAG[]}, less their common indentation, joined in the order given;
 * {@code @name@} tokens in the file (filtered by the invoker in the consumer build) stand for the
 * build's values. Every Java block must have such a line: a Java example that is not compiled fails
 * this test.
 */
class ReadmeExamplesTest {

  private static final Pattern MARKER = Pattern.compile("^<!-- compiled: (\\S+)#([\\w,-]+) -->$");
  private static final Pattern TOKEN = Pattern.compile("@([\\w.-]+)@");

  record Block(int line, String language, String marker, String text) {}

  private static Path root() {
    return Paths.get(System.getProperty("grantsmith.root", "..")).normalize();
  }

  private static List<Block> blocks(List<String> readme) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      if (!line.startsWith("```") || line.length() == 3) {
        continue;
      }
      String language = line.substring(3).trim();
      String marker = i > 0 ? readme.get(i - 1).trim() : "";
      int start = i + 1;
      int end = start;
      while (end < readme.size() && !readme.get(end).equals("```")) {
        end++;
      }
      if (end == readme.size()) {
        fail("README.md line %d: the code block never ends", i + 1);
      }
      blocks.add(new Block(i + 1, language, marker, String.join("\n", readme.subList(start, end))));
      i = end;
    }
    return blocks;
  }

  static String region(List<String> lines, String tag, Path file) {
    List<String> region = new ArrayList<>();
    boolean inside = false;
    boolean found = false;
    for (String line : lines) {
      if (line.contains("tag::" + tag + "[]")) {
        inside = true;
        found = true;
      } else if (line.contains("end::" + tag + "[]")) {
        inside = false;
      } else if (inside && !line.contains("tag::") && !line.contains("end::")) {
        region.add(line);
      }
    }
    if (!found) {
      fail("%s has no region tag::%s[]", file, tag);
    }
    int indent =
        region.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    List<String> out = new ArrayList<>();
    for (String line : region) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return substitute(String.join("\n", out), file);
  }

  private static String substitute(String text, Path file) {
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = System.getProperty(m.group(1));
      if (value == null) {
        fail("%s uses @%s@, which the build does not give this test", file, m.group(1));
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String expected(String marker) throws IOException {
    Matcher m = MARKER.matcher(marker);
    assertThat(m.matches()).as("marker %s", marker).isTrue();
    Path file = root().resolve(m.group(1));
    assertThat(file).as("the file a README block names").isRegularFile();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> parts = new ArrayList<>();
    for (String tag : m.group(2).split(",")) {
      parts.add(region(lines, tag, file));
    }
    return String.join("\n", parts);
  }

  @Test
  void everyReadmeBlockThatNamesAFileEqualsItsRegions() throws IOException {
    Path readme = Paths.get(System.getProperty("grantsmith.readme", "../README.md"));
    List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
    List<Block> blocks = blocks(lines);
    int checked = 0;
    List<String> problems = new ArrayList<>();
    for (Block block : blocks) {
      boolean named = MARKER.matcher(block.marker()).matches();
      if (block.language().equals("java") && !named) {
        problems.add(
            "README.md line "
                + block.line()
                + ": a Java block must be a compiled file's region: put a line"
                + " <!-- compiled: PATH#TAG --> before it");
        continue;
      }
      if (!named) {
        continue;
      }
      String expected = expected(block.marker());
      String actual = String.join("\n", block.text().lines().map(String::stripTrailing).toList());
      if (!expected.equals(actual)) {
        problems.add(
            "README.md line "
                + block.line()
                + " differs from "
                + block.marker()
                + "; the compiled file says:\n"
                + expected);
      }
      checked++;
    }
    assertThat(problems).isEmpty();
    // The quickstart, the plan, the setup check, the testkit example and three parts of the POM.
    assertThat(checked).as("README blocks checked").isGreaterThanOrEqualTo(7);
  }

  @Test
  void aRegionDropsItsIndentationAndNestedMarkers() {
    List<String> lines =
        List.of(
            "class A {",
            "    // tag::x[]",
            "    int a;",
            "",
            "      int b; // @project.version@",
            "    // end::x[]",
            "}");
    System.setProperty("project.version", System.getProperty("project.version", "1.0"));
    assertThat(region(lines, "x", Paths.get("A.java")))
        .isEqualTo("int a;\n\n  int b; // " + System.getProperty("project.version"));
  }
}
