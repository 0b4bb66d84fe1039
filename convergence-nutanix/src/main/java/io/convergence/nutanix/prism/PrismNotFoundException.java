package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The entity does not exist: HTTP 404 ({@code ENTITY_NOT_FOUND}), or no entity has the name looked
 * up (then without HTTP status, and the message names what does exist).
 *
 * @since 0.1.0
 */
public class PrismNotFoundException extends PrismException {
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
  public PrismNotFoundException(
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
