package io.convergence.vsphere.vcenter.internal;

import io.convergence.BackendException;
import io.convergence.Ownership;
import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.FileServerLoadBalancer;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.GuestMountInjector;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.LabSteps;
import io.convergence.kubernetes.Observation;
import io.convergence.kubernetes.PodAccess;
import io.convergence.kubernetes.PolledVm;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadAccess;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import io.convergence.vsphere.vim.CloneResult;
import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.ObjectContent;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.VimException;
import io.convergence.vsphere.vim.VimFaultException;
import io.convergence.vsphere.vim.VirtualMachineInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one lab on vCenter: containers through the shared container plane; each VM is cloned,
 * labelled, reconfigured and powered on in the background ({@link #create} returns at once), and
 * its progress is read by polling the property collector with backoff (200 ms, growing 1.5 times up
 * to 5 s; back to 200 ms after each new stage). The vim25 client has no {@code WaitForUpdatesEx},
 * so polling is the only choice for now.
 */
final class VCenterLabDriver implements LabDriver {

  private static final Logger log = LoggerFactory.getLogger(VCenterLabDriver.class);
  private static final String[] STATUS_PATHS = {
    "runtime.powerState", "runtime.host", "guest.ipAddress", "guest.toolsRunningStatus"
  };

  private final VCenterBackend backend;
  private final BackendPlan plan;
  private final LabNames names;
  private final SmbSharedVolumes volumes;
  private final @Nullable KubernetesLab lab;
  private final @Nullable ContainerPlane containers;
  private final Map<String, VmState> vms = new ConcurrentHashMap<>();
  private final Map<String, WorkloadAccess> accesses = new ConcurrentHashMap<>();
  private volatile @Nullable ManagedObjectReference folder;
  private final LabSteps steps;

  /** A VM of the lab: the vCenter side (its moref once cloned) and its progress. */
  private final class VmState {
    final String workload;
    final VmSpec spec;
    final PolledVm polled;
    volatile @Nullable ManagedObjectReference vm;

    VmState(String workload, VmSpec spec) {
      this.workload = workload;
      this.spec = spec;
      this.polled =
          new PolledVm(
              workload,
              spec,
              planned(workload).finalStage(),
              steps,
              v -> read(this),
              "waiting to clone");
    }
  }

  VCenterLabDriver(
      VCenterBackend backend, BackendPlan plan, LabNames names, SmbSharedVolumes volumes) {
    this.backend = backend;
    this.plan = plan;
    this.names = names;
    this.volumes = volumes;
    this.steps = new LabSteps(backend.work(), backend.scheduler());
    boolean hasContainers =
        plan.workloads().stream().anyMatch(w -> w.spec() instanceof ContainerSpec);
    if (hasContainers) {
      this.lab = new KubernetesLab(backend.kubernetes(), backend.id(), names, List.of());
      this.containers = new ContainerPlane(lab);
    } else {
      this.lab = null;
      this.containers = null;
    }
  }

  private boolean hasVms() {
    return plan.workloads().stream().anyMatch(w -> w.spec() instanceof VmSpec);
  }

  private PlannedWorkload planned(String workload) {
    return plan.workload(workload)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "lab " + names.ownership().labId() + " has no workload " + workload));
  }

  // ------------------------------------------------------------------ prepare and create

  @Override
  public void prepare() {
    if (lab != null) {
      lab.prepare(plan.spec().sharedVolumes(), backend.settings().storageClass());
    }
    if (hasVms() && folder == null) {
      Vim25Client vim = backend.vim();
      ManagedObjectReference parent = backend.labsFolder();
      String name = VCenterBackend.folderName(names.ownership());
      ManagedObjectReference f = vim.findChild(parent, name).orElse(null);
      if (f == null) {
        try {
          f = vim.createFolder(parent, name);
        } catch (VimFaultException e) {
          if (!e.is("DuplicateName")) {
            throw e;
          }
          f = vim.findChild(parent, name).orElseThrow(() -> e);
        }
      }
      backend.label(f, names.ownership().labels());
      folder = f;
    }
  }

  @Override
  public void create(WorkloadRequest request) {
    if (request.spec() instanceof VmSpec vm) {
      VmState state = new VmState(request.name(), vm);
      vms.put(request.name(), state);
      steps.run(() -> build(state));
    } else {
      requireContainers()
          .create(request.name(), (ContainerSpec) request.spec(), UnaryOperator.identity());
      if (volumes.fileServers().containsKey(request.name())) {
        requireLab().createIfAbsent(FileServerLoadBalancer.service(names, request.name()));
      }
    }
  }

  private KubernetesLab requireLab() {
    KubernetesLab l = lab;
    if (l == null) {
      throw new IllegalStateException("lab " + names.ownership().labId() + " has no containers");
    }
    return l;
  }

  /**
   * The VM's guest mounts with each file server's load-balancer address, waited for (the file
   * server is ready, as a prerequisite, but its Service's address may come later).
   */
  private List<GuestMount> resolveMounts(VmState s) {
    List<GuestMount> planned = volumes.mounts().getOrDefault(s.workload, List.of());
    if (planned.isEmpty()) {
      return planned;
    }
    s.polled.phase("waiting for the file servers' load-balancer addresses");
    return FileServerLoadBalancer.withAddresses(
        planned,
        requireLab().client(),
        names,
        backend.settings().fileServerAddressTimeout(),
        backend.id(),
        "convergence.vsphere-vcenter.file-server-address-timeout");
  }

  private ContainerPlane requireContainers() {
    ContainerPlane c = containers;
    if (c == null) {
      throw new IllegalStateException("lab " + names.ownership().labId() + " has no containers");
    }
    return c;
  }

  /** Clones, labels, reconfigures and powers on one VM; failures go to its observer. */
  private void build(VmState s) {
    Stage stage = Stage.CREATED;
    try {
      Vim25Client vim = backend.vim();
      ManagedObjectReference f = folder;
      if (f == null) {
        throw new IllegalStateException("prepare() was not called");
      }
      List<GuestMount> mounts = resolveMounts(s);
      String name = VmPlan.vmName(s.workload);
      ManagedObjectReference existing = vim.findChild(f, name).orElse(null);
      ManagedObjectReference vm;
      if (existing != null) {
        vm = existing;
        s.polled.note("VM " + name + " already existed in the lab's folder: reused");
      } else {
        vm = clone(vim, f, name, s, mounts);
      }
      s.vm = vm;
      s.polled.phase("setting ownership attributes");
      Map<String, String> labels = new LinkedHashMap<>(names.ownership().labels());
      labels.put(Ownership.WORKLOAD_KEY, s.workload);
      backend.label(vm, labels);
      s.polled.phase("reconfiguring");
      vim.reconfigVm(
              vm, VmPlan.config(name, s.workload, s.spec, backend.settings().extraConfig(), mounts))
          .await();
      mounts.forEach(m -> s.polled.note("mounts " + m));
      stage = Stage.RUNNING;
      s.polled.phase("powering on");
      if (vim.virtualMachine(vm).powerState() != VirtualMachineInfo.PowerState.POWERED_ON) {
        vim.powerOn(vm).await();
      }
      s.polled.phase("powered on");
    } catch (VimFaultException e) {
      s.polled.fail(stage, e.faultName(), e.faultString(), hint(e.faultName()));
    } catch (BackendException e) {
      s.polled.fail(stage, e.platformCode().orElse("Error"), e.platformMessage(), e.hint());
    } catch (RuntimeException e) {
      s.polled.fail(stage, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), "");
    }
    // the poll loop started by observe() reports the failure or the stages
  }

  private ManagedObjectReference clone(
      Vim25Client vim, ManagedObjectReference f, String name, VmState s, List<GuestMount> mounts) {
    s.polled.phase("cloning");
    String templateName = s.spec.image().orElseThrow().reference();
    ManagedObjectReference template = backend.templates().get(templateName);
    if (template == null) {
      throw new BackendException(
          backend.id(),
          "find template " + templateName,
          -1,
          "TemplateNotFound",
          "template " + templateName + " is gone from the template folder",
          "was it removed or renamed since the lab was planned?",
          null);
    }
    CloneSpec.Builder b = CloneSpec.builder(name, f).pool(backend.resourcePool()).powerOn(false);
    backend.datastore().ifPresent(b::datastore);
    if (VmPlan.linked(s.spec)) {
      ManagedObjectReference snapshot =
          vim.virtualMachine(template)
              .currentSnapshot()
              .orElseThrow(
                  () ->
                      new BackendException(
                          backend.id(),
                          "CloneVM_Task",
                          -1,
                          "NoSnapshot",
                          "a linked clone was asked for (VCenterOptions.linkedClone()), but"
                              + " template "
                              + templateName
                              + " has no snapshot to clone from",
                          "take a snapshot of the template, or drop the option for a full clone",
                          null));
      b.linkedClone(snapshot);
    }
    if (s.spec.guestOs() == GuestOs.WINDOWS && s.spec.sysprep().isPresent()) {
      String xml = s.spec.sysprep().orElseThrow().reveal();
      b.sysprep(
          mounts.isEmpty() ? xml : GuestMountInjector.sysprep(xml, mounts), nics(vim, template));
      s.polled.note("customized with the sysprep answer file (CustomizationSysprepText)");
    }
    CloneResult r = vim.cloneVm(template, b.build());
    if (r.linkedRequested() && !r.linked()) {
      s.polled.note(
          "a linked clone was requested, but vCenter made a full copy (the new VM's disks have no"
              + " parent backing)");
      log.warn("{}: linked clone requested, full copy made by {}", name, backend.settings().url());
    } else if (r.linked()) {
      s.polled.note("linked clone of " + templateName);
    } else {
      s.polled.note("full clone of " + templateName);
    }
    return r.vm();
  }

  /** The network adapters of a VM: devices with an {@code addressType} (VirtualEthernetCard). */
  private static int nics(Vim25Client vim, ManagedObjectReference vm) {
    return vim.retrieve(vm, "config.hardware.device")
        .get("config.hardware.device")
        .map(
            d ->
                (int) d.children().stream().filter(c -> c.child("addressType").isPresent()).count())
        .orElse(0);
  }

  private static String hint(String fault) {
    return switch (fault) {
      case "NoPermission" ->
          "check the vCenter user's privileges on the folder, pool and datastore";
      case "InsufficientResourcesFault", "NotEnoughCpus", "NotEnoughMemory" ->
          "the resource pool or host has too little capacity";
      case "InvalidPowerState" -> "the VM was powered on or off by someone else";
      case "DuplicateName" -> "a VM of that name exists outside the lab's folder";
      default -> "";
    };
  }

  // ------------------------------------------------------------------ observe

  @Override
  public void observe(String workload, StageObserver observer) {
    PlannedWorkload planned = planned(workload);
    if (planned.spec() instanceof VmSpec) {
      VmState s = vms.get(workload);
      if (s == null) {
        throw new IllegalStateException(workload + " was not created");
      }
      s.polled.observe(observer); // one poll loop per VM, from before the clone exists until ready
    } else {
      requireContainers().observe(planned, observer);
    }
  }

  /** Reads a VM once: empty before it is cloned, a failure once it is gone. */
  private Optional<Observation> read(VmState s) {
    ManagedObjectReference vm = s.vm;
    if (vm == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(observation(s, vm));
    } catch (VimFaultException e) {
      if (e.is("ManagedObjectNotFound")) {
        return Optional.of(
            Observation.failed(
                Stage.RUNNING, e.faultName(), "the VM was deleted: " + e.faultString(), ""));
      }
      throw e;
    }
  }

  private Observation observation(VmState s, ManagedObjectReference vm) {
    ObjectContent oc = backend.vim().retrieve(vm, STATUS_PATHS);
    if (oc.properties().isEmpty() && !oc.missing().isEmpty()) {
      throw new VimFaultException(
          "RetrievePropertiesEx", -1, oc.missing().values().iterator().next(), null);
    }
    String power = oc.text("runtime.powerState").orElse(null);
    String host = oc.reference("runtime.host").map(ManagedObjectReference::value).orElse(null);
    String ip = oc.text("guest.ipAddress").orElse(null);
    s.polled.seen(power, ip);
    List<Stage> stages = planned(s.workload).stages();
    boolean probeExpected = stages.contains(Stage.PROBE);
    boolean probeOk =
        probeExpected && ip != null && !ip.isEmpty() && PolledVm.tcpProbesPass(s.spec, ip);
    return VimStatusToStage.observe(
        new VimStatusToStage.Seen(
            true,
            power,
            host,
            ip,
            oc.text("guest.toolsRunningStatus").orElse(null),
            stages.contains(Stage.GUEST),
            probeExpected,
            probeOk));
  }

  /** TCP connects to every probed port of the guest. */
  // ------------------------------------------------------------------ describe and access

  @Override
  public WorkloadDetails describe(String workload) {
    PlannedWorkload planned = planned(workload);
    if (planned.spec() instanceof ContainerSpec c) {
      return requireContainers().describe(workload, c);
    }
    VmState s = vms.get(workload);
    if (s == null) {
      return new WorkloadDetails(
          WorkloadStatus.PENDING, "not created", null, Map.of(), List.of("not created yet"));
    }
    ManagedObjectReference vm = s.vm;
    return s.polled.details(
        vm != null,
        "VirtualMachine " + VmPlan.vmName(workload) + (vm == null ? "" : " (" + vm.value() + ")"),
        "runtime.powerState",
        "guest.ipAddress");
  }

  @Override
  public Optional<WorkloadAccess> access(String workload) {
    if (planned(workload).spec() instanceof VmSpec) {
      return Optional.empty(); // no guest operations yet (GuestOperationsManager)
    }
    KubernetesLab l = lab;
    if (l == null) {
      return Optional.empty();
    }
    return Optional.of(
        accesses.computeIfAbsent(
            workload,
            w ->
                new PodAccess(
                    l,
                    w,
                    p -> p.getSpec().getContainers().get(0).getName(),
                    null,
                    Duration.ofMinutes(2))));
  }

  // ------------------------------------------------------------------ teardown

  @Override
  public void destroy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    closeLocal(timeout);
    if (hasVms() || folder != null) {
      ManagedObjectReference f = folder;
      if (f == null) {
        f =
            backend
                .vim()
                .findChild(backend.labsFolder(), VCenterBackend.folderName(names.ownership()))
                .orElse(null);
      }
      if (f != null) {
        destroyFolder(
            backend.vim(), f, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
      folder = null;
    }
    if (lab != null) {
      lab.destroy(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
  }

  @Override
  public void release() {
    closeLocal(Duration.ZERO);
    if (lab != null) {
      lab.release();
    }
  }

  private void closeLocal(Duration wait) {
    accesses.values().forEach(WorkloadAccess::close);
    accesses.clear();
    if (containers != null) {
      containers.close();
    }
    // lets clones in flight end (an interrupted wait stops polling the task, not the task)
    steps.close(wait);
  }

  @Override
  public List<String> remainingObjects() {
    List<String> out = new ArrayList<>();
    if (hasVms()) {
      backend
          .vim()
          .findChild(backend.labsFolder(), VCenterBackend.folderName(names.ownership()))
          .ifPresent(f -> out.addAll(describeFolder(backend.vim(), f)));
    }
    if (lab != null) {
      out.addAll(lab.remaining());
    }
    return out;
  }

  /** The folder and the VMs in it, as {@code Kind name} lines. */
  static List<String> describeFolder(Vim25Client vim, ManagedObjectReference folder) {
    List<String> out = new ArrayList<>();
    try {
      out.add("Folder " + vim.retrieve(folder, "name").text("name").orElse(folder.value()));
      for (ObjectContent vm : vim.folderContents(folder, "VirtualMachine", "name")) {
        out.add("VirtualMachine " + vm.text("name").orElse(vm.obj().value()));
      }
    } catch (VimFaultException e) {
      if (!e.is("ManagedObjectNotFound")) {
        throw e;
      }
    }
    return out;
  }

  /**
   * Powers off and destroys every VM in a lab folder, then the folder, and waits until it is gone.
   *
   * @param vim the client
   * @param folder the lab's folder
   * @param timeout how long to try
   * @throws BackendException when something is left after the timeout
   */
  static void destroyFolder(Vim25Client vim, ManagedObjectReference folder, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    VimException last = null;
    while (true) {
      try {
        for (ObjectContent vm :
            vim.folderContents(folder, "VirtualMachine", "name", "runtime.powerState")) {
          destroyVm(vim, vm);
        }
        vim.destroy(folder).await();
      } catch (VimFaultException e) {
        if (!e.is("ManagedObjectNotFound")) {
          last = e;
        }
      } catch (VimException e) {
        last = e;
      }
      if (gone(vim, folder)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new BackendException(
            io.convergence.vsphere.vcenter.VCenterBackendProvider.ID,
            "Destroy_Task " + folder,
            -1,
            last instanceof VimFaultException f ? f.faultName() : null,
            "the lab folder "
                + folder.value()
                + " is still there"
                + (last == null ? "" : ": " + last.getMessage()),
            "remove it in the vSphere Client, or sweep again",
            last);
      }
      VCenterBackend.pause(Duration.ofMillis(500));
    }
  }

  private static void destroyVm(Vim25Client vim, ObjectContent vm) {
    try {
      if ("poweredOn".equals(vm.text("runtime.powerState").orElse(""))
          || "suspended".equals(vm.text("runtime.powerState").orElse(""))) {
        try {
          vim.powerOff(vm.obj()).await();
        } catch (VimFaultException e) {
          if (!e.is("InvalidPowerState")) {
            throw e;
          }
        }
      }
      vim.destroy(vm.obj()).await();
    } catch (VimFaultException e) {
      if (!e.is("ManagedObjectNotFound")) {
        throw e;
      }
    }
  }

  private static boolean gone(Vim25Client vim, ManagedObjectReference folder) {
    try {
      ObjectContent oc = vim.retrieve(folder, "name");
      return oc.properties().isEmpty() && !oc.missing().isEmpty();
    } catch (VimFaultException e) {
      return e.is("ManagedObjectNotFound");
    }
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == Snapshots.class && hasVms()) {
      return Optional.of(
          type.cast(
              new VCenterSnapshots(
                  backend.vim(), plan, this::createdVm, backend.settings().taskTimeout())));
    }
    return Optional.empty();
  }

  private ManagedObjectReference createdVm(String workload) {
    VmState s = vms.get(workload);
    ManagedObjectReference vm = s == null ? null : s.vm;
    if (vm == null) {
      throw new IllegalArgumentException(workload + " has no VM yet");
    }
    return vm;
  }
}
