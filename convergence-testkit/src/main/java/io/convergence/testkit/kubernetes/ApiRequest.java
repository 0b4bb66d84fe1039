package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

/**
 * One request the {@link EmbeddedKubernetes} server received.
 *
 * @param method the HTTP method, e.g. {@code GET}
 * @param path the path with its query, e.g. {@code /api/v1/namespaces/lab/pods?watch=true}
 * @param userAgent the {@code User-Agent} header, empty when absent
 * @param status the HTTP status answered (101 for a watch upgraded to a web socket)
 * @since 0.1.0
 */
public record ApiRequest(String method, String path, String userAgent, int status) {

  /**
   * Checks the fields.
   *
   * @param method the method
   * @param path the path
   * @param userAgent the user agent
   * @param status the status
   */
  public ApiRequest {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
    requireNonNull(userAgent, "userAgent");
  }

  /**
   * Whether this is a watch request.
   *
   * @return whether the query asks to watch
   */
  public boolean isWatch() {
    return path.contains("watch=true");
  }

  @Override
  public String toString() {
    return method + " " + path + " -> " + status + " (" + userAgent + ")";
  }
}
