package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.Ownership;
import io.convergence.plan.NativeObject;
import io.convergence.spec.LabSpec;
import java.util.List;
import java.util.Optional;

/**
 * A backend's plan of one lab.
 *
 * @param spec the spec planned
 * @param ownership the ownership stamped on every object
 * @param labObjects lab-wide objects created by {@link LabDriver#prepare()} (namespace, folder,
 *     volumes)
 * @param workloads every workload, those of the spec in spec order followed by auxiliary ones
 * @param notes lab-wide notes (capabilities probed, realisations chosen and why)
 * @since 0.1.0
 */
public record BackendPlan(
    LabSpec spec,
    Ownership ownership,
    List<NativeObject> labObjects,
    List<PlannedWorkload> workloads,
    List<String> notes) {

  /**
   * Checks and copies the components.
   *
   * @param spec the spec
   * @param ownership the ownership
   * @param labObjects lab-wide objects
   * @param workloads the workloads
   * @param notes the notes
   */
  public BackendPlan {
    requireNonNull(spec, "spec");
    requireNonNull(ownership, "ownership");
    labObjects = List.copyOf(labObjects);
    workloads = List.copyOf(workloads);
    notes = List.copyOf(notes);
  }

  /**
   * The planned workload named {@code name}.
   *
   * @param name the workload's name
   * @return the planned workload
   */
  public Optional<PlannedWorkload> workload(String name) {
    return workloads.stream().filter(w -> w.name().equals(name)).findFirst();
  }
}
