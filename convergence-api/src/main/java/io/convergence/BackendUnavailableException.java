package io.convergence;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * No backend could be used: each one tried is listed with the reason it was rejected (not
 * configured, unreachable, credentials refused).
 *
 * @since 0.1.0
 */
public class BackendUnavailableException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  private final transient List<Attempt> attempts;

  /**
   * One backend that was tried.
   *
   * @param backendId the backend's id
   * @param reason why it cannot be used, with what to check
   * @since 0.1.0
   */
  public record Attempt(String backendId, String reason) {
    /**
     * Checks the components.
     *
     * @param backendId the backend's id
     * @param reason why it cannot be used
     */
    public Attempt {
      requireNonNull(backendId, "backendId");
      requireNonNull(reason, "reason");
    }
  }

  /**
   * Creates the exception.
   *
   * @param attempts every backend tried
   */
  public BackendUnavailableException(List<Attempt> attempts) {
    super(message(attempts));
    this.attempts = List.copyOf(attempts);
  }

  private static String message(List<Attempt> attempts) {
    if (attempts.isEmpty()) {
      return "No Convergence backend is on the classpath; add one, e.g. io.convergence:convergence-kubevirt";
    }
    StringBuilder s = new StringBuilder("No backend is available; tried:");
    for (Attempt a : attempts) {
      s.append("\n  - ").append(a.backendId()).append(": ").append(a.reason());
    }
    return s.toString();
  }

  /**
   * Every backend tried, in order.
   *
   * @return the attempts
   */
  public List<Attempt> attempts() {
    return attempts;
  }
}
