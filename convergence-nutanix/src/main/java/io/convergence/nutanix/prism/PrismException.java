package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import io.convergence.BackendException;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something went wrong talking to Prism Central. The subtypes say what, classified like
 * prism-go-client's {@code Categorise}: by HTTP status first, by {@code errorGroup} second.
 *
 * <ul>
 *   <li>{@link PrismNotFoundException}: 404, or a name that matches nothing;
 *   <li>{@link PrismConflictException}: 409, 412 (stale {@code If-Match}), 428 (missing one);
 *   <li>{@link PrismValidationException}: 400 and 422;
 *   <li>{@link PrismUnauthenticatedException}: 401; {@link PrismForbiddenException}: 403;
 *   <li>{@link PrismRateLimitedException}: 429 (after the retries);
 *   <li>{@link PrismServerException}: 5xx and 408 (after the retries);
 *   <li>{@link PrismTaskFailedException}, {@link PrismTaskTimeoutException}: a task failed or did
 *       not finish;
 *   <li>{@link PrismAmbiguousNameException}: a name matches more than one entity;
 *   <li>{@link PrismTransportException}: no usable answer at all.
 * </ul>
 *
 * <p>The message always names the platform code, error group and message (e.g. {@code VMM-30303
 * VM_ETAG_MISMATCH: Failed to perform ...}), the HTTP request and its {@code NTNX-Request-Id}. It
 * never contains credentials, cookies or guest customization payloads.
 *
 * @since 0.1.0
 */
public class PrismException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** The backend id these exceptions carry: {@value}. */
  public static final String BACKEND_ID = "nutanix";

  /** The HTTP request, if there was one. */
  private final @Nullable PrismCall call;

  /** The platform's messages. */
  private final List<PrismErrorMessage> messages;

  /** The full message. */
  private final String fullMessage;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing, e.g. {@code create VM lab-1} or {@code GET
   *     /api/...}
   * @param call the HTTP request that failed, or {@code null} when the failure is not one request's
   * @param httpStatus the HTTP status, or -1
   * @param messages the platform's messages (the first one gives code and error group), may be
   *     empty
   * @param message what went wrong when {@code messages} is empty (or a summary before them)
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismException(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      List<PrismErrorMessage> messages,
      String message,
      String hint,
      @Nullable Throwable cause) {
    super(
        BACKEND_ID,
        requireNonNull(operation, "operation"),
        httpStatus,
        messages.isEmpty() ? null : messages.get(0).code(),
        platformMessage(messages, message),
        hint,
        cause);
    this.call = call;
    this.messages = List.copyOf(messages);
    this.fullMessage = format(operation, call, httpStatus, this.messages, message, hint);
  }

  private static String platformMessage(List<PrismErrorMessage> messages, String message) {
    if (messages.isEmpty()) {
      return message;
    }
    String m = messages.get(0).message();
    return m == null ? message : m;
  }

  private static String format(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      List<PrismErrorMessage> messages,
      String message,
      String hint) {
    StringBuilder s =
        new StringBuilder(BACKEND_ID).append(": ").append(operation).append(" failed");
    if (httpStatus >= 0 || call != null) {
      s.append(" (");
      if (httpStatus >= 0) {
        s.append("HTTP ").append(httpStatus);
      }
      if (call != null) {
        if (httpStatus >= 0) {
          s.append(", ");
        }
        s.append(call.method()).append(' ').append(call.path());
        if (call.requestId() != null) {
          s.append(", NTNX-Request-Id ").append(call.requestId());
        }
      }
      s.append(')');
    }
    s.append(": ");
    if (messages.isEmpty()) {
      s.append(message);
    } else {
      if (!message.isEmpty()) {
        s.append(message).append(": ");
      }
      s.append(messages.get(0));
      for (int i = 1; i < messages.size(); i++) {
        s.append("; ").append(messages.get(i));
      }
    }
    if (!hint.isEmpty()) {
      s.append("; check: ").append(hint);
    }
    return s.toString();
  }

  /** {@return the operation, HTTP request, platform codes, messages and hint} */
  @Override
  public String getMessage() {
    return fullMessage;
  }

  /**
   * The HTTP request that failed.
   *
   * @return the request, if the failure belongs to one
   */
  public Optional<PrismCall> call() {
    return Optional.ofNullable(call);
  }

  /**
   * The HTTP method of the request that failed.
   *
   * @return e.g. {@code POST}
   */
  public Optional<String> requestMethod() {
    return call().map(PrismCall::method);
  }

  /**
   * The path of the request that failed.
   *
   * @return e.g. {@code /api/vmm/v4.0/ahv/config/vms}
   */
  public Optional<String> requestPath() {
    return call().map(PrismCall::path);
  }

  /**
   * The {@code NTNX-Request-Id} of the request that failed.
   *
   * @return the id, for mutations
   */
  public Optional<String> requestId() {
    return call().map(PrismCall::requestId);
  }

  /**
   * The HTTP status.
   *
   * @return the status, or -1 when there was none
   */
  public int httpStatus() {
    return statusCode().orElse(-1);
  }

  /**
   * The platform code of the first message.
   *
   * @return e.g. {@code VMM-30303}
   */
  public Optional<String> code() {
    return platformCode();
  }

  /**
   * The error group of the first message.
   *
   * @return e.g. {@code VM_ETAG_MISMATCH}
   */
  public Optional<String> errorGroup() {
    return messages.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(messages.get(0).errorGroup());
  }

  /**
   * Every message of the error body or of the failed task.
   *
   * @return the messages, possibly empty
   */
  public List<PrismErrorMessage> messages() {
    return messages;
  }

  /**
   * Whether any message has this error group.
   *
   * @param group e.g. {@code CATEGORY_ALREADY_EXISTS}
   * @return whether one has
   */
  public boolean hasErrorGroup(String group) {
    return messages.stream().anyMatch(m -> group.equalsIgnoreCase(m.errorGroup()));
  }

  /**
   * Whether any message has this platform code.
   *
   * @param code e.g. {@code VMM-30303}
   * @return whether one has
   */
  public boolean hasCode(String code) {
    return messages.stream().anyMatch(m -> code.equalsIgnoreCase(m.code()));
  }

  /**
   * Whether this is an ETag mismatch: HTTP 412, or a message with error group {@code
   * VM_ETAG_MISMATCH} or code {@code VMM-30303} or {@code PLAT-10005}.
   *
   * @return whether the entity changed since its ETag was read
   */
  public boolean isEtagMismatch() {
    return httpStatus() == 412
        || hasErrorGroup("VM_ETAG_MISMATCH")
        || hasCode("VMM-30303")
        || hasCode("PLAT-10005")
        || messages.stream()
            .anyMatch(m -> m.message() != null && m.message().contains("If-Match header value"));
  }
}
