package io.convergence.testkit.vmoperator.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * Made-up vSphere identities derived from stable seeds (an object's uid), so that a retried step
 * writes the same values: BIOS and instance UUIDs, MAC addresses in VMware's OUI, and
 * content-library style names.
 */
public final class Identities {

  private Identities() {}

  /** A name-based UUID of the seed. */
  public static String uuid(String seed) {
    return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * A MAC address in VMware's OUI {@code 00:50:56}, in the range vCenter assigns ({@code
   * 00:50:56:80:00:00} to {@code 00:50:56:bf:ff:ff}).
   */
  public static String mac(String seed) {
    byte[] h = sha(seed);
    return String.format(
        Locale.ROOT, "00:50:56:%02x:%02x:%02x", 0x80 | (h[0] & 0x3f), h[1] & 0xff, h[2] & 0xff);
  }

  /** The first {@code length} hex characters of the seed's SHA-256. */
  public static String hex(String seed, int length) {
    return HexFormat.of().formatHex(sha(seed)).substring(0, length);
  }

  private static byte[] sha(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
