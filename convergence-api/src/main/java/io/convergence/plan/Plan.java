package io.convergence.plan;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * What a backend does for a lab: the steps in an order that respects their dependencies, with the
 * native objects each one sends. {@link #render()} writes every object as one multi-document text,
 * for review or for applying by hand.
 *
 * @param labId the lab's id (for a dry-run plan, the id the lab would get)
 * @param labName the lab's name
 * @param backendId the backend that planned it
 * @param steps the steps, each after the steps it depends on
 * @param notes lab-wide notes of the backend (capabilities probed, realisations chosen)
 * @since 0.1.0
 */
public record Plan(
    String labId, String labName, String backendId, List<PlanStep> steps, List<String> notes) {

  /**
   * Checks and copies the components.
   *
   * @param labId the lab's id
   * @param labName the lab's name
   * @param backendId the backend
   * @param steps the steps
   * @param notes the notes
   */
  public Plan {
    requireNonNull(labId, "labId");
    requireNonNull(labName, "labName");
    requireNonNull(backendId, "backendId");
    steps = List.copyOf(steps);
    notes = List.copyOf(notes);
  }

  /**
   * The step of a workload.
   *
   * @param workload the workload's name
   * @return its step, if the plan has the workload
   */
  public Optional<PlanStep> workloadStep(String workload) {
    return steps.stream().filter(s -> workload.equals(s.workload())).findFirst();
  }

  /**
   * Every native object of every step, in step order.
   *
   * @return the objects
   */
  public List<NativeObject> objects() {
    return steps.stream().flatMap(s -> s.objects().stream()).toList();
  }

  /**
   * Every native object as one text: YAML documents separated by {@code ---}, each preceded by a
   * comment naming its step; JSON and XML objects embedded as YAML block strings.
   *
   * @return the rendered plan
   */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append("# plan for lab ").append(labId).append(" on ").append(backendId).append('\n');
    for (String note : notes) {
      s.append("# note: ").append(note).append('\n');
    }
    for (PlanStep step : steps) {
      for (String note : step.notes()) {
        s.append("# ").append(step.id()).append(": ").append(note).append('\n');
      }
      for (NativeObject o : step.objects()) {
        s.append("---\n# step ")
            .append(step.id())
            .append(": ")
            .append(o.kind())
            .append(' ')
            .append(o.name());
        s.append('\n');
        if (o.format() == NativeObject.Format.YAML) {
          s.append(o.content());
        } else {
          s.append(o.format().name().toLowerCase(java.util.Locale.ROOT)).append(": |\n");
          o.content().lines().forEach(l -> s.append("  ").append(l).append('\n'));
        }
        if (!o.content().endsWith("\n")) {
          s.append('\n');
        }
      }
    }
    return s.toString();
  }
}
