package io.grantsmith.api;

import org.immutables.value.Value;

/**
 * Who owns resources: resources tagged with {@link #tagKey()} are owned by the identities whose
 * {@link #attributeType()} matches the tag's value. An integration with resource owners must also
 * name at least one {@link IntegrationOwner}.
 */
@Value.Immutable
public abstract class ResourceOwner {
  ResourceOwner() {}

  /** Builds a {@link ResourceOwner}. */
  public interface Builder {
    /**
     * Copies every attribute of {@code instance}.
     *
     * @param instance an owner
     * @return this builder
     */
    Builder from(ResourceOwner instance);

    /**
     * Sets the tag key.
     *
     * @param tagKey e.g. {@code owner}
     * @return this builder
     */
    Builder tagKey(String tagKey);

    /**
     * Sets the IdP attribute type.
     *
     * @param attributeType e.g. {@code okta user}
     * @return this builder
     */
    Builder attributeType(String attributeType);

    /**
     * Builds and validates.
     *
     * @return the owner
     * @throws InvalidValueException if a field is blank
     */
    ResourceOwner build();
  }

  /**
   * A new builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return ImmutableResourceOwner.builder();
  }

  /**
   * An owner from a tag key and an attribute type.
   *
   * @param tagKey the tag key
   * @param attributeType the IdP attribute type
   * @return the owner
   */
  public static ResourceOwner of(String tagKey, String attributeType) {
    return builder().tagKey(tagKey).attributeType(attributeType).build();
  }

  /**
   * The resource tag's key name.
   *
   * @return the key
   */
  public abstract String tagKey();

  /**
   * The identity provider's attribute type the tag's value is matched against.
   *
   * @return the attribute type
   */
  public abstract String attributeType();

  @Value.Check
  void check() {
    InvalidValueException.check(
        !tagKey().isBlank(), "ResourceOwner.tagKey", "must not be blank", tagKey());
    InvalidValueException.check(
        !attributeType().isBlank(),
        "ResourceOwner.attributeType",
        "must not be blank",
        attributeType());
  }
}
