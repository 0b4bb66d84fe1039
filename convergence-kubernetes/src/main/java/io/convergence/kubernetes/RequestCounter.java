package io.convergence.kubernetes;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Counts the requests one backend's Kubernetes client sends, by method and path pattern (names
 * replaced by {@code *}), e.g. {@code POST /api/v1/namespaces/ * /pods}. Watches count as {@code
 * WATCH}. Used by the contract suite (no request for an invalid spec) and the benchmark (requests
 * per workload, watches per lab).
 *
 * @since 0.1.0
 */
public final class RequestCounter implements Interceptor {

  private static final Pattern NAMESPACED = Pattern.compile("/namespaces/[^/]+");
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final AtomicLong total = new AtomicLong();

  /** A counter at zero. */
  public RequestCounter() {}

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    total.incrementAndGet();
    counts.computeIfAbsent(key(request), k -> new AtomicLong()).incrementAndGet();
  }

  /**
   * Counts a request another client of the same backend sent, e.g. {@code SOAP CloneVM_Task} from a
   * vim25 client, so one counter covers every request a backend makes.
   *
   * @param key the method and path pattern, or another stable description
   */
  public void count(String key) {
    total.incrementAndGet();
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private static String key(HttpRequest request) {
    String path = request.uri().getPath();
    String query = request.uri().getQuery();
    String method = request.method();
    if (query != null && query.contains("watch=true")) {
      method = "WATCH";
    }
    path = NAMESPACED.matcher(path).replaceAll("/namespaces/*");
    String[] parts = path.split("/");
    // /api/v1/namespaces/*/pods/NAME or /apis/G/V/namespaces/*/KIND/NAME[/sub]: replace the object
    // name.
    int kindIndex = path.startsWith("/apis/") ? 6 : 5;
    if (path.contains("/namespaces/*") && parts.length > kindIndex + 1) {
      parts[kindIndex + 1] = "*";
    } else if (!path.contains("/namespaces/*") && parts.length > kindIndex - 1) {
      parts[kindIndex - 1] = "*";
    }
    return method + " " + String.join("/", parts);
  }

  /**
   * All requests so far.
   *
   * @return the count
   */
  public long total() {
    return total.get();
  }

  /**
   * Watches opened so far.
   *
   * @return the count
   */
  public long watches() {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith("WATCH "))
        .mapToLong(e -> e.getValue().get())
        .sum();
  }

  /**
   * Requests by method and path pattern.
   *
   * @return pattern to count, sorted
   */
  public Map<String, Long> byPattern() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }
}
