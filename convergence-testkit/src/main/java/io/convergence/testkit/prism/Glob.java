package io.convergence.testkit.prism;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A method and a path glob that requests are matched against: {@code *} matches within one path
 * segment, {@code **} across segments, {@code ?} one character; the method is exact
 * (case-insensitive) or {@code *}. The path is the decoded path without the query, so a task's
 * {@code ZXJnb24=:uuid} matches whether the client percent-encoded it or not.
 */
final class Glob {

  private final String method;
  private final String glob;
  private final Pattern pattern;

  Glob(String method, String glob) {
    this.method = method.toUpperCase(Locale.ROOT);
    this.glob = glob;
    this.pattern = Pattern.compile(toRegex(glob));
  }

  boolean matches(String requestMethod, String path) {
    return (method.equals("*") || method.equalsIgnoreCase(requestMethod))
        && pattern.matcher(path).matches();
  }

  private static String toRegex(String glob) {
    StringBuilder b = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        b.append(".*");
        i += 2;
      } else if (c == '*') {
        b.append("[^/]*");
        i++;
      } else if (c == '?') {
        b.append("[^/]");
        i++;
      } else {
        b.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return method + " " + glob;
  }
}
