package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.plan.NativeObject;
import io.convergence.spec.Stage;
import io.convergence.spec.WorkloadSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One workload as a backend plans it.
 *
 * @param name the workload's name
 * @param spec its spec (for auxiliary workloads, the spec the backend made up)
 * @param stages the readiness stages it goes through, in {@link Stage} order; the runtime expects
 *     the backend to report each of them and times each one
 * @param objects the native objects it sends, secrets redacted
 * @param extraPrerequisites workloads that must be ready first besides those of the spec (e.g. a
 *     file server)
 * @param auxiliaryReason why the backend added this workload, or {@code null} for workloads of the
 *     spec
 * @param notes how the backend realises the workload's features
 * @since 0.1.0
 */
public record PlannedWorkload(
    String name,
    WorkloadSpec spec,
    List<Stage> stages,
    List<NativeObject> objects,
    Set<String> extraPrerequisites,
    @Nullable String auxiliaryReason,
    List<String> notes) {

  /**
   * Checks and copies the components.
   *
   * @param name the name
   * @param spec the spec
   * @param stages the stages
   * @param objects the objects
   * @param extraPrerequisites extra prerequisites
   * @param auxiliaryReason why it was added, or {@code null}
   * @param notes notes
   */
  public PlannedWorkload {
    requireNonNull(name, "name");
    requireNonNull(spec, "spec");
    stages = List.copyOf(stages);
    if (stages.isEmpty() || stages.get(0) != Stage.CREATED) {
      throw new IllegalArgumentException(
          "stages of " + name + " must start with CREATED: " + stages);
    }
    for (int i = 1; i < stages.size(); i++) {
      if (stages.get(i).compareTo(stages.get(i - 1)) <= 0) {
        throw new IllegalArgumentException(
            "stages of " + name + " must be in Stage order: " + stages);
      }
    }
    objects = List.copyOf(objects);
    extraPrerequisites = Set.copyOf(extraPrerequisites);
    notes = List.copyOf(notes);
  }

  /**
   * A workload of the spec with no extra prerequisites.
   *
   * @param name the name
   * @param spec the spec
   * @param stages the stages
   * @param objects the objects
   * @param notes notes
   * @return the planned workload
   */
  public static PlannedWorkload of(
      String name,
      WorkloadSpec spec,
      List<Stage> stages,
      List<NativeObject> objects,
      List<String> notes) {
    return new PlannedWorkload(name, spec, stages, objects, Set.of(), null, notes);
  }

  /**
   * Why the backend added this workload.
   *
   * @return the reason, empty for workloads of the spec
   */
  public Optional<String> optionalAuxiliaryReason() {
    return Optional.ofNullable(auxiliaryReason);
  }

  /**
   * The last stage, after which the workload is ready.
   *
   * @return the stage
   */
  public Stage finalStage() {
    return stages.get(stages.size() - 1);
  }
}
