package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fault the {@link EmbeddedKubernetes} server injects: the next {@code times} requests that match
 * an HTTP method, a path pattern and optionally a user-agent prefix are answered with an HTTP
 * status and a Kubernetes {@code Status} body instead of reaching the store. Values are immutable;
 * each {@code with} method returns a copy.
 *
 * <pre>{@code
 * embedded.inject(RequestFault.next(1, "POST", "/apis/kubevirt.io/v1/namespaces/[^/]+/virtualmachines")
 *     .withStatus(500, "InternalError", "etcdserver: request timed out")
 *     .withUserAgent("convergence/"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class RequestFault {

  private final int times;
  private final String method;
  private final Pattern path;
  private final int status;
  private final String reason;
  private final String message;
  private final @Nullable String userAgentPrefix;
  private final @Nullable Duration retryAfter;

  private RequestFault(
      int times,
      String method,
      Pattern path,
      int status,
      String reason,
      String message,
      @Nullable String userAgentPrefix,
      @Nullable Duration retryAfter) {
    this.times = times;
    this.method = method;
    this.path = path;
    this.status = status;
    this.reason = reason;
    this.message = message;
    this.userAgentPrefix = userAgentPrefix;
    this.retryAfter = retryAfter;
  }

  /**
   * Fails the next {@code times} matching requests, by default with 500 {@code InternalError}.
   *
   * @param times how many requests fail, at least 1
   * @param method the HTTP method ({@code GET}, {@code POST}, {@code PUT}, {@code PATCH}, {@code
   *     DELETE}), or {@code *} for any
   * @param pathRegex a regular expression the whole path (without the query) must match
   * @return the fault
   */
  public static RequestFault next(int times, String method, String pathRegex) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1: " + times);
    }
    return new RequestFault(
        times,
        requireNonNull(method, "method").toUpperCase(Locale.ROOT),
        Pattern.compile(requireNonNull(pathRegex, "pathRegex")),
        500,
        "InternalError",
        "an error on the server (\"injected by EmbeddedKubernetes\") has prevented the request"
            + " from succeeding",
        null,
        null);
  }

  /**
   * Answers with this status instead.
   *
   * @param code the HTTP status, e.g. 409, 429, 500, 503
   * @param reason the {@code Status.reason}, e.g. {@code Conflict}, {@code TooManyRequests}
   * @param message the {@code Status.message}
   * @return a copy
   */
  public RequestFault withStatus(int code, String reason, String message) {
    return new RequestFault(
        times,
        method,
        path,
        code,
        requireNonNull(reason, "reason"),
        requireNonNull(message, "message"),
        userAgentPrefix,
        retryAfter);
  }

  /**
   * Matches only requests whose {@code User-Agent} starts with the prefix.
   *
   * @param prefix e.g. {@code convergence/}
   * @return a copy
   */
  public RequestFault withUserAgent(String prefix) {
    return new RequestFault(
        times, method, path, status, reason, message, requireNonNull(prefix, "prefix"), retryAfter);
  }

  /**
   * Adds a {@code Retry-After} header (whole seconds) and {@code details.retryAfterSeconds}.
   *
   * @param after the delay
   * @return a copy
   */
  public RequestFault withRetryAfter(Duration after) {
    return new RequestFault(
        times, method, path, status, reason, message, userAgentPrefix, requireNonNull(after));
  }

  /**
   * How many requests fail.
   *
   * @return the count
   */
  public int times() {
    return times;
  }

  /**
   * The HTTP status answered.
   *
   * @return the status
   */
  public int status() {
    return status;
  }

  /**
   * The {@code Status.reason} answered.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }

  /**
   * The {@code Status.message} answered.
   *
   * @return the message
   */
  public String message() {
    return message;
  }

  /**
   * The {@code Retry-After} delay, if any.
   *
   * @return the delay, or null
   */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  boolean matches(String requestMethod, String requestPath, String userAgent) {
    if (!method.equals("*") && !method.equalsIgnoreCase(requestMethod)) {
      return false;
    }
    if (userAgentPrefix != null && !userAgent.startsWith(userAgentPrefix)) {
      return false;
    }
    int q = requestPath.indexOf('?');
    return path.matcher(q < 0 ? requestPath : requestPath.substring(0, q)).matches();
  }

  @Override
  public String toString() {
    return "RequestFault{"
        + times
        + "x "
        + method
        + " "
        + path
        + (userAgentPrefix == null ? "" : " from " + userAgentPrefix)
        + " -> "
        + status
        + " "
        + reason
        + "}";
  }
}
