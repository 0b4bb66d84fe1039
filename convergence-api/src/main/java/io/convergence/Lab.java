package io.convergence;

import io.convergence.event.LabEvent;
import io.convergence.plan.Plan;
import io.convergence.spec.LabSpec;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A running lab: every workload ready, references resolved. Closing it removes everything it
 * created and waits until the objects are gone; closing again does nothing.
 *
 * <pre>{@code
 * try (Lab lab = Convergence.backend("kubevirt").start(spec)) {
 *   Endpoint winrm = lab.workload("tester").endpoint(5985);
 *   ExecResult r = lab.workload("analysis").exec("python", "-c", "print(1)");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public interface Lab extends AutoCloseable {

  /**
   * The lab's unique id, e.g. {@code wafer-analysis-k3x9q2}; it is in the ownership labels of every
   * object.
   *
   * @return the id
   */
  String id();

  /**
   * The lab's name, from its spec.
   *
   * @return the name
   */
  String name();

  /**
   * The backend the lab runs on.
   *
   * @return the backend id
   */
  String backendId();

  /**
   * The spec the lab was started from.
   *
   * @return the spec
   */
  LabSpec spec();

  /**
   * The ownership stamped on every object of the lab.
   *
   * @return the ownership
   */
  Ownership ownership();

  /**
   * What the backend created for the lab: the steps and the native objects each sent (secrets
   * redacted).
   *
   * @return the plan
   */
  Plan plan();

  /**
   * The workload named {@code name}.
   *
   * @param name a workload's name
   * @return its handle
   * @throws IllegalArgumentException listing the lab's workloads when there is none of that name
   */
  Workload workload(String name);

  /**
   * Every workload, in spec order, including any the backend added (such as an in-lab file server).
   *
   * @return the handles
   */
  List<Workload> workloads();

  /**
   * Everything that happened to the lab so far, oldest first.
   *
   * @return the events
   */
  List<LabEvent> events();

  /**
   * When the lab's TTL ends.
   *
   * @return the expiry
   */
  Instant expiresAt();

  /**
   * An optional capability of the lab's backend, such as {@link Snapshots}.
   *
   * @param type the capability interface
   * @param <T> the capability type
   * @return the capability, or empty when the backend does not offer it
   */
  <T> Optional<T> capability(Class<T> type);

  /**
   * The backend's native client, e.g. a fabric8 {@code KubernetesClient}; code that uses it is not
   * portable.
   *
   * @param type the client type
   * @param <T> the client type
   * @return the client
   * @throws IllegalArgumentException listing the supported types when {@code type} is not one
   */
  <T> T unwrap(Class<T> type);

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  boolean isClosed();

  /**
   * A snapshot of the lab for a failure report: spec, plan, events, and per workload its status,
   * the platform's diagnostics and its logs, every secret redacted. Reads the platform; a workload
   * whose part cannot be read says why in its report instead.
   *
   * @return the report
   */
  LabReport report();

  /**
   * Keeps the lab for inspection: {@link #close()} then leaves it running, releasing only local
   * resources; it still expires at {@link #expiresAt()}, and {@link Convergence#sweep} removes it
   * sooner.
   */
  void keep();

  /**
   * Whether the lab was started for reuse ({@link StartOptions#reuse()}): {@link #close()} then
   * leaves it running for a later run to adopt, until {@link #expiresAt()}; remove it sooner with
   * {@link Convergence#sweep}{@code (SweepRequest.lab(id()))}.
   *
   * @return true when reusable
   */
  boolean reusable();

  /**
   * Removes everything the lab created and waits until it is gone; a {@linkplain #reusable()
   * reusable} lab is left running instead. Idempotent.
   *
   * @throws TeardownException when objects remain after retries; they still expire and a sweep
   *     removes them
   */
  @Override
  void close();
}
