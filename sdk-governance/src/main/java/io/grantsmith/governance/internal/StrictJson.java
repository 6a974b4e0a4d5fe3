package io.grantsmith.governance.internal;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.grantsmith.api.InvalidValueException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a JSON tree strictly: duplicate member names, trailing content, unknown keys and values of
 * the wrong JSON type are refused with an {@link InvalidValueException} whose field is the JSON
 * path of the value, e.g. {@code flows[1].maxDuration}.
 */
public final class StrictJson {
  /** Refuses duplicate member names and anything after the top-level value. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private StrictJson() {}

  /**
   * Parses a document.
   *
   * @param text the JSON text
   * @param what what the text is, for the error, e.g. {@code flows file}
   * @return the tree
   * @throws InvalidValueException if it is not JSON, naming the line and column
   */
  public static JsonNode parse(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new InvalidValueException(what, "must hold a JSON value", "");
      }
      return node;
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " (line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new InvalidValueException(
          what, "must be valid JSON" + where + ": " + e.getOriginalMessage(), "...");
    }
  }

  /**
   * The members of an object, after checking that it is one and that it has no other keys than
   * {@code allowed} and every key of {@code required}.
   *
   * @param node the value
   * @param path its JSON path
   * @param allowed the keys it may have
   * @param required the keys it must have
   * @return the members, in document order
   */
  public static Map<String, JsonNode> object(
      JsonNode node, String path, Set<String> allowed, Set<String> required) {
    if (node == null || !node.isObject()) {
      throw new InvalidValueException(
          path.isEmpty() ? "document" : path, "must be a JSON object", type(node));
    }
    Map<String, JsonNode> members = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!allowed.contains(e.getKey())) {
        throw new InvalidValueException(
            child(path, e.getKey()), "is not a known key; allowed: " + sorted(allowed), e.getKey());
      }
      members.put(e.getKey(), e.getValue());
    }
    for (String key : required) {
      if (!members.containsKey(key) || members.get(key).isNull()) {
        throw new InvalidValueException(child(path, key), "is required", null);
      }
    }
    return members;
  }

  /**
   * The members of an object whose keys are free (a map).
   *
   * @param node the value
   * @param path its JSON path
   * @return the members, in document order
   */
  public static Map<String, JsonNode> map(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new InvalidValueException(path, "must be a JSON object", type(node));
    }
    Map<String, JsonNode> members = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> members.put(e.getKey(), e.getValue()));
    return members;
  }

  /**
   * A string value.
   *
   * @param node the value
   * @param path its JSON path
   * @return the text
   */
  public static String text(JsonNode node, String path) {
    if (node == null || !node.isTextual()) {
      throw new InvalidValueException(path, "must be a JSON string", type(node));
    }
    return node.textValue();
  }

  /**
   * A boolean value.
   *
   * @param node the value
   * @param path its JSON path
   * @return the boolean
   */
  public static boolean bool(JsonNode node, String path) {
    if (node == null || !node.isBoolean()) {
      throw new InvalidValueException(path, "must be true or false", type(node));
    }
    return node.booleanValue();
  }

  /**
   * A whole number.
   *
   * @param node the value
   * @param path its JSON path
   * @return the number
   */
  public static int integer(JsonNode node, String path) {
    if (node == null || !node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new InvalidValueException(path, "must be a whole number", type(node));
    }
    return node.intValue();
  }

  /**
   * The elements of an array, each read by {@code element} with its path.
   *
   * @param node the value
   * @param path its JSON path
   * @param element reads one element from its path and value
   * @param <T> the element type
   * @return the elements
   */
  public static <T> List<T> array(
      JsonNode node, String path, java.util.function.BiFunction<JsonNode, String, T> element) {
    if (node == null || !node.isArray()) {
      throw new InvalidValueException(path, "must be a JSON array", type(node));
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      out.add(element.apply(node.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /**
   * Converts a value with {@code parse}, turning its failure into an error that names the path.
   *
   * @param text the text
   * @param path its JSON path
   * @param rule what the text must be, for the error
   * @param parse the conversion
   * @param <T> the result type
   * @return the converted value
   */
  public static <T> T convert(String text, String path, String rule, Function<String, T> parse) {
    try {
      return parse.apply(text);
    } catch (RuntimeException e) {
      throw new InvalidValueException(path, rule, text);
    }
  }

  /**
   * The path of a member: {@code a.b}, or {@code a["odd key"]} for keys that are not plain names.
   *
   * @param path the parent's path, empty for the root
   * @param key the member's key
   * @return the path
   */
  public static String child(String path, String key) {
    boolean plain = key.matches("[A-Za-z_][A-Za-z0-9_]*");
    if (plain) {
      return path.isEmpty() ? key : path + "." + key;
    }
    return path + "[" + InvalidValueException.describe(key) + "]";
  }

  /** A value for an error message: strings as themselves (quoted), others as JSON, unquoted. */
  private static Object type(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return new Shown("nothing");
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    return new Shown(abbreviate(node));
  }

  /** Shown as its text, without the quotes {@link InvalidValueException#describe} gives strings. */
  private record Shown(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private static String abbreviate(JsonNode node) {
    String s = node.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }

  private static List<String> sorted(Set<String> keys) {
    return keys.stream().sorted().toList();
  }
}
