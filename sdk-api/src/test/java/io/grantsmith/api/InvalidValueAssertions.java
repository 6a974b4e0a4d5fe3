package io.grantsmith.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the {@link InvalidValueException} a value throws when it breaks a rule. */
final class InvalidValueAssertions {
  private InvalidValueAssertions() {}

  /**
   * Asserts that {@code build} throws an {@link InvalidValueException} (an {@link
   * IllegalArgumentException}) whose message starts with {@code field} and ends with the rendered
   * {@code value}: {@code <field> <rule>, but was <value>}.
   */
  static AbstractThrowableAssert<?, ? extends Throwable> assertRejects(
      ThrowingCallable build, String field, Object value) {
    return assertThatThrownBy(build)
        .isInstanceOf(IllegalArgumentException.class)
        .isExactlyInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith(field + " ")
        .hasMessageEndingWith(", but was " + InvalidValueException.describe(value))
        .satisfies(e -> assertThat(((InvalidValueException) e).field()).isEqualTo(field));
  }
}
