package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prism Central refused the request as invalid: HTTP 400 (a {@code SchemaValidationError} listing
 * the offending attributes in {@link #validationErrors()}, or an {@code AppMessage} such as {@code
 * VM_MISSING_REQUEST_ID_HEADER}) or HTTP 422 (semantically invalid, e.g. {@code INVALID_REFERENCE}
 * to an unknown image, subnet or cluster). Retrying the same request does not help.
 *
 * @since 0.1.0
 */
public class PrismValidationException extends PrismException {
  private static final long serialVersionUID = 1L;

  /** The schema validation errors. */
  private final List<PrismValidationError> validationErrors;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing
   * @param call the HTTP request that failed, or {@code null}
   * @param httpStatus the HTTP status, or -1
   * @param messages the platform's messages, may be empty
   * @param validationErrors the schema validation errors, may be empty
   * @param message what went wrong when {@code messages} is empty (or a summary before them)
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismValidationException(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      List<PrismErrorMessage> messages,
      List<PrismValidationError> validationErrors,
      String message,
      String hint,
      @Nullable Throwable cause) {
    super(operation, call, httpStatus, messages, message, hint, cause);
    this.validationErrors = List.copyOf(validationErrors);
  }

  /**
   * The schema validation errors of a 400 {@code SchemaValidationError} body.
   *
   * @return the errors, empty for other bodies
   */
  public List<PrismValidationError> validationErrors() {
    return validationErrors;
  }

  /**
   * The attributes named by the schema validation errors.
   *
   * @return e.g. {@code [memorySizeBytes]}
   */
  public List<String> attributePaths() {
    return validationErrors.stream()
        .map(PrismValidationError::attributePath)
        .filter(java.util.Objects::nonNull)
        .toList();
  }
}
