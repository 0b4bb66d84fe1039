package io.convergence.vsphere.supervisor.internal;

import io.convergence.WorkloadStatus;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.Observation;
import io.convergence.kubernetes.PodAccess;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadAccess;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Drives one lab on a Supervisor: containers through the shared container plane, VMs as
 * VirtualMachines (plus bootstrap Secret, disk claims and VirtualMachineService), progress from one
 * VirtualMachine informer for the whole lab.
 */
final class SupervisorLabDriver implements LabDriver {

  private final SupervisorBackend backend;
  private final BackendPlan plan;
  private final LabNames names;
  private final SmbSharedVolumes volumes;
  private final KubernetesLab lab;
  private final ContainerPlane containers;
  private final Map<String, StageObserver> vmObservers = new ConcurrentHashMap<>();
  private final Map<String, WorkloadAccess> accesses = new ConcurrentHashMap<>();
  private volatile @Nullable SharedIndexInformer<GenericKubernetesResource> vms;
  private volatile @Nullable Map<String, VmSpecToVmOperator.Placement> placements;

  SupervisorLabDriver(
      SupervisorBackend backend, BackendPlan plan, LabNames names, SmbSharedVolumes volumes) {
    this.backend = backend;
    this.plan = plan;
    this.names = names;
    this.volumes = volumes;
    this.lab =
        new KubernetesLab(
            backend.client(), backend.id(), names, hasVms() ? backend.api().labKinds() : List.of());
    this.containers = new ContainerPlane(lab);
  }

  private boolean hasVms() {
    return plan.workloads().stream().anyMatch(w -> w.spec() instanceof VmSpec);
  }

  @Override
  public void prepare() {
    lab.prepare(plan.spec().sharedVolumes(), backend.settings().storageClass());
    if (hasVms() && vms == null) {
      vms = lab.inform(backend.api().virtualMachines(), this::onVmChange);
    }
  }

  private void onVmChange(GenericKubernetesResource o) {
    Map<String, String> labels = o.getMetadata().getLabels();
    String workload = labels == null ? null : labels.get(LabNames.WORKLOAD_KEY);
    if (workload != null && vmObservers.containsKey(workload)) {
      evaluate(workload);
    }
  }

  private PlannedWorkload planned(String workload) {
    return plan.workload(workload)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "lab " + names.ownership().labId() + " has no workload " + workload));
  }

  /** Class, image and storage class of the lab's VMs, resolved again when the lab is driven. */
  private synchronized VmSpecToVmOperator.Placement placement(String workload) {
    Map<String, VmSpecToVmOperator.Placement> p = placements;
    if (p == null) {
      List<io.convergence.spec.SpecProblem> problems = new ArrayList<>();
      p = backend.placements(plan.spec(), problems);
      if (!problems.isEmpty()) {
        throw new io.convergence.InvalidLabSpecException(
            plan.spec().name(), problems, backend.id());
      }
      placements = p;
    }
    return p.get(workload);
  }

  @Override
  public void create(WorkloadRequest request) {
    if (request.spec() instanceof VmSpec vm) {
      List<GuestMount> mounts = volumes.mounts().getOrDefault(request.name(), List.of());
      VmSpecToVmOperator.VmObjects objects =
          VmSpecToVmOperator.toObjects(
              request.name(), vm, names, backend.api(), placement(request.name()), mounts);
      objects.secrets().forEach(lab::createIfAbsent);
      objects.claims().forEach(lab::createIfAbsent);
      lab.createIfAbsent(backend.api().virtualMachines(), objects.virtualMachine());
      objects
          .service()
          .ifPresent(s -> lab.createIfAbsent(backend.api().virtualMachineServices(), s));
    } else {
      containers.create(request.name(), (ContainerSpec) request.spec(), UnaryOperator.identity());
    }
  }

  @Override
  public void observe(String workload, StageObserver observer) {
    PlannedWorkload planned = planned(workload);
    if (planned.spec() instanceof VmSpec) {
      vmObservers.put(workload, observer);
      evaluate(workload);
    } else {
      containers.observe(planned, observer);
    }
  }

  private void evaluate(String workload) {
    StageObserver observer = vmObservers.get(workload);
    if (observer != null) {
      observation(workload).reportTo(observer);
    }
  }

  private Observation observation(String workload) {
    VmSpec spec = (VmSpec) planned(workload).spec();
    boolean nativeProbe = VmSpecToVmOperator.tcpProbePort(spec).isPresent();
    boolean toolsProbe =
        spec.readiness().probes().stream().anyMatch(p -> p instanceof Probe.GuestAgent);
    return VmOperatorStatusToStage.observe(
        cached(names.objectName(workload)), spec.guestAgent(), nativeProbe, toolsProbe);
  }

  private @Nullable GenericKubernetesResource cached(String name) {
    SharedIndexInformer<GenericKubernetesResource> informer = vms;
    if (informer == null) {
      return null;
    }
    return informer.getStore().getByKey(names.namespace() + "/" + name);
  }

  @Override
  public WorkloadDetails describe(String workload) {
    PlannedWorkload planned = planned(workload);
    if (planned.spec() instanceof ContainerSpec c) {
      return containers.describe(workload, c);
    }
    VmSpec spec = (VmSpec) planned.spec();
    String name = names.objectName(workload);
    GenericKubernetesResource vm = cached(name);
    Observation o = observation(workload);
    Object status = vm == null ? Map.of() : VmOperatorStatusToStage.status(vm);
    String power = VmOperatorStatusToStage.text(status, "powerState").orElse("Unknown");
    WorkloadStatus state =
        vm == null
            ? WorkloadStatus.PENDING
            : vm.getMetadata().getDeletionTimestamp() != null
                ? WorkloadStatus.DELETING
                : o.failure() != null
                    ? WorkloadStatus.FAILED
                    : o.reached() != null && o.reached() == planned.finalStage()
                        ? WorkloadStatus.READY
                        : stopped(vm) ? WorkloadStatus.STOPPED : WorkloadStatus.PROVISIONING;
    Optional<String> ip = VmOperatorStatusToStage.ipAddress(status);
    String host = spec.ports().isEmpty() ? ip.orElse(null) : names.serviceHost(workload);
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    spec.ports().forEach(p -> ports.put(p.number(), p.number()));
    List<String> lines = new ArrayList<>();
    lines.add(
        "VirtualMachine "
            + names.namespace()
            + "/"
            + name
            + (vm == null ? " not seen yet" : " powerState " + power)
            + ip.map(a -> " primaryIP4 " + a).orElse(""));
    for (Map<String, Object> c : VmOperatorStatusToStage.conditions(status)) {
      lines.add(
          "condition "
              + c.get("type")
              + "="
              + c.get("status")
              + (c.get("reason") == null ? "" : " " + c.get("reason"))
              + (c.get("message") == null || c.get("message").toString().isEmpty()
                  ? ""
                  : ": " + c.get("message")));
    }
    if (state != WorkloadStatus.READY) {
      lines.addAll(events(name));
    }
    return new WorkloadDetails(state, power, host, ports, lines);
  }

  /** Stopped on purpose: the VM asks to be off or suspended (not a VM still powering on). */
  private static boolean stopped(GenericKubernetesResource vm) {
    Object desired = Catalog.Maps.at(vm.getAdditionalProperties().get("spec"), "powerState");
    return "PoweredOff".equals(desired) || "Suspended".equals(desired);
  }

  private List<String> events(String name) {
    try {
      return lab.client().v1().events().inNamespace(names.namespace()).list().getItems().stream()
          .filter(
              e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
          .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
          .map(SupervisorLabDriver::event)
          .toList();
    } catch (KubernetesClientException e) {
      return List.of("events unavailable: " + e.getMessage());
    }
  }

  private static String event(Event e) {
    return "event "
        + e.getType()
        + " "
        + e.getReason()
        + " "
        + e.getInvolvedObject().getKind()
        + "/"
        + e.getInvolvedObject().getName()
        + ": "
        + e.getMessage();
  }

  @Override
  public Optional<WorkloadAccess> access(String workload) {
    if (planned(workload).spec() instanceof VmSpec) {
      // vm-operator offers no exec, copy or console log API; reach VMs by their Service.
      return Optional.empty();
    }
    return Optional.of(
        accesses.computeIfAbsent(
            workload,
            w ->
                new PodAccess(
                    lab,
                    w,
                    p -> p.getSpec().getContainers().get(0).getName(),
                    null,
                    backend.settings().execTimeout())));
  }

  @Override
  public void destroy(Duration timeout) {
    closeLocal();
    lab.destroy(timeout);
  }

  @Override
  public void release() {
    closeLocal();
    lab.release();
  }

  private void closeLocal() {
    accesses.values().forEach(WorkloadAccess::close);
    accesses.clear();
    containers.close();
    vms = null;
  }

  @Override
  public List<String> remainingObjects() {
    return lab.remaining();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == io.convergence.Snapshots.class && hasVms() && backend.api().snapshots()) {
      return Optional.of(
          type.cast(
              new SupervisorSnapshots(
                  lab, plan, backend.api(), backend.settings().teardownTimeout())));
    }
    return Optional.empty();
  }
}
