package io.convergence.nutanix.prism.internal;

import java.net.http.HttpHeaders;
import java.util.Optional;

/**
 * A successful (2xx) answer.
 *
 * @param status the HTTP status
 * @param headers the headers
 * @param body the body, possibly empty
 */
public record PrismResponse(int status, HttpHeaders headers, byte[] body) {
  /**
   * A header.
   *
   * @param name the header's name (case-insensitive)
   * @return its first value
   */
  public Optional<String> header(String name) {
    return headers.firstValue(name);
  }
}
