package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP request an error belongs to.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the request path (URL-encoded, without the query), e.g. {@code
 *     /api/vmm/v4.0/ahv/config/vms}
 * @param requestId the {@code NTNX-Request-Id} sent, or {@code null} for reads
 * @since 0.1.0
 */
public record PrismCall(String method, String path, @Nullable String requestId) {
  /**
   * Checks the parts.
   *
   * @param method the HTTP method
   * @param path the path
   * @param requestId the request id, or {@code null}
   */
  public PrismCall {
    requireNonNull(method, "method");
    requireNonNull(path, "path");
  }

  /** {@return "METHOD path"} */
  @Override
  public String toString() {
    return method + " " + path;
  }
}
