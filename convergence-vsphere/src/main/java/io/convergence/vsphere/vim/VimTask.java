package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A vCenter task a {@code *_Task} method started. The method returns as soon as vCenter accepted
 * the request; {@link #await()} waits for the outcome.
 *
 * @since 0.1.0
 */
public final class VimTask {
  private final Vim25Client client;
  private final String operation;
  private final ManagedObjectReference task;

  VimTask(Vim25Client client, String operation, ManagedObjectReference task) {
    this.client = requireNonNull(client, "client");
    this.operation = requireNonNull(operation, "operation");
    this.task = requireNonNull(task, "task");
  }

  /**
   * The task object.
   *
   * @return the reference
   */
  public ManagedObjectReference ref() {
    return task;
  }

  /**
   * The method that started the task, e.g. {@code CloneVM_Task}.
   *
   * @return the method
   */
  public String operation() {
    return operation;
  }

  /**
   * Reads the task's state once.
   *
   * @return the state
   */
  public TaskInfo info() {
    return client.taskInfo(task);
  }

  /**
   * Waits for the task with the configured timeout ({@link Vim25Config#taskTimeout()}).
   *
   * @return the final state ({@link TaskInfo.State#SUCCESS}), with the result if any
   * @throws VimFaultException when the task failed, naming its fault
   * @throws VimTaskTimeoutException when it did not finish in time
   */
  public TaskInfo await() {
    return client.waitForTask(operation, task, client.config().taskTimeout());
  }

  /**
   * Waits for the task.
   *
   * @param timeout how long to wait
   * @return the final state ({@link TaskInfo.State#SUCCESS}), with the result if any
   * @throws VimFaultException when the task failed, naming its fault
   * @throws VimTaskTimeoutException when it did not finish in time
   */
  public TaskInfo await(Duration timeout) {
    return client.waitForTask(operation, task, timeout);
  }

  /** {@return the operation and task} */
  @Override
  public String toString() {
    return operation + "(" + task + ")";
  }
}
