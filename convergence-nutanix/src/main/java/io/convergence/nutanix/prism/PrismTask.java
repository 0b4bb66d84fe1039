package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A Prism Central task a mutation started. The mutation returns as soon as Prism Central accepted
 * it (HTTP 202); {@link #await()} waits for the outcome.
 *
 * <p>For mutations guarded by {@code If-Match} (VM power, delete, revert; recovery point delete), a
 * task that fails with {@code VM_ETAG_MISMATCH} (the VM changed between the ETag read and the task
 * starting) is not the end: {@link #await()} reads a fresh ETag, sends the mutation again with a
 * new request id, and waits for the new task, sharing the bound {@link PrismConfig#etagRetries()}
 * with HTTP 412 retries. {@link #extId()} then names the latest task.
 *
 * @since 0.1.0
 */
public final class PrismTask {
  /** Sends a mutation again after its task failed with an ETag mismatch. */
  @FunctionalInterface
  interface Resubmit {
    /**
     * Sends the mutation again.
     *
     * @param failure the failed task's exception
     * @return the new task's extId
     * @throws PrismException when the retries are used up (or the new request fails)
     */
    String resubmit(PrismTaskFailedException failure);
  }

  private final PrismClient client;
  private final String operation;
  private final @Nullable Resubmit resubmit;
  private volatile String extId;

  PrismTask(PrismClient client, String operation, String extId, @Nullable Resubmit resubmit) {
    this.client = requireNonNull(client, "client");
    this.operation = requireNonNull(operation, "operation");
    this.extId = requireNonNull(extId, "extId");
    this.resubmit = resubmit;
  }

  /**
   * The task's extId (opaque, e.g. {@code ZXJnb24=:447c5e9e-…}); after an ETag retry, the latest
   * task's.
   *
   * @return the extId
   */
  public String extId() {
    return extId;
  }

  /**
   * What started the task, e.g. {@code power on VM 5f1c…}.
   *
   * @return the operation
   */
  public String operation() {
    return operation;
  }

  /**
   * Reads the task once.
   *
   * @return the task
   */
  public Task get() {
    return client.getTask(extId);
  }

  /**
   * Waits for the task with the configured timeout ({@link PrismConfig#taskTimeout()}).
   *
   * @return the task, {@link Task.Status#SUCCEEDED}; {@link Task#vmExtId()} names a created VM
   * @throws PrismTaskFailedException when it failed (with its error messages) or was cancelled
   * @throws PrismTaskTimeoutException when it did not finish in time
   */
  public Task await() {
    return await(client.config().taskTimeout());
  }

  /**
   * Waits for the task.
   *
   * @param timeout how long to wait, ETag retries included
   * @return the task, {@link Task.Status#SUCCEEDED}
   * @throws PrismTaskFailedException when it failed (with its error messages) or was cancelled
   * @throws PrismTaskTimeoutException when it did not finish in time
   */
  public Task await(Duration timeout) {
    requireNonNull(timeout, "timeout");
    long deadline = client.pacer().nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return client.awaitTask(operation, extId, deadline, timeout);
      } catch (PrismTaskFailedException e) {
        if (resubmit == null || !e.isEtagMismatch()) {
          throw e;
        }
        extId = resubmit.resubmit(e);
      }
    }
  }

  /** {@return the operation and task extId} */
  @Override
  public String toString() {
    return operation + " (task " + extId + ")";
  }
}
