package io.grantsmith.api;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.immutables.value.Value;

/**
 * A Microsoft Entra ID principal as the grantee of an {@link AccessRequest}: a user, a group or a
 * service principal (an application or managed identity), known by its object id and by the role
 * name its Entra login uses (a user's UPN, a group's display name, an application's name). It logs
 * in with an Entra access token for {@link #TOKEN_SCOPE}, never with a password.
 *
 * <pre>{@code
 * EntraPrincipal alice =
 *     EntraPrincipal.of(EntraPrincipal.Type.USER, "alice@contoso.com",
 *         "3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f");
 * }</pre>
 *
 * <p>Rules, checked when it is built: the object id is a UUID ({@code 8-4-4-4-12} hexadecimal
 * digits); the role name is 1 to 63 bytes of UTF-8 (PostgreSQL's limit), holds no control character
 * (U+0000 to U+001F, U+007F to U+009F), no line or paragraph separator (U+2028, U+2029) and no
 * unpaired surrogate, does not start or end with white space, and is not a reserved role name
 * ({@code pg_*}, {@code azure_*}, {@code public}, ...).
 */
@Value.Immutable
public abstract class EntraPrincipal {
  /**
   * The scope of the Entra access token a principal logs in with on Azure Database for PostgreSQL
   * in the public cloud (sovereign clouds use the same host under their own domain).
   */
  public static final String TOKEN_SCOPE = "https://ossrdbms-aad.database.windows.net/.default";

  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  EntraPrincipal() {}

  /** The kind of principal, as {@code pgaadauth_create_principal_with_oid} names it. */
  public enum Type {
    /** A user; logs in with its UPN. */
    USER("user"),
    /** A group; its members log in with the group's display name. */
    GROUP("group"),
    /** A service principal: an application or a managed identity. */
    SERVICE("service");

    private final String label;

    Type(String label) {
      this.label = label;
    }

    /**
     * The name Azure's functions use.
     *
     * @return {@code user}, {@code group} or {@code service}
     */
    public String label() {
      return label;
    }

    /**
     * The type a label names, in any case.
     *
     * @param label {@code user}, {@code group} or {@code service}
     * @return the type
     * @throws InvalidValueException naming {@code EntraPrincipal.type} for any other text
     */
    public static Type parse(String label) {
      if (label != null) {
        for (Type t : values()) {
          if (t.label.equals(label.toLowerCase(Locale.ROOT))) {
            return t;
          }
        }
      }
      throw new InvalidValueException(
          "EntraPrincipal.type", "must be user, group or service", label);
    }
  }

  /** Builds an {@link EntraPrincipal}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance a principal
     * @return this builder
     */
    Builder from(EntraPrincipal instance);

    /**
     * Sets the kind of principal.
     *
     * @param type user, group or service
     * @return this builder
     */
    Builder type(Type type);

    /**
     * Sets the principal's object id in Entra.
     *
     * @param objectId a UUID
     * @return this builder
     */
    Builder objectId(String objectId);

    /**
     * Sets the role name the principal logs in as.
     *
     * @param roleName a UPN, a group's display name or an application's name
     * @return this builder
     */
    Builder roleName(String roleName);

    /**
     * Sets whether a role Grantsmith creates for the principal requires the token's {@code mfa}
     * claim (default false).
     *
     * @param mfa the flag passed as {@code isMfa}
     * @return this builder
     */
    Builder mfa(boolean mfa);

    /**
     * Builds and validates.
     *
     * @return the principal
     * @throws InvalidValueException naming the first field that breaks a rule
     */
    EntraPrincipal build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableEntraPrincipal.builder();
  }

  /**
   * A principal without the MFA requirement.
   *
   * @param type user, group or service
   * @param roleName the role name it logs in as
   * @param objectId its object id, a UUID
   * @return the principal
   * @throws InvalidValueException naming the field that breaks a rule
   */
  public static EntraPrincipal of(Type type, String roleName, String objectId) {
    return builder().type(type).roleName(roleName).objectId(objectId).build();
  }

  /**
   * The kind of principal.
   *
   * @return user, group or service
   */
  public abstract Type type();

  /**
   * The principal's object id in Entra.
   *
   * @return a UUID as text, as given
   */
  public abstract String objectId();

  /**
   * The role name the principal logs in as, and the name of its role on the server.
   *
   * @return e.g. {@code alice@contoso.com}
   */
  public abstract String roleName();

  /**
   * Whether a role Grantsmith creates for the principal requires the token's {@code mfa} claim
   * ({@code isMfa}); a role that exists already keeps its own setting.
   *
   * @return false unless set
   */
  @Value.Default
  public boolean mfa() {
    return false;
  }

  @Value.Check
  void check() {
    InvalidValueException.check(
        UUID.matcher(objectId()).matches(),
        "EntraPrincipal.objectId",
        "must be a UUID (8-4-4-4-12 hexadecimal digits)",
        objectId());
    checkRoleName("EntraPrincipal.roleName", roleName());
  }

  /** Checks a name an Entra principal may have as its role name (the rules above). */
  private static void checkRoleName(String field, String name) {
    InvalidValueException.check(name != null, field, "must be set", null);
    InvalidValueException.check(!name.isEmpty(), field, "must not be empty", name);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean unpaired =
          Character.isHighSurrogate(c)
                  && (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1)))
              || Character.isLowSurrogate(c)
                  && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)));
      InvalidValueException.check(
          !Character.isISOControl(c) && c != '\u2028' && c != '\u2029' && !unpaired,
          field,
          "must hold no control character, line or paragraph separator or unpaired surrogate",
          name);
    }
    InvalidValueException.check(
        !Character.isWhitespace(name.charAt(0))
            && !Character.isWhitespace(name.charAt(name.length() - 1))
            && !Character.isSpaceChar(name.charAt(0))
            && !Character.isSpaceChar(name.charAt(name.length() - 1)),
        field,
        "must not start or end with white space",
        name);
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    InvalidValueException.check(
        bytes <= Identifiers.MAX_BYTES,
        field,
        "must be at most " + Identifiers.MAX_BYTES + " bytes of UTF-8 (is " + bytes + ")",
        name);
    InvalidValueException.check(
        !Identifiers.isReservedRoleName(name),
        field,
        "must not be a reserved role name (pg_*, azure_*, public, current_user, current_role,"
            + " session_user, none, replication, azuresu)",
        name);
  }
}
