package io.grantsmith.api;

import java.util.List;
import org.immutables.value.Value;

/**
 * Who owns an integration: an identity-provider attribute (e.g. {@code okta user} or {@code entra
 * group}) and one or more of its values.
 */
@Value.Immutable
public abstract class IntegrationOwner {
  IntegrationOwner() {}

  /** Builds an {@link IntegrationOwner}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an owner
     * @return this builder
     */
    Builder from(IntegrationOwner instance);

    /**
     * Sets the IdP attribute type.
     *
     * @param attributeType e.g. {@code okta group}
     * @return this builder
     */
    Builder attributeType(String attributeType);

    /**
     * Adds a value of the attribute.
     *
     * @param value e.g. {@code dba-team}
     * @return this builder
     */
    Builder addValue(String value);

    /**
     * Adds values of the attribute.
     *
     * @param values the values
     * @return this builder
     */
    Builder addValues(String... values);

    /**
     * Builds and validates.
     *
     * @return the owner
     * @throws InvalidValueException if the attribute is blank or there is no value
     */
    IntegrationOwner build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableIntegrationOwner.builder();
  }

  /**
   * An owner from an attribute type and its values.
   *
   * @param attributeType e.g. {@code okta user}
   * @param values one or more values
   * @return the owner
   */
  public static IntegrationOwner of(String attributeType, String... values) {
    return builder().attributeType(attributeType).addValues(values).build();
  }

  /**
   * The identity provider's attribute type.
   *
   * @return e.g. {@code okta group}
   */
  public abstract String attributeType();

  /**
   * The attribute's values: users or groups.
   *
   * @return one or more values
   */
  public abstract List<String> values();

  @Value.Check
  void check() {
    InvalidValueException.check(
        !attributeType().isBlank(),
        "IntegrationOwner.attributeType",
        "must not be blank",
        attributeType());
    InvalidValueException.check(
        !values().isEmpty(), "IntegrationOwner.values", "must hold at least one value", values());
    for (String v : values()) {
      InvalidValueException.check(
          !v.isBlank(), "IntegrationOwner.values", "must not hold a blank value", v);
    }
  }
}
