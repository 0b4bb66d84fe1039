package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * A task did not finish within the wait's timeout. It is not cancelled: it may still finish.
 *
 * @since 0.1.0
 */
public class PrismTaskTimeoutException extends PrismException {
  private static final long serialVersionUID = 1L;

  /** The task as last read. */
  private final transient Task task;

  /** How long was waited. */
  private final Duration timeout;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing, e.g. {@code await task CreateVm}
   * @param task the task as last read
   * @param timeout how long was waited
   */
  public PrismTaskTimeoutException(String operation, Task task, Duration timeout) {
    super(
        operation,
        null,
        -1,
        List.of(),
        "task "
            + (task.operation() == null ? "" : task.operation() + " ")
            + task.extId()
            + " is still "
            + task.status()
            + (task.progressPercentage() == null ? "" : " at " + task.progressPercentage() + "%")
            + " after "
            + timeout,
        "Prism Central's task list (Activity > Tasks); raise PrismConfig.taskPolling(...)",
        null);
    this.task = requireNonNull(task, "task");
    this.timeout = timeout;
  }

  /**
   * The task as last read.
   *
   * @return the task, still running
   */
  public Task task() {
    return task;
  }

  /**
   * How long was waited.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }
}
