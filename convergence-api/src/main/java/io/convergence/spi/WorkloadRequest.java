package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.WorkloadSpec;

/**
 * One workload to create.
 *
 * @param planned the workload as planned
 * @param spec the spec to create, with every {@link io.convergence.spec.Ref} placeholder replaced
 *     by the referenced workload's actual address
 * @since 0.1.0
 */
public record WorkloadRequest(PlannedWorkload planned, WorkloadSpec spec) {
  /**
   * Checks the components.
   *
   * @param planned the planned workload
   * @param spec the resolved spec
   */
  public WorkloadRequest {
    requireNonNull(planned, "planned");
    requireNonNull(spec, "spec");
  }

  /**
   * The workload's name.
   *
   * @return the name
   */
  public String name() {
    return planned.name();
  }
}
