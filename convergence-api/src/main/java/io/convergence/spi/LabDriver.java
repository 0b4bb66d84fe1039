package io.convergence.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Drives one lab on a backend. The runtime calls {@link #prepare()} once, then {@link
 * #create(WorkloadRequest)} and {@link #observe(String, StageObserver)} for each workload once its
 * prerequisites are ready (several at a time, from several threads), and {@link #destroy(Duration)}
 * when the lab closes or fails. Every method is idempotent: objects have deterministic names, so a
 * retried create finds what an earlier attempt made.
 *
 * @since 0.1.0
 */
public interface LabDriver {

  /**
   * Creates the lab-wide objects (namespace, folder, shared volumes) and starts whatever watches
   * the lab needs.
   *
   * @throws io.convergence.BackendException when the platform refuses
   */
  void prepare();

  /**
   * Creates one workload's objects and returns once the platform accepted them.
   *
   * @param request the workload, with references resolved
   * @throws io.convergence.BackendException when the platform refuses
   */
  void create(WorkloadRequest request);

  /**
   * Starts reporting a created workload's progress to {@code observer}. Must not block: report from
   * a watch or a scheduled poll.
   *
   * @param workload the workload's name
   * @param observer where to report
   */
  void observe(String workload, StageObserver observer);

  /**
   * What the platform currently says about a workload: state, address, diagnostics.
   *
   * @param workload the workload's name
   * @return the details
   */
  WorkloadDetails describe(String workload);

  /**
   * Interactive access to a workload.
   *
   * @param workload the workload's name
   * @return the access, or empty when the backend offers none for it
   */
  default Optional<WorkloadAccess> access(String workload) {
    return Optional.empty();
  }

  /**
   * Removes every object carrying this lab's ownership and waits until they are gone. Safe to call
   * when nothing or only part of the lab was created, and more than once.
   *
   * @param timeout how long to wait for the objects to disappear
   * @throws io.convergence.BackendException when the platform refuses or objects remain after
   *     {@code timeout}
   */
  void destroy(Duration timeout);

  /**
   * Stops watching the lab and releases local resources (watches, port-forwards, sessions) without
   * removing anything: the lab stays up for a later run to adopt (see {@link
   * io.convergence.StartOptions#reuse()}). A later run opens a new driver for the same plan, whose
   * {@link #prepare} and {@link #create} find the objects already there and adopt them. The default
   * does nothing, which suits drivers that hold no local resources.
   */
  default void release() {}

  /**
   * An optional capability of the lab, such as {@link io.convergence.Snapshots}.
   *
   * @param type the capability interface
   * @param <T> the capability type
   * @return the capability, or empty when not offered
   */
  default <T> Optional<T> capability(Class<T> type) {
    return Optional.empty();
  }

  /**
   * Objects of the lab that still exist, as {@code kind/name}, for messages after a failed destroy.
   *
   * @return the objects, empty when unknown
   */
  default java.util.List<String> remainingObjects() {
    return java.util.List.of();
  }
}
