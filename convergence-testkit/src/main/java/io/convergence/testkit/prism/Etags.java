package io.convergence.testkit.prism;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque ETags: they change with every version and mean nothing to a client. */
final class Etags {

  private Etags() {}

  static String of(String extId, String version) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((extId + "@" + version).getBytes(StandardCharsets.UTF_8));
  }

  /** Compares an {@code If-Match} value with the current ETag, ignoring quotes and {@code W/}. */
  static boolean matches(String ifMatch, String current) {
    return strip(ifMatch).equals(strip(current));
  }

  private static String strip(String s) {
    String t = s.trim();
    if (t.startsWith("W/")) {
      t = t.substring(2);
    }
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      t = t.substring(1, t.length() - 1);
    }
    return t;
  }
}
