package io.grantsmith.samples.cli;

import io.grantsmith.api.InvalidValueException;
import io.grantsmith.api.SslMode;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.List;
import java.util.Map;

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
          "maxAccessDuration");

  /** The largest file read. */
  static final int MAX_BYTES = 1 << 20;

  /** No file: every setting unset. */
  static final IntegrationFile NONE = new IntegrationFile(null);

  final Path path;
  String name;
  String hostname;
  Integer port;
  String database;
  SslMode sslMode;
  String sslRootCert;
  String user;
  Integer userCleanupAfterDays;
  Integer credentialRotationDays;
  String customAccessDetails;
  Duration maxAccessDuration;

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
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (Json.SyntaxException e) {
      throw f.fail("invalid JSON: " + e.getMessage());
    }
    if (!(parsed instanceof Map)) {
      throw f.fail("must hold one JSON object");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> members = (Map<String, Object>) parsed;
    if (members.containsKey("password")) {
      throw f.fail(
          "the key \"password\" is not allowed; the password comes only from the"
              + " environment variable "
              + GrantsmithCli.PASSWORD_ENV);
    }
    for (Map.Entry<String, Object> m : members.entrySet()) {
      if (!KEYS.contains(m.getKey())) {
        throw f.fail(
            "unknown key "
                + InvalidValueException.describe(m.getKey())
                + " (known: "
                + String.join(", ", KEYS)
                + ")");
      }
      if (m.getValue() != null) {
        f.set(m.getKey(), m.getValue());
      }
    }
    return f;
  }

  private void set(String key, Object value) {
    switch (key) {
      case "name":
        name = string(key, value);
        break;
      case "hostname":
        hostname = string(key, value);
        break;
      case "port":
        port = integer(key, value);
        break;
      case "database":
        database = string(key, value);
        break;
      case "sslMode":
        String mode = string(key, value);
        sslMode = null;
        for (SslMode m : SslMode.values()) {
          if (m.libpqName().equals(mode)) {
            sslMode = m;
          }
        }
        if (sslMode == null) {
          throw invalid(
              key,
              "must be one of disable, allow, prefer, require, verify-ca," + " verify-full",
              mode);
        }
        break;
      case "sslRootCert":
        sslRootCert = string(key, value);
        break;
      case "user":
        user = string(key, value);
        break;
      case "userCleanupAfterDays":
        userCleanupAfterDays = integer(key, value);
        break;
      case "credentialRotationDays":
        credentialRotationDays = integer(key, value);
        break;
      case "customAccessDetails":
        customAccessDetails = string(key, value);
        break;
      case "maxAccessDuration":
        String d = string(key, value);
        try {
          maxAccessDuration = Duration.parse(d);
        } catch (DateTimeParseException e) {
          throw invalid(key, "must be an ISO-8601 duration such as PT8H or P7D", d);
        }
        break;
      default:
        throw new IllegalStateException(key);
    }
  }

  private String string(String key, Object value) {
    if (!(value instanceof String)) {
      throw invalid(key, "must be a string", value);
    }
    return (String) value;
  }

  private Integer integer(String key, Object value) {
    if (!(value instanceof BigDecimal)) {
      throw invalid(key, "must be a whole number", value);
    }
    BigDecimal n = (BigDecimal) value;
    if (n.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
        || n.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
      throw invalid(key, "must be a whole number that fits in 32 bits", value);
    }
    try {
      return n.intValueExact();
    } catch (ArithmeticException e) {
      throw invalid(key, "must be a whole number", value);
    }
  }

  /** A JSON value rendered for a message: a string quoted and escaped, an object as such. */
  private static String json(Object value) {
    if (value instanceof Map) {
      return "an object";
    }
    return InvalidValueException.describe(value);
  }

  /**
   * A failure of one key's value.
   *
   * @param key the key
   * @param rule what it must be
   * @param value the offending value (a string is quoted, a number is not)
   * @return the exception to throw
   */
  GrantsmithCli.UsageException invalid(String key, String rule, Object value) {
    return fail("\"" + key + "\" " + rule + ", but was " + json(value));
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
    switch (key) {
      case "name":
        return name != null;
      case "hostname":
        return hostname != null;
      case "port":
        return port != null;
      case "database":
        return database != null;
      case "sslMode":
        return sslMode != null;
      case "sslRootCert":
        return sslRootCert != null;
      case "user":
        return user != null;
      case "userCleanupAfterDays":
        return userCleanupAfterDays != null;
      case "credentialRotationDays":
        return credentialRotationDays != null;
      case "customAccessDetails":
        return customAccessDetails != null;
      case "maxAccessDuration":
        return maxAccessDuration != null;
      default:
        return false;
    }
  }
}
