package io.grantsmith.samples.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.SslMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of {@code --integration FILE}: one JSON object whose members stand for the
 * connection flags and the integration's policy settings. Every key is optional; a {@code null}
 * value is the same as leaving the key out. Unknown keys, a {@code password} key, wrong types and
 * malformed values are refused with a {@link GrantsmithCli.UsageException} naming the file and the
 * key.
 */
final class IntegrationFile {
  /** The keys, in the order the help lists them. */
  static final List<String> KEYS =
      List.of(
          "name",
          "hostname",
          "port",
          "database",
          "sslMode",
          "sslRootCert",
          "user",
          "userCleanupAfterDays",
          "credentialRotationDays",
          "customAccessDetails",
          "maxAccessDuration",
          "integrationOwners",
          "resourceOwners",
          "resourceTags");

  /** The largest file read. */
  static final int MAX_BYTES = 1 << 20;

  /** No file: every setting unset. */
  static final IntegrationFile NONE = new IntegrationFile(null);

  /**
   * Reads the file's keys into the fields below, each by its name: refuses unknown keys, and values
   * of the wrong JSON type (a number for a string, a string for a number) without converting them.
   */
  private static final ObjectMapper MAPPER =
      Json.MAPPER
          .rebuild()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addModule(strictValues())
          .build();

  final Path path;

  /** The keys the file set to a value other than null. */
  private final Set<String> set = new HashSet<>();

  @JsonProperty String name;
  @JsonProperty String hostname;
  @JsonProperty Integer port;
  @JsonProperty String database;
  @JsonProperty SslMode sslMode;
  @JsonProperty String sslRootCert;
  @JsonProperty String user;
  @JsonProperty Integer userCleanupAfterDays;
  @JsonProperty Integer credentialRotationDays;
  @JsonProperty String customAccessDetails;
  @JsonProperty Duration maxAccessDuration;

  /** Attribute type to its values, comma-separated: {@code {"entra group": "dba-team"}}. */
  @JsonProperty Map<String, String> integrationOwners;

  /** Tag key to the attribute type its values name: {@code {"owner": "entra user"}}. */
  @JsonProperty Map<String, String> resourceOwners;

  /** Resource pattern ({@code *} for the server) to its tags, for the access flows. */
  @JsonProperty Map<String, Map<String, String>> resourceTags;

  private IntegrationFile(Path path) {
    this.path = path;
  }

  /**
   * Reads and checks a file.
   *
   * @param path the file
   * @return its settings
   * @throws GrantsmithCli.UsageException naming the file (and the key) if it is unusable
   */
  static IntegrationFile read(Path path) {
    IntegrationFile f = new IntegrationFile(path);
    String text;
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw f.fail("larger than " + MAX_BYTES + " bytes");
      }
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (NoSuchFileException e) {
      throw f.fail("no such file");
    } catch (CharacterCodingException e) {
      throw f.fail("not UTF-8 text");
    } catch (IOException e) {
      throw f.fail(
          "cannot read it: "
              + e.getClass().getSimpleName()
              + (e.getMessage() != null ? ": " + e.getMessage() : ""));
    }
    f.bind(text.startsWith("\ufeff") ? " " + text.substring(1) : text);
    return f;
  }

  /** The deepest nesting of objects the file may have. */
  static final int MAX_DEPTH = 32;

  /**
   * Reads the text into the fields, checking it in two passes so that, as before Jackson, the first
   * problem reported does not depend on where in the file it is: first the whole text as JSON
   * (syntax, duplicate names, no arrays, depth, one value, an object), then the {@code password}
   * key, then each key in file order (unknown, or a value of the wrong type).
   *
   * @param text the file's text (a leading byte order mark replaced by a space, which keeps the
   *     columns)
   */
  private void bind(String text) {
    Outline outline;
    try (JsonParser p = MAPPER.createParser(text)) {
      outline = outline(p);
    } catch (JsonProcessingException e) {
      throw fail("invalid JSON: " + problem(e) + at(e.getLocation()));
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from reading a string
    }
    if (!outline.object()) {
      throw fail("must hold one JSON object");
    }
    if (outline.passwordKey()) {
      throw fail(
          "the key \"password\" is not allowed; the password comes only from the"
              + " environment variable "
              + GrantsmithCli.PASSWORD_ENV);
    }
    try {
      MAPPER.readerForUpdating(this).readValue(text);
    } catch (UnrecognizedPropertyException e) {
      throw fail(
          "unknown key "
              + InvalidValueException.describe(e.getPropertyName())
              + " (known: "
              + String.join(", ", KEYS)
              + ")"
              + at(e.getLocation()));
    } catch (BadValue e) {
      throw fail("\"" + e.key + "\" " + e.getOriginalMessage() + at(e.getLocation()));
    } catch (JsonProcessingException e) {
      // The first pass has read the syntax, and each key's problem has its exception above.
      throw new IllegalStateException(e);
    }
    set.addAll(outline.set());
  }

  /**
   * What the first pass learns.
   *
   * @param object whether the value is an object
   * @param passwordKey whether it has a {@code password} member
   * @param set its members whose value is not null
   */
  private record Outline(boolean object, boolean passwordKey, Set<String> set) {}

  /**
   * The first pass: reads every token with Jackson's parser (strict about duplicate names) and
   * refuses the JSON this file does not take: arrays, objects nested deeper than {@link
   * #MAX_DEPTH}, and anything after the value.
   */
  private static Outline outline(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      throw syntax(p, "expected a value but found end of input");
    }
    boolean passwordKey = false;
    Set<String> set = new HashSet<>();
    int depth = 0;
    JsonToken t = first;
    while (true) {
      switch (t) {
        case START_ARRAY:
          throw syntax(p, "arrays are not supported");
        case START_OBJECT:
          if (++depth > MAX_DEPTH) {
            throw syntax(p, "values nested deeper than " + MAX_DEPTH);
          }
          break;
        case END_OBJECT:
          depth--;
          break;
        case FIELD_NAME:
          if (depth == 1) {
            String name = p.currentName();
            passwordKey |= name.equals("password");
            t = p.nextToken();
            if (t != JsonToken.VALUE_NULL) {
              set.add(name);
            }
            continue; // with the value's token
          }
          break;
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          try {
            p.getDecimalValue();
          } catch (NumberFormatException e) {
            throw syntax(p, "number out of range"); // such as 1e99999999999
          }
          break;
        default:
          break;
      }
      if (depth == 0) {
        break;
      }
      t = p.nextToken();
    }
    if (p.nextToken() != null) {
      throw syntax(p, "expected the end of the input after the value");
    }
    return new Outline(first == JsonToken.START_OBJECT, passwordKey, set);
  }

  private static JsonParseException syntax(JsonParser p, String problem) {
    return new JsonParseException(p, problem, p.currentTokenLocation());
  }

  /**
   * Jackson's description of a syntax error, on one line and without the text of an unrecognized
   * token (which could be a secret typed without quotes).
   */
  private static String problem(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage());
    if (m.startsWith("Unrecognized token")) {
      return "unrecognized token: expected a string, number, object, true, false or null";
    }
    int cut = m.indexOf(" (start marker at ");
    if (cut < 0) {
      cut = m.indexOf('\n');
    }
    return cut < 0 ? m : m.substring(0, cut);
  }

  private static String at(JsonLocation where) {
    return where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
  }

  // ------------------------------------------------------------------ values

  /** A value of the wrong type or form; the message is the rule and the value. */
  private static final class BadValue extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    /** The key whose value it is. */
    final String key;

    BadValue(JsonParser p, String rule) throws IOException {
      super(p, rule + ", but was " + shown(p), p.currentTokenLocation());
      this.key = p.currentName();
    }

    private static String shown(JsonParser p) throws IOException {
      switch (p.currentToken()) {
        case VALUE_STRING:
          return InvalidValueException.describe(p.getText());
        case VALUE_NUMBER_INT:
        case VALUE_NUMBER_FLOAT:
          return p.getDecimalValue().toString();
        case START_OBJECT:
          return "an object";
        default:
          return p.getText();
      }
    }
  }

  /** A string, and nothing else: Jackson's own would take a number or a boolean as its text. */
  private static String text(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw new BadValue(p, "must be a string");
    }
    return p.getText();
  }

  /** The deserializers of the field types, all strict about the JSON type of the value. */
  private static SimpleModule strictValues() {
    SimpleModule m = new SimpleModule("integration-file");
    m.addDeserializer(String.class, deserializer(String.class, IntegrationFile::text));
    m.addDeserializer(
        Integer.class,
        deserializer(
            Integer.class,
            p -> {
              JsonToken t = p.currentToken();
              if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new BadValue(p, "must be a whole number");
              }
              // As exact as the number in the file: 6432.0 and 6.432e3 are 6432, 54.5 is refused.
              BigDecimal n = p.getDecimalValue();
              if (n.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                  || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new BadValue(p, "must be a whole number that fits in 32 bits");
              }
              try {
                return n.intValueExact();
              } catch (ArithmeticException e) {
                throw new BadValue(p, "must be a whole number");
              }
            }));
    m.addDeserializer(
        SslMode.class,
        deserializer(
            SslMode.class,
            p -> {
              String mode = text(p);
              for (SslMode s : SslMode.values()) {
                if (s.libpqName().equals(mode)) {
                  return s;
                }
              }
              throw new BadValue(
                  p, "must be one of disable, allow, prefer, require, verify-ca, verify-full");
            }));
    m.addDeserializer(
        Duration.class,
        deserializer(
            Duration.class,
            p -> {
              String d = text(p);
              try {
                return Duration.parse(d);
              } catch (DateTimeParseException e) {
                throw new BadValue(p, "must be an ISO-8601 duration such as PT8H or P7D");
              }
            }));
    return m;
  }

  /** Reads one value from the parser's current token. */
  @FunctionalInterface
  private interface ValueReader<T> {
    T read(JsonParser p) throws IOException;
  }

  private static <T> StdScalarDeserializer<T> deserializer(Class<T> type, ValueReader<T> reader) {
    return new StdScalarDeserializer<T>(type) {
      private static final long serialVersionUID = 1L;

      @Override
      public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return reader.read(p);
      }
    };
  }

  /**
   * Maps a failure of the SDK's checks that names one of this file's keys.
   *
   * @param key the key the failed field stands for
   * @param e the SDK's failure
   * @return the exception to throw
   */
  GrantsmithCli.UsageException invalid(String key, InvalidValueException e) {
    String message = e.getMessage();
    String rest =
        message.startsWith(e.field() + " ") ? message.substring(e.field().length() + 1) : message;
    return fail("\"" + key + "\" " + rest);
  }

  private GrantsmithCli.UsageException fail(String problem) {
    return new GrantsmithCli.UsageException(
        "invalid --integration " + oneLine(String.valueOf(path)) + ": " + oneLine(problem));
  }

  private static String oneLine(String s) {
    StringBuilder b = new StringBuilder(s.length());
    s.chars()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", c));
              } else {
                b.append((char) c);
              }
            });
    return b.toString();
  }

  /**
   * Whether the file set a key (to a non-null value).
   *
   * @param key one of {@link #KEYS}
   * @return whether it is set
   */
  boolean has(String key) {
    return set.contains(key);
  }
}
