package io.convergence.spec;

import java.time.Duration;

/**
 * The stages a workload passes on its way to ready, in order. Each stage has its own timeout
 * ({@link Readiness#timeout(Stage)}), so a failure names the stage that stalled.
 *
 * <p>Not every stage applies to every workload: {@link #GUEST} applies only to VMs that expect a
 * guest agent or whose platform reports customisation, {@link #PROBE} only to workloads with
 * probes. The backend's plan says which stages a workload goes through.
 *
 * @since 0.1.0
 */
public enum Stage {
  /** The platform accepted the workload's objects. */
  CREATED(Duration.ofMinutes(2)),
  /**
   * The workload was placed on a host (pod bound to a node, VM placed on a host; image import
   * done).
   */
  SCHEDULED(Duration.ofMinutes(10)),
  /** The container or VM is running (powered on, containers started). */
  RUNNING(Duration.ofMinutes(10)),
  /** The workload has a network address that the rest of the lab can use. */
  NETWORK(Duration.ofMinutes(5)),
  /** The guest agent is connected or the guest customisation is done (VMs only). */
  GUEST(Duration.ofMinutes(20)),
  /** Every readiness probe of the workload passed. */
  PROBE(Duration.ofMinutes(10));

  private final Duration defaultTimeout;

  Stage(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * The time a workload may spend reaching this stage after the previous one, unless its {@link
   * Readiness} overrides it.
   *
   * @return the default timeout, never zero or negative
   */
  public Duration defaultTimeout() {
    return defaultTimeout;
  }

  /**
   * The stage's name as written in YAML and in messages, e.g. {@code "network"}.
   *
   * @return the lower-case name
   */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
