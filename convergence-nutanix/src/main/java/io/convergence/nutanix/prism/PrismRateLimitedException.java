package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prism Central kept answering HTTP 429 ({@code RATE_LIMIT_EXCEEDED}) after the configured retries
 * ({@link PrismConfig#maxAttempts()}), each of which honoured {@code Retry-After}.
 *
 * @since 0.1.0
 */
public class PrismRateLimitedException extends PrismException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing
   * @param call the HTTP request that failed, or {@code null}
   * @param httpStatus the HTTP status, or -1
   * @param messages the platform's messages, may be empty
   * @param message what went wrong when {@code messages} is empty (or a summary before them)
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismRateLimitedException(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      List<PrismErrorMessage> messages,
      String message,
      String hint,
      @Nullable Throwable cause) {
    super(operation, call, httpStatus, messages, message, hint, cause);
  }
}
