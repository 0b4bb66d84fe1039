package io.convergence.nutanix.prism.internal;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Percent-encoding of path segments and query values, and OData string literals. */
public final class Encoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Encoding() {}

  /**
   * Percent-encodes everything but RFC 3986's unreserved characters ({@code A-Z a-z 0-9 - . _ ~}),
   * as UTF-8. Spaces become {@code %20}, never {@code +}; {@code :} and {@code =} of opaque task
   * extIds become {@code %3A} and {@code %3D}.
   *
   * @param value the raw value
   * @return the encoded value
   */
  public static String percent(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder s = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        s.append((char) c);
      } else {
        s.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return s.toString();
  }

  /**
   * Encodes one path segment, e.g. an extId.
   *
   * @param segment the raw segment
   * @return the encoded segment
   * @throws IllegalArgumentException when the segment is empty, {@code .} or {@code ..}
   */
  public static String segment(String segment) {
    if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException("not a valid extId: '" + segment + "'");
    }
    return percent(segment);
  }

  /**
   * Builds a query string, names kept as they are (e.g. {@code $filter}), values encoded.
   *
   * @param params the parameters in order
   * @return e.g. {@code $filter=name%20eq%20%27x%27&$limit=100}, or empty
   */
  public static String query(Map<String, String> params) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (s.length() > 0) {
        s.append('&');
      }
      s.append(e.getKey()).append('=').append(percent(e.getValue()));
    }
    return s.toString();
  }

  /**
   * An OData string literal: in single quotes, with single quotes doubled.
   *
   * @param value the raw string
   * @return e.g. {@code 'O''Brien'}
   */
  public static String odataString(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
