package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * A task ended {@code FAILED} (its {@code errorMessages} are this exception's {@link #messages()},
 * e.g. {@code VMM-30303 VM_ETAG_MISMATCH} or an out-of-resources error) or {@code CANCELED}.
 *
 * @since 0.1.0
 */
public class PrismTaskFailedException extends PrismException {
  private static final long serialVersionUID = 1L;

  /** The task as last read. */
  private final transient Task task;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing, e.g. {@code await task CreateVm}
   * @param task the finished task
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismTaskFailedException(
      String operation, Task task, String hint, @Nullable Throwable cause) {
    super(operation, null, -1, task.errorMessages(), summary(task), hint, cause);
    this.task = requireNonNull(task, "task");
  }

  private static String summary(Task task) {
    StringBuilder s =
        new StringBuilder("task ")
            .append(task.operation() == null ? "" : task.operation() + " ")
            .append(task.extId())
            .append(" ended ")
            .append(task.status());
    if (task.errorMessages().isEmpty()) {
      s.append(
          task.legacyErrorMessage() == null
              ? " without error messages"
              : ": " + task.legacyErrorMessage());
    }
    return s.toString();
  }

  /**
   * The task as last read.
   *
   * @return the task ({@link Task.Status#FAILED} or {@link Task.Status#CANCELED})
   */
  public Task task() {
    return task;
  }
}
