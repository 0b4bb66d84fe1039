package io.convergence.spec;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory or storage in bytes, written as a Kubernetes quantity: a number with a binary
 * suffix ({@code Ki Mi Gi Ti Pi}), a decimal suffix ({@code k M G T P}) or none (bytes), e.g.
 * {@code 8Gi}, {@code 512Mi}, {@code 1.5Gi}.
 *
 * <p>Specs keep quantities as text, exactly as written, so that a spec file writes back unchanged;
 * backends parse them with {@link #parse(String)} once the spec is valid.
 *
 * @param bytes the amount in bytes, positive
 * @since 0.1.0
 */
public record MemorySize(long bytes) {

  private static final Pattern QUANTITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");

  /**
   * Checks the amount.
   *
   * @param bytes the amount in bytes, positive
   */
  public MemorySize {
    if (bytes <= 0) {
      throw new IllegalArgumentException("bytes must be > 0: " + bytes);
    }
  }

  /**
   * The given number of mebibytes.
   *
   * @param mebibytes a positive count
   * @return the size
   */
  public static MemorySize ofMiB(long mebibytes) {
    return new MemorySize(mebibytes << 20);
  }

  /**
   * The given number of gibibytes.
   *
   * @param gibibytes a positive count
   * @return the size
   */
  public static MemorySize ofGiB(long gibibytes) {
    return new MemorySize(gibibytes << 30);
  }

  /**
   * Parses a quantity such as {@code 8Gi}.
   *
   * @param text the quantity
   * @return the size
   * @throws IllegalArgumentException naming the text and a valid example when it is not a positive
   *     quantity
   */
  public static MemorySize parse(String text) {
    return tryParse(text).orElseThrow(() -> new IllegalArgumentException(describeInvalid(text)));
  }

  /**
   * Parses a quantity such as {@code 8Gi}.
   *
   * @param text the quantity
   * @return the size, or empty when the text is not a positive quantity of whole bytes
   */
  public static Optional<MemorySize> tryParse(String text) {
    Matcher m = QUANTITY.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    BigDecimal number = new BigDecimal(m.group(1));
    BigDecimal bytes = number.multiply(BigDecimal.valueOf(multiplier(m.group(2))));
    if (bytes.signum() <= 0 || bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Optional.empty();
    }
    return Optional.of(
        new MemorySize(bytes.setScale(0, java.math.RoundingMode.CEILING).longValueExact()));
  }

  /**
   * The message used when {@code text} is not a quantity, e.g. {@code "8GB" is not a quantity; use
   * e.g. 8Gi}.
   *
   * @param text the rejected text
   * @return the message
   */
  public static String describeInvalid(String text) {
    String hint = "8Gi";
    String upper = text.toUpperCase(Locale.ROOT);
    Matcher m = Pattern.compile("([0-9.]+)\\s*([KMGTP])I?B?").matcher(upper);
    if (m.matches()) {
      String unit = m.group(2).equals("K") ? "Ki" : m.group(2) + "i";
      hint = m.group(1) + unit;
    }
    return "\"" + text + "\" is not a quantity; use e.g. " + hint;
  }

  private static long multiplier(String suffix) {
    if (suffix == null) {
      return 1;
    }
    switch (suffix) {
      case "Ki":
        return 1L << 10;
      case "Mi":
        return 1L << 20;
      case "Gi":
        return 1L << 30;
      case "Ti":
        return 1L << 40;
      case "Pi":
        return 1L << 50;
      case "k":
        return 1_000L;
      case "M":
        return 1_000_000L;
      case "G":
        return 1_000_000_000L;
      case "T":
        return 1_000_000_000_000L;
      case "P":
        return 1_000_000_000_000_000L;
      default:
        throw new AssertionError(suffix);
    }
  }

  /**
   * The size in whole mebibytes, rounded up.
   *
   * @return mebibytes
   */
  public long toMiB() {
    return (bytes + (1L << 20) - 1) >> 20;
  }

  /**
   * The size in whole gibibytes, rounded up.
   *
   * @return gibibytes
   */
  public long toGiB() {
    return (bytes + (1L << 30) - 1) >> 30;
  }

  /** The shortest exact binary quantity, e.g. {@code 8Gi}, {@code 1536Mi}, {@code 100}. */
  @Override
  public String toString() {
    String[] units = {"Pi", "Ti", "Gi", "Mi", "Ki"};
    int[] shifts = {50, 40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
