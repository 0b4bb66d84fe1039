package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A response the fake sends: status, headers and body. Immutable, so a response remembered for a
 * replayed {@code NTNX-Request-Id} is sent again byte for byte.
 */
record HttpResult(int status, Map<String, String> headers, byte @Nullable [] body) {

  static final String JSON = "application/json";
  static final String HTML = "text/html; charset=utf-8";

  HttpResult {
    headers = Map.copyOf(headers);
  }

  static HttpResult json(int status, JsonNode body) {
    return new HttpResult(status, Map.of("Content-Type", JSON), PrismJson.bytes(body));
  }

  static HttpResult html(int status, String body) {
    return new HttpResult(
        status, Map.of("Content-Type", HTML), body.getBytes(StandardCharsets.UTF_8));
  }

  static HttpResult noContent() {
    return new HttpResult(204, Map.of(), null);
  }

  /** A copy with one more header. */
  HttpResult withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpResult(status, h, body);
  }
}
