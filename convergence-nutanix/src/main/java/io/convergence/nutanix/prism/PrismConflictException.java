package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The request conflicts with the entity's state: HTTP 409 (e.g. {@code CATEGORY_ALREADY_EXISTS},
 * {@code VM_OPERATION_CONFLICT}), 412 (the {@code If-Match} ETag is stale: {@code VMM-30303
 * VM_ETAG_MISMATCH}; see {@link #isEtagMismatch()}) or 428 (the {@code If-Match} header is
 * required: {@code PLAT-10004 MISSING_ETAG_HEADER}). The client retries ETag mismatches itself, a
 * bounded number of times ({@link PrismConfig#etagRetries()}), before throwing this.
 *
 * @since 0.1.0
 */
public class PrismConflictException extends PrismException {
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
  public PrismConflictException(
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
