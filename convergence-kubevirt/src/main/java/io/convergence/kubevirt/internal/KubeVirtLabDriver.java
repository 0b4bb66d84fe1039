package io.convergence.kubevirt.internal;

import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.Observation;
import io.convergence.kubernetes.PodAccess;
import io.convergence.kubernetes.ProbeToKubernetesProbe;
import io.convergence.kubevirt.KubeVirtResources;
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
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Drives one lab on KubeVirt: containers through the shared container plane, VMs as
 * VirtualMachines, progress from one informer per kind (pods, VMs, VMIs, DataVolumes) for the whole
 * lab.
 */
final class KubeVirtLabDriver implements LabDriver {

  private static final String VM_EXEC =
      "KubeVirt has no API to run commands in a guest; reach the VM through endpoint(port) with SSH or WinRM";

  private final KubeVirtBackend backend;
  private final BackendPlan plan;
  private final LabNames names;
  private final SharedVolumePlanner.Realisation realisation;
  private final KubernetesLab lab;
  private final ContainerPlane containers;
  private final Map<String, StageObserver> vmObservers = new ConcurrentHashMap<>();
  private final Map<String, WorkloadAccess> accesses = new ConcurrentHashMap<>();
  private volatile @Nullable SharedIndexInformer<GenericKubernetesResource> vms;
  private volatile @Nullable SharedIndexInformer<GenericKubernetesResource> vmis;
  private volatile @Nullable SharedIndexInformer<GenericKubernetesResource> dataVolumes;

  KubeVirtLabDriver(
      KubeVirtBackend backend,
      BackendPlan plan,
      LabNames names,
      SharedVolumePlanner.Realisation realisation) {
    this.backend = backend;
    this.plan = plan;
    this.names = names;
    this.realisation = realisation;
    this.lab =
        new KubernetesLab(backend.client(), backend.id(), names, KubeVirtResources.LAB_KINDS);
    this.containers = new ContainerPlane(lab);
  }

  private boolean hasVms() {
    return plan.workloads().stream().anyMatch(w -> w.spec() instanceof VmSpec);
  }

  @Override
  public void prepare() {
    lab.prepare(plan.spec().sharedVolumes(), backend.settings().storageClass());
    if (hasVms() && vms == null) {
      vms = lab.inform(KubeVirtResources.VIRTUAL_MACHINE, this::onVmChange);
      vmis = lab.inform(KubeVirtResources.VIRTUAL_MACHINE_INSTANCE, this::onVmChange);
      if (backend.capabilities().cdi()) {
        dataVolumes = lab.inform(KubeVirtResources.DATA_VOLUME, this::onVmChange);
      }
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

  @Override
  public void create(WorkloadRequest request) {
    if (request.spec() instanceof VmSpec vm) {
      List<GuestMount> mounts = realisation.mounts().getOrDefault(request.name(), List.of());
      VmSpecToVirtualMachine.VmObjects objects =
          VmSpecToVirtualMachine.toObjects(request.name(), vm, names, backend.settings(), mounts);
      objects.secrets().forEach(lab::createIfAbsent);
      lab.createIfAbsent(KubeVirtResources.VIRTUAL_MACHINE, objects.virtualMachine());
      objects.services().forEach(lab::createIfAbsent);
    } else {
      ContainerSpec c = (ContainerSpec) request.spec();
      containers.create(request.name(), c, KubeVirtBackend.podModifier(c));
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
    boolean nativeProbe = !ProbeToKubernetesProbe.natives(spec.readiness()).isEmpty();
    boolean agentProbe =
        spec.readiness().probes().stream().anyMatch(p -> p instanceof Probe.GuestAgent);
    return VirtualMachineStatusToStage.observe(
        cached(vms, names.objectName(workload)),
        cached(vmis, names.objectName(workload)),
        dataVolumesOf(workload),
        spec.guestAgent(),
        nativeProbe,
        agentProbe);
  }

  private @Nullable GenericKubernetesResource cached(
      @Nullable SharedIndexInformer<GenericKubernetesResource> informer, String name) {
    if (informer == null) {
      return null;
    }
    return informer.getStore().getByKey(names.namespace() + "/" + name);
  }

  private List<GenericKubernetesResource> dataVolumesOf(String workload) {
    SharedIndexInformer<GenericKubernetesResource> informer = dataVolumes;
    if (informer == null) {
      return List.of();
    }
    return informer.getStore().list().stream()
        .filter(d -> workload.equals(d.getMetadata().getLabels().get(LabNames.WORKLOAD_KEY)))
        .toList();
  }

  private List<GenericKubernetesResource> freshDataVolumes(String workload) {
    try {
      return lab.client()
          .genericKubernetesResources(KubeVirtResources.DATA_VOLUME)
          .inNamespace(names.namespace())
          .withLabels(names.workloadSelector(workload))
          .list()
          .getItems();
    } catch (KubernetesClientException e) {
      return dataVolumesOf(workload);
    }
  }

  @Override
  public WorkloadDetails describe(String workload) {
    PlannedWorkload planned = planned(workload);
    if (planned.spec() instanceof ContainerSpec c) {
      WorkloadDetails d = containers.describe(workload, c);
      if (d.status() == WorkloadStatus.READY) {
        return d;
      }
      List<String> lines = new ArrayList<>(d.diagnostics());
      lines.addAll(
          events(
              Set.copyOf(
                  lab.cachedPods(workload).stream().map(p -> p.getMetadata().getName()).toList())));
      return new WorkloadDetails(d.status(), d.backendStatus(), d.host(), d.ports(), lines);
    }
    VmSpec spec = (VmSpec) planned.spec();
    String name = names.objectName(workload);
    GenericKubernetesResource vm = cached(vms, name);
    GenericKubernetesResource vmi = cached(vmis, name);
    Observation o = observation(workload);
    Object vmStatus = vm == null ? Map.of() : VirtualMachineStatusToStage.status(vm);
    Object vmiStatus = vmi == null ? Map.of() : VirtualMachineStatusToStage.status(vmi);
    String printable =
        Maps.text(vmStatus, "printableStatus").orElse(vm == null ? "NotFound" : "Pending");
    boolean ready =
        Boolean.TRUE.equals(Maps.at(vmStatus, "ready").orElse(false))
            || o.reached() != null && o.reached() == planned.finalStage();
    WorkloadStatus status =
        vm == null
            ? WorkloadStatus.PENDING
            : vm.getMetadata().getDeletionTimestamp() != null
                ? WorkloadStatus.DELETING
                : o.failure() != null
                    ? WorkloadStatus.FAILED
                    : printable.equals("Stopped")
                        ? WorkloadStatus.STOPPED
                        : ready ? WorkloadStatus.READY : WorkloadStatus.PROVISIONING;
    Optional<String> ip = VirtualMachineStatusToStage.ipAddress(vmiStatus);
    String host = spec.ports().isEmpty() ? ip.orElse(null) : names.serviceHost(workload);
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    spec.ports().forEach(p -> ports.put(p.number(), p.number()));
    List<String> lines = new ArrayList<>();
    lines.add("VirtualMachine " + name + " printableStatus " + printable);
    Maps.list(vmStatus, "conditions").forEach(c -> lines.add("vm condition " + condition(c)));
    if (vmi != null) {
      lines.add(
          "VirtualMachineInstance phase "
              + Maps.text(vmiStatus, "phase").orElse("?")
              + Maps.text(vmiStatus, "nodeName").map(n -> " on " + n).orElse("")
              + ip.map(a -> " ip " + a).orElse(""));
      Maps.list(vmiStatus, "conditions").forEach(c -> lines.add("vmi condition " + condition(c)));
      if (spec.guestAgent() && !Maps.isTrue(vmiStatus, "AgentConnected")) {
        lines.add(
            "guest agent not connected: is qemu-guest-agent installed and running in the image?");
      }
    }
    for (GenericKubernetesResource dv : dataVolumesOf(workload)) {
      Object s = VirtualMachineStatusToStage.status(dv);
      lines.add(
          "DataVolume "
              + dv.getMetadata().getName()
              + " phase "
              + Maps.text(s, "phase").orElse("?")
              + Maps.text(s, "progress").map(p -> " " + p).orElse(""));
    }
    if (status != WorkloadStatus.READY) {
      List<Pod> launchers = lab.cachedPods(workload);
      launchers.forEach(p -> lines.addAll(ContainerPlane.diagnostics(p)));
      Set<String> involved = new java.util.HashSet<>(Set.of(name));
      launchers.forEach(p -> involved.add(p.getMetadata().getName()));
      dataVolumesOf(workload).forEach(d -> involved.add(d.getMetadata().getName()));
      lines.addAll(events(involved));
      launchers.stream().findFirst().ifPresent(p -> lines.addAll(launcherLog(p)));
    }
    return new WorkloadDetails(status, printable, host, ports, lines);
  }

  private static String condition(Map<String, Object> c) {
    return c.get("type")
        + "="
        + c.get("status")
        + (c.get("reason") == null ? "" : " " + c.get("reason"))
        + (c.get("message") == null ? "" : ": " + c.get("message"));
  }

  private List<String> events(Set<String> involved) {
    try {
      return lab.client().v1().events().inNamespace(names.namespace()).list().getItems().stream()
          .filter(
              e ->
                  e.getInvolvedObject() != null
                      && involved.contains(e.getInvolvedObject().getName()))
          .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
          .map(KubeVirtLabDriver::event)
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

  private List<String> launcherLog(Pod pod) {
    try {
      String container = serialConsoleContainer(pod);
      String log =
          lab.client()
              .pods()
              .inNamespace(names.namespace())
              .withName(pod.getMetadata().getName())
              .inContainer(container)
              .tailingLines(20)
              .getLog();
      return log == null ? List.of() : log.lines().map(l -> container + "| " + l).toList();
    } catch (KubernetesClientException e) {
      return List.of("launcher log unavailable: " + e.getMessage());
    }
  }

  /**
   * The serial console log container KubeVirt adds to launcher pods, else the compute container.
   */
  static String serialConsoleContainer(Pod pod) {
    return pod.getSpec().getContainers().stream()
            .anyMatch(c -> c.getName().equals("guest-console-log"))
        ? "guest-console-log"
        : "compute";
  }

  @Override
  public Optional<WorkloadAccess> access(String workload) {
    return Optional.of(
        accesses.computeIfAbsent(
            workload,
            w ->
                planned(w).spec() instanceof VmSpec
                    ? new PodAccess(
                        lab,
                        w,
                        KubeVirtLabDriver::serialConsoleContainer,
                        VM_EXEC,
                        backend.settings().execTimeout())
                    : new PodAccess(
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
    vmis = null;
    dataVolumes = null;
  }

  @Override
  public List<String> remainingObjects() {
    return lab.remaining();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == Snapshots.class && backend.capabilities().snapshots()) {
      return Optional.of(
          type.cast(new KubeVirtSnapshots(lab, plan, backend.settings().teardownTimeout())));
    }
    return Optional.empty();
  }
}
