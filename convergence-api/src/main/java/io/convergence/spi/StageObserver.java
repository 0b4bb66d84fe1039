package io.convergence.spi;

import io.convergence.spec.Stage;

/**
 * Where a backend reports a workload's progress. Thread-safe; calls may come from any thread, in
 * any order and more than once: reaching a stage implies every earlier one, and reports after the
 * workload is ready or failed are ignored.
 *
 * @since 0.1.0
 */
public interface StageObserver {

  /**
   * The workload reached {@code stage}.
   *
   * @param stage the stage
   * @param detail what the backend saw, e.g. {@code node worker-2} or {@code 10.244.1.7}; may be
   *     empty
   */
  void reached(Stage stage, String detail);

  /**
   * The workload cannot reach {@code stage}: the platform reported a failure that will not heal by
   * waiting (ErrImagePull, Unschedulable, a failed import). The runtime fails the lab at once.
   *
   * @param stage the stage that cannot be reached
   * @param reason the platform's short reason, e.g. {@code ErrImagePull}
   * @param message the platform's message
   * @param hint what the user should check next
   */
  void failed(Stage stage, String reason, String message, String hint);
}
