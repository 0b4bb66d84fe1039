package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * A workload of a lab: its name and its spec.
 *
 * @param name the workload's name, unique within the lab (a DNS label of at most 40 characters)
 * @param spec what it is
 * @since 0.1.0
 */
public record NamedWorkload(String name, WorkloadSpec spec) {
  /**
   * Checks the components.
   *
   * @param name the workload's name
   * @param spec what it is
   */
  public NamedWorkload {
    requireNonNull(name, "name");
    requireNonNull(spec, "spec");
  }
}
