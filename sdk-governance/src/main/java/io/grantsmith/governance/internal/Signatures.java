package io.grantsmith.governance.internal;

import io.grantsmith.api.Secret;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 signatures of webhook bodies. */
public final class Signatures {
  private Signatures() {}

  /**
   * {@code sha256=} and the lower-case hex HMAC-SHA256 of {@code body} keyed with {@code secret}'s
   * UTF-8 bytes.
   *
   * @param secret the shared secret
   * @param body the exact bytes sent
   * @return the header value
   */
  public static String sign(Secret secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
