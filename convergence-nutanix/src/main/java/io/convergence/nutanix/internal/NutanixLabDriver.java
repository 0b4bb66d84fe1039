package io.convergence.nutanix.internal;

import io.convergence.BackendException;
import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.FileServerLoadBalancer;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.KubernetesLab;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.LabSteps;
import io.convergence.kubernetes.Observation;
import io.convergence.kubernetes.PodAccess;
import io.convergence.kubernetes.PolledVm;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.nutanix.prism.Category;
import io.convergence.nutanix.prism.Image;
import io.convergence.nutanix.prism.PrismClient;
import io.convergence.nutanix.prism.PrismConflictException;
import io.convergence.nutanix.prism.PrismException;
import io.convergence.nutanix.prism.PrismNotFoundException;
import io.convergence.nutanix.prism.PrismTask;
import io.convergence.nutanix.prism.PrismTaskFailedException;
import io.convergence.nutanix.prism.RecoveryPoint;
import io.convergence.nutanix.prism.Task;
import io.convergence.nutanix.prism.Vm;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadAccess;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one lab on Nutanix: containers through the shared container plane; each VM is created
 * (boot disk cloned from its image, in the lab's category) and powered on in the background, and
 * its progress read by polling the VM with backoff: created, on the cluster, {@code powerState:
 * ON}, a learned IPv4, Nutanix Guest Tools reachable, TCP probes to the IP.
 */
final class NutanixLabDriver implements LabDriver {

  private static final Logger log = LoggerFactory.getLogger(NutanixLabDriver.class);
  private static final long FIRST_POLL = PolledVm.FIRST_POLL_MILLIS;
  private static final long MAX_POLL = PolledVm.MAX_POLL_MILLIS;

  private final NutanixBackend backend;
  private final BackendPlan plan;
  private final LabNames names;
  private final SmbSharedVolumes volumes;
  private final @Nullable KubernetesLab lab;
  private final @Nullable ContainerPlane containers;
  private final Map<String, VmState> vms = new ConcurrentHashMap<>();
  private final Map<String, WorkloadAccess> accesses = new ConcurrentHashMap<>();
  private volatile @Nullable Category category;
  private volatile Map<String, Vm> existing = Map.of();
  private volatile NutanixBackend.@Nullable Placement placement;
  private final LabSteps steps;

  /** A VM of the lab: the Prism side (extId, create task, mounts) and its progress. */
  private final class VmState {
    final String workload;
    final VmSpec spec;
    final PolledVm vm;
    volatile @Nullable String extId;
    volatile List<GuestMount> mounts = List.of();
    volatile @Nullable PrismTask creating;

    VmState(String workload, VmSpec spec) {
      this.workload = workload;
      this.spec = spec;
      this.vm =
          new PolledVm(
              workload,
              spec,
              planned(workload).finalStage(),
              steps,
              v -> read(this),
              "waiting to be created");
    }
  }

  NutanixLabDriver(
      NutanixBackend backend, BackendPlan plan, LabNames names, SmbSharedVolumes volumes) {
    this.backend = backend;
    this.plan = plan;
    this.names = names;
    this.volumes = volumes;
    this.steps = new LabSteps(backend.work(), backend.scheduler());
    if (plan.workloads().stream().anyMatch(w -> w.spec() instanceof ContainerSpec)) {
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
      // on a Files share, pods mount its export: the lab has no claims
      lab.prepare(
          backend.settings().files().isPresent() ? List.of() : plan.spec().sharedVolumes(),
          backend.settings().storageClass());
    }
    if (hasVms() && category == null) {
      placement = backend.placement();
      category =
          backend
              .prism()
              .ensureCategory(
                  NutanixBackend.LAB_CATEGORY,
                  names.ownership().labId(),
                  NutanixVmPlan.categoryDescription(names.ownership()));
      // VMs already in the category (a start retried after a crash) are adopted, not made again
      Map<String, Vm> found = new LinkedHashMap<>();
      backend.prism().listVmsByCategory(category.extId()).forEach(v -> found.put(v.name(), v));
      existing = found;
    }
  }

  @Override
  public void create(WorkloadRequest request) {
    if (request.spec() instanceof VmSpec vm) {
      VmState state = new VmState(request.name(), vm);
      vms.put(request.name(), state);
      PrismTask creating = submit(state); // created: Prism Central accepted the VM
      state.creating = creating;
      steps.run(() -> build(state, creating));
    } else {
      requireContainers()
          .create(
              request.name(),
              (ContainerSpec) request.spec(),
              backend.podModifier(plan.spec(), names));
      if (volumes.fileServers().containsKey(request.name())) {
        requireLab().createIfAbsent(FileServerLoadBalancer.service(names, request.name()));
      }
    }
  }

  private ContainerPlane requireContainers() {
    ContainerPlane c = containers;
    if (c == null) {
      throw new IllegalStateException("lab " + names.ownership().labId() + " has no containers");
    }
    return c;
  }

  private KubernetesLab requireLab() {
    KubernetesLab l = lab;
    if (l == null) {
      throw new IllegalStateException("lab " + names.ownership().labId() + " has no containers");
    }
    return l;
  }

  private List<GuestMount> resolveMounts(VmState s) {
    List<GuestMount> planned = volumes.mounts().getOrDefault(s.workload, List.of());
    if (planned.isEmpty() || backend.settings().files().isPresent()) {
      return planned; // a Files share has a known address
    }
    s.vm.phase("waiting for the file servers' load-balancer addresses");
    return FileServerLoadBalancer.withAddresses(
        planned,
        requireLab().client(),
        names,
        backend.settings().fileServerAddressTimeout(),
        backend.id(),
        "convergence.nutanix.file-server-address-timeout");
  }

  /**
   * Sends the VM's create request, once the file servers it mounts have an address; returns its
   * task, or null when the lab's category already holds the VM (a retried start). Failures are
   * thrown: the VM was not created.
   */
  private @Nullable PrismTask submit(VmState s) {
    PrismClient prism = backend.prism();
    Category c = category;
    NutanixBackend.Placement p = placement;
    if (c == null || p == null) {
      throw new IllegalStateException("prepare() was not called");
    }
    s.mounts = resolveMounts(s);
    String name = names.objectName(s.workload);
    Vm adopted = existing.get(name);
    if (adopted != null) {
      s.extId = adopted.extId();
      s.vm.note("VM " + name + " already existed in the lab's category: reused");
      return null;
    }
    s.vm.phase("creating");
    Image image = backend.image(s.spec.image().orElseThrow().reference());
    return prism.createVm(
        NutanixVmPlan.create(
            name,
            s.spec,
            names.ownership(),
            s.workload,
            p,
            c.extId(),
            image.extId(),
            image.sizeBytes(),
            s.mounts));
  }

  /**
   * Waits for the create task (a failure is the VM not being placed: {@code scheduled}) and powers
   * the VM on ({@code running}); failures go to the poll loop.
   */
  private void build(VmState s, @Nullable PrismTask creating) {
    Stage stage = Stage.SCHEDULED;
    try {
      PrismClient prism = backend.prism();
      String extId = s.extId;
      if (creating != null) {
        Task done = creating.await();
        extId =
            done.vmExtId()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "the create task " + done.extId() + " names no VM"));
      }
      if (extId == null) {
        throw new IllegalStateException("no VM and no create task");
      }
      s.extId = extId;
      s.mounts.forEach(m -> s.vm.note("mounts " + m));
      stage = Stage.RUNNING;
      s.vm.phase("powering on");
      Vm vm = prism.getVm(extId);
      if (vm.powerState() != Vm.PowerState.ON) {
        prism.powerOnVm(extId).await();
      }
      s.vm.phase("powered on");
    } catch (PrismTaskFailedException e) {
      s.vm.fail(stage, e.code().orElse("TaskFailed"), e.getMessage(), hint(s, stage));
    } catch (BackendException e) {
      String hint = e.hint();
      s.vm.fail(
          stage,
          e.platformCode().orElse("Error"),
          e.platformMessage(),
          hint.isEmpty() ? hint(s, stage) : hint);
    } catch (RuntimeException e) {
      s.vm.fail(
          stage, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), hint(s, stage));
    }
    // the poll loop started by observe() reports the failure or the stages
  }

  /** What to check when a VM fails at a stage. */
  private String hint(VmState s, Stage stage) {
    String image = s.spec.image().map(i -> i.reference()).orElse("?");
    return stage == Stage.SCHEDULED
        ? "check image "
            + image
            + ", cluster "
            + backend.settings().cluster().orElse("?")
            + " (free memory and storage) and the VM's create task in Prism Central (Activity >"
            + " Tasks)"
        : "check the cluster's free memory and vCPUs and the VM's power-on task and events in"
            + " Prism Central";
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
      s.vm.observe(observer); // one poll loop per VM, from before the VM exists until it is ready
    } else {
      requireContainers().observe(planned, observer);
    }
  }

  /** Reads a VM once: empty before Prism made it, a failure once it is gone. */
  private Optional<Observation> read(VmState s) {
    String extId = s.extId;
    if (extId == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(observation(s, backend.prism().getVm(extId)));
    } catch (PrismNotFoundException e) {
      return Optional.of(
          Observation.failed(
              Stage.RUNNING, "VmDeleted", "the VM was deleted: " + e.getMessage(), ""));
    }
  }

  private Observation observation(VmState s, Vm vm) {
    String power = vm.powerState() == null ? null : vm.powerState().name();
    String ip = vm.ipAddresses().isEmpty() ? null : vm.ipAddresses().get(0);
    s.vm.seen(power, ip);
    List<Stage> stages = planned(s.workload).stages();
    Stage reached = Stage.SCHEDULED; // the VM exists on its cluster
    if (vm.powerState() == Vm.PowerState.ON) {
      reached = Stage.RUNNING;
      if (ip != null) {
        reached = Stage.NETWORK;
        boolean tools =
            vm.guestTools() != null && Boolean.TRUE.equals(vm.guestTools().isReachable());
        if (stages.contains(Stage.GUEST)) {
          if (!tools) {
            return Observation.reached(reached, power + (ip == null ? "" : " " + ip));
          }
          reached = Stage.GUEST;
        }
        if (stages.contains(Stage.PROBE)) {
          if (!PolledVm.tcpProbesPass(s.spec, ip)) {
            return Observation.reached(reached, power + (ip == null ? "" : " " + ip));
          }
          reached = Stage.PROBE;
        }
      }
    }
    return Observation.reached(reached, power + (ip == null ? "" : " " + ip));
  }

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
    String extId = s.extId;
    return s.vm.details(
        extId != null,
        "AHV VM " + names.objectName(workload) + (extId == null ? "" : " (" + extId + ")"),
        "powerState",
        "IPv4");
  }

  @Override
  public Optional<WorkloadAccess> access(String workload) {
    if (planned(workload).spec() instanceof VmSpec) {
      return Optional.empty(); // no guest operations yet
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

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == Snapshots.class && hasVms()) {
      return Optional.of(type.cast(new NutanixSnapshots()));
    }
    return Optional.empty();
  }

  /**
   * VM snapshots as Prism recovery points (crash consistent), one per snapshot and VM, named {@code
   * <lab id>.<workload>.<snapshot>}: Prism Central is the record, so another client of the lab (a
   * reused lab, a sweep after a crash) finds them.
   */
  private final class NutanixSnapshots implements Snapshots {
    private String vm(String workload) {
      if (!(planned(workload).spec() instanceof VmSpec)) {
        throw new IllegalArgumentException(workload + " is not a VM; only VMs have snapshots");
      }
      VmState s = vms.get(workload);
      String extId = s == null ? null : s.extId;
      if (extId == null) {
        throw new IllegalArgumentException(workload + " has no VM yet");
      }
      return extId;
    }

    private String pointName(String workload, String snapshot) {
      return names.ownership().labId() + "." + workload + "." + snapshot;
    }

    private Optional<RecoveryPoint> find(String workload, String snapshot) {
      return backend.prism().listRecoveryPoints(pointName(workload, snapshot)).stream().findFirst();
    }

    @Override
    public void snapshot(String workload, String snapshot) {
      String vm = vm(workload);
      if (snapshot.isBlank()) {
        throw new IllegalArgumentException("a snapshot needs a name");
      }
      if (find(workload, snapshot).isPresent()) {
        throw new IllegalArgumentException(
            workload + " already has a snapshot named " + snapshot + "; names are unique per VM");
      }
      backend.prism().createRecoveryPoint(pointName(workload, snapshot), List.of(vm)).await();
    }

    @Override
    public void revert(String workload, String snapshot) {
      String vm = vm(workload);
      RecoveryPoint point =
          find(workload, snapshot)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          workload
                              + " has no snapshot "
                              + snapshot
                              + " (it has "
                              + list(workload)
                              + ")"));
      String rp = point.extId();
      PrismClient prism = backend.prism();
      String vmRp =
          prism
              .getRecoveryPoint(rp)
              .forVm(vm)
              .orElseThrow(
                  () -> new IllegalStateException("recovery point " + rp + " has no VM " + vm))
              .extId();
      prism.revertVm(vm, vmRp).await();
      if (prism.getVm(vm).powerState() != Vm.PowerState.ON) {
        prism.powerOnVm(vm).await();
      }
      long deadline = System.nanoTime() + backend.settings().taskTimeout().toNanos();
      long pause = FIRST_POLL;
      while (true) {
        Vm now = prism.getVm(vm);
        if (now.powerState() == Vm.PowerState.ON && !now.ipAddresses().isEmpty()) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new BackendException(
              backend.id(),
              "revert " + workload + " to " + snapshot,
              -1,
              "NotReadyAfterRevert",
              workload + " is " + now.powerState() + " without an IP after the revert",
              "check the VM's console in Prism Central",
              null);
        }
        sleep(pause);
        pause = Math.min(MAX_POLL, pause + pause / 2);
      }
    }

    @Override
    public List<String> list(String workload) {
      vm(workload);
      String prefix = pointName(workload, "");
      List<String> out = new ArrayList<>();
      for (RecoveryPoint p : backend.prism().listRecoveryPoints(null)) {
        String n = p.name();
        if (n != null && n.startsWith(prefix)) {
          out.add(n.substring(prefix.length()));
        }
      }
      return out;
    }
  }

  // ------------------------------------------------------------------ teardown

  @Override
  public void destroy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    closeLocal(timeout);
    if (hasVms()) {
      PrismClient prism = backend.prism();
      awaitCreates(deadline);
      removeRecoveryPoints(prism, names.ownership().labId());
      Category c =
          category != null
              ? category
              : prism
                  .findCategory(NutanixBackend.LAB_CATEGORY, names.ownership().labId())
                  .orElse(null);
      if (c != null) {
        removeVms(
            prism,
            prism.listVmsByCategory(c.extId()),
            Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        removeCategory(prism, c);
      }
      category = null;
    }
    if (lab != null) {
      lab.destroy(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }
  }

  /**
   * Deletes VMs (Prism powers them off) and waits for each task. A VM with an operation still
   * running (409 {@code VMM-30700}, e.g. the power-on of a lab that timed out) is deleted again
   * with backoff until that operation ends or the timeout passes.
   */
  static void removeVms(PrismClient prism, List<Vm> vms, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<PrismTask> tasks = new ArrayList<>();
    for (Vm vm : vms) {
      long pause = FIRST_POLL;
      while (true) {
        try {
          tasks.add(prism.deleteVm(vm.extId()));
          break;
        } catch (PrismNotFoundException gone) {
          break; // already gone
        } catch (PrismConflictException busy) {
          if (System.nanoTime() + pause * 1_000_000L > deadline) {
            throw busy;
          }
          log.debug(
              "VM {} is busy, deleting again in {} ms: {}", vm.name(), pause, busy.getMessage());
          sleep(pause);
          pause = Math.min(MAX_POLL, pause * 2);
        }
      }
    }
    for (PrismTask t : tasks) {
      try {
        t.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (PrismNotFoundException gone) {
        // already gone
      }
    }
  }

  /**
   * Waits for the create tasks still running (a lab that timed out while Prism Central was creating
   * a VM), so that the VM is in the lab's category when teardown lists it, not made after it.
   */
  private void awaitCreates(long deadline) {
    for (VmState s : vms.values()) {
      PrismTask t = s.creating;
      if (t == null || s.extId != null) {
        continue;
      }
      try {
        t.await(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (PrismException e) {
        // failed (no VM) or timed out (teardown reports what remains)
        log.debug("create task of {} did not succeed: {}", s.workload, e.getMessage());
      }
    }
  }

  /** Deletes the recovery points of a lab (named {@code <lab id>.<workload>.<snapshot>}). */
  static List<String> removeRecoveryPoints(PrismClient prism, String labId) {
    List<String> removed = new ArrayList<>();
    List<PrismTask> tasks = new ArrayList<>();
    for (RecoveryPoint p : prism.listRecoveryPoints(null)) {
      if (p.name() != null && p.name().startsWith(labId + ".")) {
        try {
          tasks.add(prism.deleteRecoveryPoint(p.extId()));
          removed.add("RecoveryPoint " + p.name() + " (" + p.extId() + ")");
        } catch (PrismNotFoundException gone) {
          // already gone
        }
      }
    }
    for (PrismTask t : tasks) {
      try {
        t.await();
      } catch (PrismNotFoundException gone) {
        // already gone
      }
    }
    return removed;
  }

  /** Deletes the lab's category; one still in use (a VM someone added) is left, with a warning. */
  static void removeCategory(PrismClient prism, Category c) {
    try {
      prism.deleteCategory(c.extId());
    } catch (PrismNotFoundException gone) {
      // already gone
    } catch (PrismConflictException e) {
      log.warn("category {}={} is still in use, left: {}", c.key(), c.value(), e.getMessage());
      throw e;
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
    steps.close(wait);
  }

  @Override
  public List<String> remainingObjects() {
    List<String> out = new ArrayList<>();
    if (hasVms()) {
      PrismClient prism = backend.prism();
      String labId = names.ownership().labId();
      prism.listRecoveryPoints(null).stream()
          .filter(p -> p.name() != null && p.name().startsWith(labId + "."))
          .forEach(p -> out.add("RecoveryPoint " + p.name() + " (" + p.extId() + ")"));
      prism
          .findCategory(NutanixBackend.LAB_CATEGORY, labId)
          .ifPresent(
              c -> {
                out.add("Category " + c.key() + "=" + c.value());
                prism
                    .listVmsByCategory(c.extId())
                    .forEach(v -> out.add("VM " + v.name() + " (" + v.extId() + ")"));
              });
    }
    if (lab != null) {
      out.addAll(lab.remaining());
    }
    return out;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
