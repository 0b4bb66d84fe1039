package io.convergence.testkit.prism;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request a {@link FakePrismCentral} received, as its request log keeps it. Credentials are never
 * kept in clear: the value of {@code Authorization} keeps only its scheme ({@code Basic
 * <redacted>}), {@code X-ntnx-api-key} and session cookies are replaced by {@value #REDACTED}.
 *
 * @param time when the request arrived (the fake's clock)
 * @param method the HTTP method
 * @param path the decoded path, without the query
 * @param rawQuery the query as sent (percent-encoded), empty when there is none
 * @param headers the request headers by name (case-insensitive), redacted
 * @param body the request body as text, empty when there is none
 * @param status the status answered, 0 when the connection was dropped
 * @since 0.1.0
 */
public record RecordedRequest(
    Instant time,
    String method,
    String path,
    String rawQuery,
    Map<String, List<String>> headers,
    String body,
    int status) {

  /** What replaces a credential: {@value}. */
  public static final String REDACTED = "<redacted>";

  /**
   * Copies the headers into a case-insensitive, unmodifiable map.
   *
   * @param time when
   * @param method the method
   * @param path the path
   * @param rawQuery the raw query
   * @param headers the headers, already redacted
   * @param body the body
   * @param status the status
   */
  public RecordedRequest {
    requireNonNull(time, "time");
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(rawQuery, "rawQuery");
    requireNonNull(body, "body");
    TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
    headers = Collections.unmodifiableMap(h);
  }

  /**
   * The first value of a header.
   *
   * @param name the header name, any case
   * @return the value
   */
  public Optional<String> header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
  }

  /**
   * The {@code NTNX-Request-Id} header.
   *
   * @return the request id
   */
  public Optional<String> requestId() {
    return header("NTNX-Request-Id");
  }

  /**
   * The {@code If-Match} header.
   *
   * @return the ETag sent
   */
  public Optional<String> ifMatch() {
    return header("If-Match");
  }

  /**
   * A query parameter, decoded.
   *
   * @param name e.g. {@code $filter}
   * @return the first value
   */
  public Optional<String> queryParameter(String name) {
    for (Map.Entry<String, String> e : PrismHttpHandler.parseQuery(rawQuery)) {
      if (e.getKey().equals(name)) {
        return Optional.of(e.getValue());
      }
    }
    return Optional.empty();
  }

  static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
