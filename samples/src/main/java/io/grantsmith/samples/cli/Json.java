package io.grantsmith.samples.cli;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * The CLI's JSON, through Jackson: the one mapper the CLI writes {@code --output json} with, and
 * the strict settings it reads JSON with (see {@link IntegrationFile} for the file it reads).
 *
 * <p>Output is one compact object per line. Strings are escaped as RFC 8259 requires, control
 * characters as {@code \u005cu00xx} with lower-case hex digits, and U+2028 and U+2029 (line breaks
 * to JavaScript) escaped as well, so a line can be pasted into a script as it is.
 */
final class Json {
  /**
   * Reads strictly (a duplicate member name anywhere is an error) and writes with the escapes
   * above. Every other reading feature is Jackson's default, which is already RFC 8259: no
   * comments, single quotes, unquoted names, trailing commas, leading zeros, {@code NaN} or
   * unescaped control characters.
   */
  static final JsonMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .characterEscapes(new Escapes())
                  .build())
          .build();

  private Json() {}

  /**
   * A new, empty object; members keep the order they are put in.
   *
   * @return the object
   */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Puts an array of strings into an object.
   *
   * @param into the object
   * @param name the member name
   * @param values the strings
   * @return {@code into}
   */
  static ObjectNode putStrings(ObjectNode into, String name, Collection<String> values) {
    ArrayNode a = into.putArray(name);
    values.forEach(a::add);
    return into;
  }

  /**
   * Puts an object of string members into an object.
   *
   * @param into the object
   * @param name the member name
   * @param values the members, in their iteration order
   * @return {@code into}
   */
  static ObjectNode putStrings(ObjectNode into, String name, Map<String, String> values) {
    ObjectNode o = into.putObject(name);
    values.forEach(o::put);
    return into;
  }

  /**
   * The compact text of a value.
   *
   * @param value a tree
   * @return its JSON, on one line
   */
  static String write(JsonNode value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // A tree of strings, numbers and booleans written to a string cannot fail.
      throw new UncheckedIOException(e);
    }
  }

  /** Jackson's standard JSON escapes, with lower-case hex digits and U+2028/U+2029 escaped. */
  private static final class Escapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;

    private final int[] ascii = standardAsciiEscapesForJSON();

    Escapes() {
      for (int c = 0; c < 0x20; c++) {
        if (ascii[c] == ESCAPE_STANDARD) { // no short form such as \n: written as below
          ascii[c] = ESCAPE_CUSTOM;
        }
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch < 0x20 || ch == 0x2028 || ch == 0x2029) {
        return new SerializedString(String.format("\\u%04x", ch));
      }
      return null;
    }
  }
}
