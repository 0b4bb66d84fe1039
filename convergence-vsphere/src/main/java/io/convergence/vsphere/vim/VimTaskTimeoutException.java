package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A task did not finish within the wait's timeout. The task is not cancelled: it may still finish
 * (or fail) on vCenter, so read its state again or clean up what it may have created.
 *
 * @since 0.1.0
 */
public class VimTaskTimeoutException extends VimException {
  private static final long serialVersionUID = 1L;

  /** The task (not serialized: references are not serializable). */
  private final transient ManagedObjectReference task;

  /** The state seen last. */
  private final TaskInfo.State lastState;

  /**
   * Creates the exception.
   *
   * @param operation the operation that started the task, e.g. {@code CloneVM_Task}
   * @param task the task
   * @param lastState the state seen last
   * @param timeout how long the wait was
   */
  public VimTaskTimeoutException(
      String operation, ManagedObjectReference task, TaskInfo.State lastState, Duration timeout) {
    super(
        operation + " (" + requireNonNull(task, "task") + ")",
        -1,
        null,
        "task still " + lastState.wireName() + " after " + timeout,
        "the task in vCenter's recent tasks; it was not cancelled",
        null);
    this.task = task;
    this.lastState = lastState;
  }

  /**
   * The task.
   *
   * @return the task
   */
  public ManagedObjectReference task() {
    return task;
  }

  /**
   * The state seen last ({@code queued} or {@code running}).
   *
   * @return the state
   */
  public TaskInfo.State lastState() {
    return lastState;
  }
}
