package io.convergence.plan;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link Plan}.
 *
 * @param id the step's id: {@code lab} for the lab-wide objects, {@code workload/<name>} for a
 *     workload
 * @param workload the workload the step creates, or {@code null} for the lab step
 * @param after ids of the steps that must be done (for workloads: ready) before this one starts
 * @param stages for workload steps, the readiness stages the workload goes through, in order
 * @param objects the native objects the step sends
 * @param notes why the backend chose what it did (e.g. how a shared volume is realised)
 * @since 0.1.0
 */
public record PlanStep(
    String id,
    @Nullable String workload,
    Set<String> after,
    List<Stage> stages,
    List<NativeObject> objects,
    List<String> notes) {

  /**
   * Checks and copies the components.
   *
   * @param id the step's id
   * @param workload the workload, or {@code null}
   * @param after prerequisite step ids
   * @param stages readiness stages
   * @param objects native objects
   * @param notes the backend's notes
   */
  public PlanStep {
    requireNonNull(id, "id");
    after = Set.copyOf(after);
    stages = List.copyOf(stages);
    objects = List.copyOf(objects);
    notes = List.copyOf(notes);
  }

  /**
   * The workload the step creates.
   *
   * @return the name, empty for the lab step
   */
  public Optional<String> optionalWorkload() {
    return Optional.ofNullable(workload);
  }
}
