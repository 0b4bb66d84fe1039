package io.convergence.spi;

import static java.util.Objects.requireNonNull;

/**
 * Whether a backend can be used with the current configuration, and if not, why.
 *
 * @param available true when it can be used
 * @param reason why not, with what to check (e.g. "no kubeconfig: set
 *     convergence.kubevirt.kubeconfig"); empty when available
 * @since 0.1.0
 */
public record Availability(boolean available, String reason) {

  /**
   * Checks the components.
   *
   * @param available true when it can be used
   * @param reason why not
   */
  public Availability {
    requireNonNull(reason, "reason");
  }

  /**
   * Available.
   *
   * @return the availability
   */
  public static Availability yes() {
    return new Availability(true, "");
  }

  /**
   * Not available.
   *
   * @param reason why, with what to check
   * @return the availability
   */
  public static Availability no(String reason) {
    return new Availability(false, reason);
  }
}
