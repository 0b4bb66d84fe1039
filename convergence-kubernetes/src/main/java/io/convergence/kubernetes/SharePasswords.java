package io.convergence.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords of in-lab file shares: an HMAC of lab id and volume under a key that is random per
 * backend instance, so the plan and the driver of one client derive the same password without
 * storing it, and nothing outside the process can.
 *
 * @since 0.1.0
 */
public final class SharePasswords {

  private final byte[] key = new byte[32];

  private SharePasswords() {
    new SecureRandom().nextBytes(key);
  }

  /**
   * Passwords under a new random key.
   *
   * @return the passwords
   */
  public static SharePasswords random() {
    return new SharePasswords();
  }

  /**
   * The password of a lab's share.
   *
   * @param labId the lab
   * @param volume the shared volume
   * @return e.g. {@code Cv0123456789abcdef01234567}
   */
  public String of(String labId, String volume) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] digest = mac.doFinal((labId + "/" + volume).getBytes(StandardCharsets.UTF_8));
      return "Cv" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "SharePasswords{key=<random>}";
  }
}
