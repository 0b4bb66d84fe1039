package io.convergence;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import java.util.List;

/**
 * Why one workload of a lab did not become ready.
 *
 * @param workload the workload's name
 * @param stage the stage it did not reach
 * @param reason the platform's short reason, e.g. {@code ErrImagePull}, {@code Unschedulable},
 *     {@code Timeout}
 * @param message the platform's message
 * @param hint what to check next
 * @param diagnostics the last conditions, events and console lines the backend collected, newest
 *     last
 * @since 0.1.0
 */
public record WorkloadFailure(
    String workload,
    Stage stage,
    String reason,
    String message,
    String hint,
    List<String> diagnostics) {

  /**
   * Checks and copies the components.
   *
   * @param workload the workload's name
   * @param stage the stage it did not reach
   * @param reason the platform's short reason
   * @param message the platform's message
   * @param hint what to check next
   * @param diagnostics collected diagnostics
   */
  public WorkloadFailure {
    requireNonNull(workload, "workload");
    requireNonNull(stage, "stage");
    requireNonNull(reason, "reason");
    requireNonNull(message, "message");
    requireNonNull(hint, "hint");
    diagnostics = List.copyOf(diagnostics);
  }

  /** {@code workload at stage: reason: message}. */
  @Override
  public String toString() {
    return workload + " did not reach " + stage.id() + ": " + reason + ": " + message;
  }
}
