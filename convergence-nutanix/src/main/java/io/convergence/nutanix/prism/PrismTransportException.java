package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * No usable answer from Prism Central: the connection failed, was reset or timed out after the
 * configured retries, TLS verification refused the server's certificate (not retried), or the body
 * could not be read. For a mutation the {@code NTNX-Request-Id} was the same on every attempt, so
 * Prism Central acted at most once, but whether it did is unknown.
 *
 * @since 0.1.0
 */
public class PrismTransportException extends PrismException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing
   * @param call the HTTP request that failed, or {@code null}
   * @param httpStatus the HTTP status when a response came but was unusable, or -1
   * @param message what went wrong
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismTransportException(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      String message,
      String hint,
      @Nullable Throwable cause) {
    super(operation, call, httpStatus, List.of(), message, hint, cause);
  }
}
