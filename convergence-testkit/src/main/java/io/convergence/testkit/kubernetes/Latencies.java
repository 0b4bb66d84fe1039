package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * How long each step of the simulated platform takes (scheduling a pod, starting its containers, a
 * VMI phase, an import progress step, ...): one default, and overrides per workload (the value of
 * the {@value Faults#WORKLOAD_LABEL} label). Shared by the simulators of a platform; thread-safe;
 * changes apply from the next step.
 *
 * @since 0.1.0
 */
public final class Latencies {

  private volatile Duration step;
  private final Map<String, Duration> perWorkload = new ConcurrentHashMap<>();

  /**
   * Latencies with one default per step.
   *
   * @param step the default latency of each step
   */
  public Latencies(Duration step) {
    this.step = requireNonNull(step, "step");
  }

  /**
   * Sets the default latency of each step.
   *
   * @param step the latency
   * @return these latencies
   */
  public Latencies step(Duration step) {
    this.step = requireNonNull(step, "step");
    return this;
  }

  /**
   * Sets the latency of each step of one workload.
   *
   * @param workload the workload's name
   * @param step the latency
   * @return these latencies
   */
  public Latencies step(String workload, Duration step) {
    perWorkload.put(requireNonNull(workload, "workload"), requireNonNull(step, "step"));
    return this;
  }

  /**
   * Removes the override of a workload.
   *
   * @param workload the workload's name
   * @return these latencies
   */
  public Latencies clear(String workload) {
    perWorkload.remove(workload);
    return this;
  }

  /**
   * The default latency of each step.
   *
   * @return the latency
   */
  public Duration step() {
    return step;
  }

  /**
   * The latency of each step of a workload.
   *
   * @param workload the workload's name, or null for objects that name none
   * @return its override, else the default
   */
  public Duration of(@Nullable String workload) {
    Duration d = workload == null ? null : perWorkload.get(workload);
    return d != null ? d : step;
  }
}
