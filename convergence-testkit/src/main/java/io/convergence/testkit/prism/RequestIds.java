package io.convergence.testkit.prism;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server's memory of {@code NTNX-Request-Id}s: the response of each accepted mutation (2xx) by
 * request id, method and path, so a replay gets the original response and does not act again.
 * Bounded; the oldest entries are forgotten first. Guarded by the store's lock.
 */
final class RequestIds {

  private static final int CAPACITY = 10_000;

  private final Map<String, HttpResult> responses =
      new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpResult> eldest) {
          return size() > CAPACITY;
        }
      };

  private static String key(String requestId, String method, String path) {
    return requestId.toLowerCase(java.util.Locale.ROOT) + " " + method + " " + path;
  }

  Optional<HttpResult> replay(String requestId, String method, String path) {
    return Optional.ofNullable(responses.get(key(requestId, method, path)));
  }

  void remember(String requestId, String method, String path, HttpResult result) {
    responses.put(key(requestId, method, path), result);
  }
}
