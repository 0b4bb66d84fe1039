package io.convergence.internal.runtime;

import io.convergence.plan.NativeObject;
import io.convergence.plan.Plan;
import io.convergence.plan.PlanStep;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.PlannedWorkload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a backend's plan into the public {@link Plan}: steps in dependency order, secrets scrubbed.
 */
final class PlanAssembler {

  static final String LAB_STEP = "lab";

  private PlanAssembler() {}

  static String stepId(String workload) {
    return "workload/" + workload;
  }

  /** Every workload's prerequisites: those of its spec and those the backend added. */
  static Map<String, Set<String>> prerequisites(BackendPlan plan) {
    Map<String, Set<String>> prerequisites = new LinkedHashMap<>();
    for (PlannedWorkload w : plan.workloads()) {
      Set<String> p = new LinkedHashSet<>(w.spec().prerequisites());
      p.addAll(w.extraPrerequisites());
      prerequisites.put(w.name(), p);
    }
    return prerequisites;
  }

  /** Workload names such that each comes after its prerequisites; ties keep the plan's order. */
  static List<String> order(BackendPlan plan) {
    Map<String, Set<String>> prerequisites = prerequisites(plan);
    List<String> ordered = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (placed.size() < prerequisites.size()) {
      boolean progress = false;
      for (Map.Entry<String, Set<String>> e : prerequisites.entrySet()) {
        if (!placed.contains(e.getKey()) && placed.containsAll(e.getValue())) {
          placed.add(e.getKey());
          ordered.add(e.getKey());
          progress = true;
        }
      }
      if (!progress) {
        Set<String> rest = new LinkedHashSet<>(prerequisites.keySet());
        rest.removeAll(placed);
        throw new IllegalStateException(
            "the backend's plan has a dependency cycle or an unknown prerequisite among "
                + rest
                + ": "
                + prerequisites);
      }
    }
    return ordered;
  }

  static Plan assemble(BackendPlan plan, String backendId, Redactor redactor) {
    Map<String, Set<String>> prerequisites = prerequisites(plan);
    List<PlanStep> steps = new ArrayList<>();
    steps.add(
        new PlanStep(
            LAB_STEP, null, Set.of(), List.of(), scrub(plan.labObjects(), redactor), List.of()));
    for (String name : order(plan)) {
      PlannedWorkload w = plan.workload(name).orElseThrow();
      Set<String> after = new LinkedHashSet<>();
      after.add(LAB_STEP);
      prerequisites.get(name).forEach(p -> after.add(stepId(p)));
      List<String> notes = new ArrayList<>();
      w.optionalAuxiliaryReason().ifPresent(r -> notes.add("added by the backend: " + r));
      notes.addAll(w.notes());
      steps.add(
          new PlanStep(stepId(name), name, after, w.stages(), scrub(w.objects(), redactor), notes));
    }
    return new Plan(plan.ownership().labId(), plan.spec().name(), backendId, steps, plan.notes());
  }

  private static List<NativeObject> scrub(List<NativeObject> objects, Redactor redactor) {
    return objects.stream()
        .map(o -> new NativeObject(o.kind(), o.name(), o.format(), redactor.scrub(o.content())))
        .toList();
  }
}
