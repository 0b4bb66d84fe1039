package io.convergence;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * A host and port.
 *
 * @param host a host name or IP address
 * @param port the port
 * @since 0.1.0
 */
public record Endpoint(String host, int port) {
  /**
   * Checks the components.
   *
   * @param host a host name or IP address
   * @param port the port
   */
  public Endpoint {
    requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535: " + port);
    }
  }

  /**
   * A URI of this endpoint.
   *
   * @param scheme e.g. {@code http}
   * @return {@code scheme://host:port}
   */
  public URI uri(String scheme) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return URI.create(scheme + "://" + h + ":" + port);
  }

  /** {@code host:port}. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
