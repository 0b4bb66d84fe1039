package io.convergence.nutanix.prism.internal;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One logical call: sent once, or again on transport retries with the same {@code NTNX-Request-Id}.
 * A mutation ({@code POST}, {@code PUT}, {@code DELETE}) gets a fresh random request id when it is
 * created; a new logical call (e.g. after a fresh ETag was read) is a new request.
 */
public final class PrismRequest {
  private final String operation;
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final byte @Nullable [] body;
  private final @Nullable String ifMatch;
  private final @Nullable String requestId;
  private final boolean sensitiveBody;

  private PrismRequest(
      String operation,
      String method,
      String path,
      Map<String, String> query,
      byte @Nullable [] body,
      @Nullable String ifMatch,
      boolean sensitiveBody) {
    this.operation = requireNonNull(operation, "operation");
    this.method = requireNonNull(method, "method");
    this.path = requireNonNull(path, "path");
    this.query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    this.body = body;
    this.ifMatch = ifMatch;
    this.sensitiveBody = sensitiveBody;
    this.requestId = isMutation(method) ? UUID.randomUUID().toString() : null;
  }

  private static boolean isMutation(String method) {
    return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
  }

  /**
   * A read.
   *
   * @param operation what the client is doing, for messages
   * @param path the encoded path
   * @param query the query parameters (values raw), in order
   * @return the request
   */
  public static PrismRequest get(String operation, String path, Map<String, String> query) {
    return new PrismRequest(operation, "GET", path, query, null, null, false);
  }

  /**
   * A mutation.
   *
   * @param operation what the client is doing, for messages
   * @param method {@code POST}, {@code PUT} or {@code DELETE}
   * @param path the encoded path
   * @param body the JSON body, or {@code null}
   * @param ifMatch the ETag to send as {@code If-Match}, or {@code null}
   * @param sensitiveBody whether the body holds secrets (guest customization): never logged
   * @return the request, with a new request id
   */
  public static PrismRequest mutation(
      String operation,
      String method,
      String path,
      byte @Nullable [] body,
      @Nullable String ifMatch,
      boolean sensitiveBody) {
    if (!isMutation(method)) {
      throw new IllegalArgumentException("not a mutation: " + method);
    }
    return new PrismRequest(operation, method, path, Map.of(), body, ifMatch, sensitiveBody);
  }

  /**
   * What the client is doing, e.g. {@code create VM lab-1}.
   *
   * @return the operation
   */
  public String operation() {
    return operation;
  }

  /**
   * The HTTP method.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * The encoded path.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * The query parameters, values raw.
   *
   * @return the parameters
   */
  public Map<String, String> query() {
    return query;
  }

  /**
   * The body.
   *
   * @return the body, or {@code null}
   */
  public byte @Nullable [] body() {
    return body;
  }

  /**
   * The {@code If-Match} value.
   *
   * @return the ETag, or {@code null}
   */
  public @Nullable String ifMatch() {
    return ifMatch;
  }

  /**
   * The {@code NTNX-Request-Id}, the same on every attempt.
   *
   * @return the id, for mutations
   */
  public @Nullable String requestId() {
    return requestId;
  }

  /**
   * Whether the body must never be logged.
   *
   * @return whether it holds secrets
   */
  public boolean sensitiveBody() {
    return sensitiveBody;
  }

  /** {@return method, path and request id, never the body} */
  @Override
  public String toString() {
    return method + " " + path + (requestId == null ? "" : " [" + requestId + "]");
  }
}
