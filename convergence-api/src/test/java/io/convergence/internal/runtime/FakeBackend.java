package io.convergence.internal.runtime;

import io.convergence.Feature;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.plan.NativeObject;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A backend scripted by the test: what each call does is a lambda; every call is recorded. The
 * default script reports every planned stage of a workload as soon as it is observed.
 */
final class FakeBackend implements Backend {

  final Set<Feature> features = EnumSet.allOf(Feature.class);
  final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  final Map<String, WorkloadRequest> created = new ConcurrentHashMap<>();
  final Map<String, String> hosts = new ConcurrentHashMap<>();
  final Map<String, Map<Integer, Integer>> ports = new ConcurrentHashMap<>();
  volatile Runnable onPrepare = () -> {};
  volatile Consumer<WorkloadRequest> onCreate = r -> {};
  volatile BiConsumer<PlannedWorkload, StageObserver> onObserve =
      (w, o) -> w.stages().forEach(s -> o.reached(s, ""));
  volatile Runnable onDestroy = () -> {};
  final AtomicInteger destroys = new AtomicInteger();

  @Override
  public String id() {
    return "fake";
  }

  @Override
  public Set<Feature> features() {
    calls.add("features");
    return features;
  }

  @Override
  public BackendPlan plan(PlanRequest request) {
    calls.add("plan");
    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : request.spec().workloads()) {
      workloads.add(
          PlannedWorkload.of(
              w.name(),
              w.spec(),
              stages(w.spec()),
              List.of(
                  new NativeObject(
                      "Thing", w.name(), NativeObject.Format.YAML, "name: " + w.name() + "\n")),
              List.of()));
    }
    return new BackendPlan(request.spec(), request.ownership(), List.of(), workloads, List.of());
  }

  static List<Stage> stages(WorkloadSpec spec) {
    List<Stage> s =
        new ArrayList<>(List.of(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK));
    if (spec instanceof VmSpec vm && vm.guestAgent()) {
      s.add(Stage.GUEST);
    }
    if (!spec.readiness().probes().isEmpty()) {
      s.add(Stage.PROBE);
    }
    return s;
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    calls.add("open");
    return new LabDriver() {
      @Override
      public void prepare() {
        calls.add("prepare");
        onPrepare.run();
      }

      @Override
      public void create(WorkloadRequest request) {
        calls.add("create " + request.name());
        onCreate.accept(request);
        created.put(request.name(), request);
      }

      @Override
      public void observe(String workload, StageObserver observer) {
        calls.add("observe " + workload);
        onObserve.accept(plan.workload(workload).orElseThrow(), observer);
      }

      @Override
      public WorkloadDetails describe(String workload) {
        return new WorkloadDetails(
            WorkloadStatus.READY,
            "Fine",
            hosts.getOrDefault(workload, workload + ".lab"),
            ports.getOrDefault(workload, Map.of()),
            List.of("event: something about " + workload));
      }

      @Override
      public void destroy(Duration timeout) {
        calls.add("destroy");
        destroys.incrementAndGet();
        onDestroy.run();
      }

      @Override
      public List<String> remainingObjects() {
        return List.of("Thing/left-over");
      }
    };
  }

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    calls.add("sweep");
    return new SweepReport(id(), List.of());
  }

  @Override
  public void close() {
    calls.add("close");
  }
}
