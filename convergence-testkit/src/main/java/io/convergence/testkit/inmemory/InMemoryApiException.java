package io.convergence.testkit.inmemory;

/** An error answer of the {@link InMemoryPlatform}'s API, like an HTTP error of a real platform. */
final class InMemoryApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  InMemoryApiException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  int status() {
    return status;
  }

  String reason() {
    return reason;
  }
}
