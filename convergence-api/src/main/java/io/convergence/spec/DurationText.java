package io.convergence.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in spec files and messages: {@code 2h}, {@code 90s}, {@code 1h30m}, {@code
 * 500ms}, or ISO-8601 ({@code PT2H}).
 *
 * @since 0.1.0
 */
public final class DurationText {

  private static final Pattern SHORT =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+)s)?(?:(\\d+)ms)?");

  private DurationText() {}

  /**
   * Parses a duration.
   *
   * @param text e.g. {@code 2h}, {@code 1h30m}, {@code 45s}, {@code 250ms} or {@code PT2H}
   * @return the duration, or empty when the text is not one
   */
  public static Optional<Duration> parse(String text) {
    if (text.startsWith("P") || text.startsWith("-P")) {
      try {
        return Optional.of(Duration.parse(text));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = SHORT.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      return Optional.empty();
    }
    Duration d = Duration.ZERO;
    d = d.plusDays(number(m.group(1)));
    d = d.plusHours(number(m.group(2)));
    d = d.plusMinutes(number(m.group(3)));
    d = d.plusSeconds(number(m.group(4)));
    d = d.plusMillis(number(m.group(5)));
    return Optional.of(d);
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }

  /**
   * Writes a duration in the short form, e.g. {@code 1h30m}; {@code 0s} for zero. Negative
   * durations and sub-millisecond parts are written in ISO-8601.
   *
   * @param duration the duration
   * @return the text
   */
  public static String format(Duration duration) {
    if (duration.isNegative() || duration.getNano() % 1_000_000 != 0) {
      return duration.toString();
    }
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder s = new StringBuilder();
    long days = duration.toDaysPart();
    if (days > 0) {
      s.append(days).append('d');
    }
    append(s, duration.toHoursPart(), "h");
    append(s, duration.toMinutesPart(), "m");
    append(s, duration.toSecondsPart(), "s");
    append(s, duration.toMillisPart(), "ms");
    return s.toString();
  }

  private static void append(StringBuilder s, long value, String unit) {
    if (value > 0) {
      s.append(value).append(unit);
    }
  }
}
