package io.grantsmith.postgres.azure.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes a SCRAM-SHA-256 verifier on the client (RFC 5802/7677, as PostgreSQL stores it), so a
 * password travels to the server, and into its logs, only in hashed form.
 */
public final class Scram {
  private static final int ITERATIONS = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Scram() {}

  /**
   * The verifier {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}.
   *
   * @param password the clear-text password (ASCII; SASLprep leaves it unchanged)
   * @return the verifier to send as {@code PASSWORD '...'}
   */
  public static String verifier(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    try {
      SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
      byte[] salted =
          f.generateSecret(new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256))
              .getEncoded();
      byte[] clientKey = hmac(salted, "Client Key");
      byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
      byte[] serverKey = hmac(salted, "Server Key");
      Base64.Encoder b64 = Base64.getEncoder();
      return "SCRAM-SHA-256$"
          + ITERATIONS
          + ":"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(storedKey)
          + ":"
          + b64.encodeToString(serverKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SCRAM-SHA-256 is not available in this JVM", e);
    }
  }

  private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }
}
