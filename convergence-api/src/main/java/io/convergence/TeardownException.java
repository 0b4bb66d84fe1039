package io.convergence;

import java.time.Instant;
import java.util.List;

/**
 * A lab could not be removed completely. What remains still carries its ownership labels and
 * expiry, so a later {@code sweep} removes it; the message says how.
 *
 * @since 0.1.0
 */
public class TeardownException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  /** The lab's id. */
  private final String labId;

  /** Objects left. */
  private final List<String> remaining;

  /**
   * Creates the exception.
   *
   * @param labId the lab's id
   * @param backendId the backend's id
   * @param remaining the objects that remain, as {@code kind/name}
   * @param expiresAt when the lab expires
   * @param cause the last failure
   */
  public TeardownException(
      String labId, String backendId, List<String> remaining, Instant expiresAt, Throwable cause) {
    super(
        "Lab "
            + labId
            + " on "
            + backendId
            + " was not removed completely: "
            + (remaining.isEmpty() ? "unknown objects" : String.join(", ", remaining))
            + " remain ("
            + cause.getMessage()
            + "). They expire at "
            + expiresAt
            + "; remove them with sweep(SweepRequest.lab(\""
            + labId
            + "\")) once the backend is reachable.",
        cause);
    this.labId = labId;
    this.remaining = List.copyOf(remaining);
  }

  /**
   * The lab's id.
   *
   * @return the id
   */
  public String labId() {
    return labId;
  }

  /**
   * The objects that remain.
   *
   * @return {@code kind/name} of each
   */
  public List<String> remaining() {
    return remaining;
  }
}
