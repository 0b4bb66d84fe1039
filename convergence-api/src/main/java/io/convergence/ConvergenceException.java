package io.convergence;

/**
 * The root of every exception Convergence throws. Subtypes say what the caller can do: fix the spec
 * ({@link InvalidLabSpecException}), pick or reach another backend ({@link
 * BackendNotFoundException}, {@link BackendUnavailableException}), inspect what failed ({@link
 * ProvisioningException}, {@link ConvergenceTimeoutException}), or look at the platform's own error
 * ({@link BackendException}).
 *
 * <p>Messages never contain secrets.
 *
 * @since 0.1.0
 */
public abstract class ConvergenceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what happened and what to check next
   * @param cause the cause, or {@code null}
   */
  protected ConvergenceException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates the exception.
   *
   * @param message what happened and what to check next
   */
  protected ConvergenceException(String message) {
    super(message);
  }
}
