package io.convergence.spec;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An amount of CPU in thousandths of a core, written as a Kubernetes quantity: {@code 2}, {@code
 * 0.5} or {@code 500m}.
 *
 * @param millicores thousandths of a core, positive
 * @since 0.1.0
 */
public record CpuAmount(long millicores) {

  private static final Pattern CPU = Pattern.compile("([0-9]+(?:\\.[0-9]{1,3})?)|([0-9]+)m");

  /**
   * Checks the amount.
   *
   * @param millicores thousandths of a core, positive
   */
  public CpuAmount {
    if (millicores <= 0) {
      throw new IllegalArgumentException("millicores must be > 0: " + millicores);
    }
  }

  /**
   * Parses a CPU quantity.
   *
   * @param text e.g. {@code 2}, {@code 0.5} or {@code 500m}
   * @return the amount, or empty when the text is not a positive CPU quantity
   */
  public static Optional<CpuAmount> tryParse(String text) {
    var m = CPU.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long millis =
        m.group(1) != null
            ? new BigDecimal(m.group(1)).movePointRight(3).longValueExact()
            : Long.parseLong(m.group(2));
    return millis > 0 ? Optional.of(new CpuAmount(millis)) : Optional.empty();
  }

  /**
   * The quantity in Kubernetes form: whole cores as a number, otherwise millicores, e.g. {@code
   * 500m}.
   */
  @Override
  public String toString() {
    return millicores % 1000 == 0 ? Long.toString(millicores / 1000) : millicores + "m";
  }
}
