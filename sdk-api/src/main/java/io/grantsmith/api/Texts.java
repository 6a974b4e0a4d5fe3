package io.grantsmith.api;

/** Checks of free text shared by the values. */
final class Texts {
  private Texts() {}

  static String printable(String field, String value, int max) {
    InvalidValueException.check(value != null, field, "must be set", null);
    InvalidValueException.check(!value.isBlank(), field, "must not be blank", value);
    InvalidValueException.check(
        value.length() <= max, field, "must be at most " + max + " characters", value);
    InvalidValueException.check(
        value.chars().noneMatch(Character::isISOControl),
        field,
        "must not hold control characters",
        value);
    return value;
  }
}
