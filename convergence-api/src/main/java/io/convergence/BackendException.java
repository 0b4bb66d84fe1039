package io.convergence;

import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A platform refused or failed a request: it names the backend, the operation, the HTTP status or
 * SOAP fault and the platform's own code and message.
 *
 * @since 0.1.0
 */
public class BackendException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  /** The backend. */
  private final String backendId;

  /** What was being done. */
  private final String operation;

  /** The HTTP status or -1. */
  private final int statusCode;

  /** The platform's code. */
  private final @Nullable String platformCode;

  /** The platform's message. */
  private final String platformMessage;

  /** What to check next. */
  private final String hint;

  /**
   * Creates the exception.
   *
   * @param backendId the backend's id
   * @param operation what was being done, e.g. {@code create VirtualMachine lab-1/tester}
   * @param statusCode the HTTP status, or -1 when there is none
   * @param platformCode the platform's error code or fault name, or {@code null}
   * @param platformMessage the platform's message
   * @param hint what to check next, or empty
   * @param cause the underlying exception, or {@code null}
   */
  public BackendException(
      String backendId,
      String operation,
      int statusCode,
      @Nullable String platformCode,
      String platformMessage,
      String hint,
      @Nullable Throwable cause) {
    super(message(backendId, operation, statusCode, platformCode, platformMessage, hint), cause);
    this.backendId = backendId;
    this.operation = operation;
    this.statusCode = statusCode;
    this.platformCode = platformCode;
    this.platformMessage = platformMessage;
    this.hint = hint;
  }

  private static String message(
      String backendId,
      String operation,
      int statusCode,
      @Nullable String platformCode,
      String platformMessage,
      String hint) {
    StringBuilder s = new StringBuilder(backendId).append(": ").append(operation).append(" failed");
    if (statusCode >= 0) {
      s.append(" (HTTP ").append(statusCode).append(')');
    }
    if (platformCode != null) {
      s.append(": ").append(platformCode);
    }
    s.append(": ").append(platformMessage);
    if (!hint.isEmpty()) {
      s.append("; check: ").append(hint);
    }
    return s.toString();
  }

  /**
   * The backend's id.
   *
   * @return the id
   */
  public String backendId() {
    return backendId;
  }

  /**
   * What was being done.
   *
   * @return the operation
   */
  public String operation() {
    return operation;
  }

  /**
   * The HTTP status, if the platform answered with one.
   *
   * @return the status
   */
  public OptionalInt statusCode() {
    return statusCode >= 0 ? OptionalInt.of(statusCode) : OptionalInt.empty();
  }

  /**
   * The platform's error code or fault name, e.g. {@code AlreadyExists}, {@code InvalidLogin},
   * {@code VMM-30100}.
   *
   * @return the code
   */
  public Optional<String> platformCode() {
    return Optional.ofNullable(platformCode);
  }

  /**
   * The platform's message.
   *
   * @return the message
   */
  public String platformMessage() {
    return platformMessage;
  }

  /**
   * What to check next, as the backend knows it.
   *
   * @return the hint, or empty
   */
  public String hint() {
    return hint;
  }
}
