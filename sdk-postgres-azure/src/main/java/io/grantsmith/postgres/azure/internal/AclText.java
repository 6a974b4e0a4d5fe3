package io.grantsmith.postgres.azure.internal;

import io.grantsmith.api.Privilege;

/**
 * Reads the text form of an {@code aclitem[]} as {@code array_to_string(acl, ',')} prints it: items
 * {@code grantee=privileges/grantor} separated by commas, where a grantee or grantor is written
 * bare if it is only letters, digits and underscores and in double quotes (inner quotes doubled)
 * otherwise, the grantee is empty for {@code PUBLIC}, and each privilege is one letter followed by
 * {@code *} if it carries the grant option. Cheaper than {@code aclexplode} on the server: one
 * short string per object instead of one row per privilege.
 *
 * <p>Letters this SDK has no {@link Privilege} for ({@code s} SET and {@code A} ALTER SYSTEM, which
 * exist only on parameters) are skipped.
 */
public final class AclText {
  private static final Privilege[] BY_LETTER = new Privilege[128];

  static {
    for (Privilege p : Privilege.values()) {
      BY_LETTER[p.aclChar()] = p;
    }
  }

  /** Receives the items of an ACL, one privilege set per item. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * One item.
     *
     * @param grantee the grantee, or the empty string for {@code PUBLIC}
     * @param privileges bit {@code 1 << p.ordinal()} set for each {@link Privilege} p held
     * @param grantable the bits of {@code privileges} held with the grant option
     */
    void item(String grantee, int privileges, int grantable);
  }

  private AclText() {}

  /**
   * Calls {@code visitor} for each item of {@code acl}.
   *
   * @param acl the items, comma-separated; may be empty
   * @param visitor what receives them
   * @throws IllegalArgumentException if {@code acl} is not in the expected form
   */
  public static void parse(String acl, Visitor visitor) {
    int i = 0;
    int n = acl.length();
    StringBuilder name = new StringBuilder();
    while (i < n) {
      i = readName(acl, i, name);
      String grantee = name.toString();
      i = expect(acl, i, '=');
      int privileges = 0;
      int grantable = 0;
      while (i < n && acl.charAt(i) != '/') {
        char c = acl.charAt(i++);
        Privilege p = c < 128 ? BY_LETTER[c] : null;
        boolean star = i < n && acl.charAt(i) == '*';
        if (star) {
          i++;
        }
        if (p != null) {
          privileges |= 1 << p.ordinal();
          if (star) {
            grantable |= 1 << p.ordinal();
          }
        }
      }
      i = expect(acl, i, '/');
      i = readName(acl, i, name); // the grantor: not needed
      visitor.item(grantee, privileges, grantable);
      if (i < n) {
        i = expect(acl, i, ',');
      }
    }
  }

  /** Reads a bare or double-quoted name at {@code i} into {@code out}; returns the index after. */
  private static int readName(String acl, int i, StringBuilder out) {
    out.setLength(0);
    int n = acl.length();
    if (i < n && acl.charAt(i) == '"') {
      i++;
      while (true) {
        if (i >= n) {
          throw malformed(acl, i);
        }
        char c = acl.charAt(i++);
        if (c == '"') {
          if (i < n && acl.charAt(i) == '"') {
            out.append('"');
            i++;
          } else {
            return i;
          }
        } else {
          out.append(c);
        }
      }
    }
    while (i < n) {
      char c = acl.charAt(i);
      if (c == '=' || c == '/' || c == ',') {
        break;
      }
      out.append(c);
      i++;
    }
    return i;
  }

  private static int expect(String acl, int i, char c) {
    if (i >= acl.length() || acl.charAt(i) != c) {
      throw malformed(acl, i);
    }
    return i + 1;
  }

  private static IllegalArgumentException malformed(String acl, int at) {
    // Only the position: an ACL names roles, not secrets, but it may be long.
    return new IllegalArgumentException(
        "unexpected ACL text at index " + at + " of " + acl.length());
  }
}
