package io.convergence.testkit.inmemory;

import io.convergence.BackendException;
import io.convergence.Feature;
import io.convergence.Ownership;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code inmemory} backend: a client of an {@link InMemoryPlatform}. */
final class InMemoryBackend implements Backend {
  private static final Logger log = LoggerFactory.getLogger(InMemoryBackend.class);

  private final InMemoryPlatform platform;
  private final Set<Feature> features;

  InMemoryBackend(InMemoryPlatform platform, Set<Feature> features) {
    this.platform = platform;
    this.features = Set.copyOf(features);
  }

  @Override
  public String id() {
    return InMemoryBackendProvider.ID;
  }

  @Override
  public Set<Feature> features() {
    return features;
  }

  @Override
  public BackendPlan plan(PlanRequest request) {
    List<NativeObject> labObjects =
        SpecToInMemoryObjects.labObjects(request.spec(), request.ownership()).stream()
            .map(SpecToInMemoryObjects::render)
            .toList();
    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : request.spec().workloads()) {
      List<NativeObject> objects =
          SpecToInMemoryObjects.workloadObjects(
                  w.name(), w.spec(), request.spec(), request.ownership())
              .stream()
              .map(SpecToInMemoryObjects::render)
              .toList();
      workloads.add(
          PlannedWorkload.of(w.name(), w.spec(), stages(w.spec()), objects, notes(w.spec())));
    }
    List<String> notes = new ArrayList<>();
    notes.add("in-memory platform '" + platform.name() + "': nothing leaves this JVM");
    if (!request.spec().sharedVolumes().isEmpty()) {
      notes.add(
          "shared volumes are in-memory Volume objects mounted by name into VMs and containers alike");
    }
    return new BackendPlan(request.spec(), request.ownership(), labObjects, workloads, notes);
  }

  /** The stages the platform's controller moves a workload through. */
  static List<Stage> stages(WorkloadSpec spec) {
    List<Stage> stages =
        new ArrayList<>(List.of(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK));
    if (spec instanceof VmSpec vm
        && (vm.guestAgent() || vm.cloudInit().isPresent() || vm.sysprep().isPresent())) {
      stages.add(Stage.GUEST);
    }
    if (!spec.readiness().probes().isEmpty()) {
      stages.add(Stage.PROBE);
    }
    return stages;
  }

  private static List<String> notes(WorkloadSpec spec) {
    if (spec instanceof VmSpec vm && vm.guestAgent()) {
      return List.of("guest stage: waits for the simulated guest agent");
    }
    if (spec instanceof VmSpec vm && (vm.cloudInit().isPresent() || vm.sysprep().isPresent())) {
      return List.of("guest stage: waits for the simulated customisation");
    }
    return List.of();
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    return new InMemoryLabDriver(platform, plan);
  }

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    Map<String, List<InMemoryObject>> byLab = new LinkedHashMap<>();
    for (InMemoryObject o : platform.list(Map.of(Ownership.MANAGED_BY_KEY, Ownership.MANAGED_BY))) {
      o.label(Ownership.LAB_ID_KEY)
          .ifPresent(id -> byLab.computeIfAbsent(id, k -> new ArrayList<>()).add(o));
    }
    List<SweepReport.SweptLab> swept = new ArrayList<>();
    for (Map.Entry<String, List<InMemoryObject>> e : byLab.entrySet()) {
      Optional<Ownership> ownership = Ownership.fromLabels(e.getValue().get(0).labels());
      if (ownership.isEmpty() || !request.matches(ownership.get(), now)) {
        continue;
      }
      List<String> refs = e.getValue().stream().map(InMemoryObject::ref).sorted().toList();
      boolean removed = false;
      if (!request.isDryRun()) {
        log.info(
            "Sweeping lab {} ({} objects, expired at {})",
            e.getKey(),
            refs.size(),
            ownership.get().expiresAt());
        InMemoryLabDriver.deleteAndWait(platform, e.getKey(), Duration.ofMinutes(1));
        removed = true;
      }
      swept.add(new SweepReport.SweptLab(ownership.get(), refs, removed));
    }
    return new SweepReport(id(), swept);
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    return type == InMemoryPlatform.class ? Optional.of(type.cast(platform)) : Optional.empty();
  }

  @Override
  public List<Class<?>> unwrapTypes() {
    return List.of(InMemoryPlatform.class);
  }

  @Override
  public void close() {
    // The platform is shared by name and outlives its clients, like a real one.
  }

  static BackendException error(String operation, InMemoryApiException e) {
    return new BackendException(
        InMemoryBackendProvider.ID, operation, e.status(), e.reason(), e.getMessage(), "", e);
  }
}
