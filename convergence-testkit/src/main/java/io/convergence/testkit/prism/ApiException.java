package io.convergence.testkit.prism;

/** Ends the handling of a request with an error response. */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient HttpResult result;

  ApiException(HttpResult result) {
    super("HTTP " + result.status(), null, false, false);
    this.result = result;
  }

  HttpResult result() {
    return result;
  }
}
