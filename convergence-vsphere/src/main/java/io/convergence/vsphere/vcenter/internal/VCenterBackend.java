package io.convergence.vsphere.vcenter.internal;

import io.convergence.BackendException;
import io.convergence.Feature;
import io.convergence.InvalidLabSpecException;
import io.convergence.Ownership;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.FileServerLoadBalancer;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesSweeper;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.LabSteps;
import io.convergence.kubernetes.NativeObjects;
import io.convergence.kubernetes.ProbeToKubernetesProbe;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.kubernetes.SharePasswords;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.plan.NativeObject;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.MemorySize;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.Probe;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import io.convergence.spi.PlannedWorkload;
import io.convergence.vsphere.vcenter.VCenterBackendProvider;
import io.convergence.vsphere.vcenter.VCenterOptions;
import io.convergence.vsphere.vim.CustomFieldDef;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.ObjectContent;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.VimException;
import io.convergence.vsphere.vim.VimFaultException;
import io.convergence.vsphere.vim.VimValue;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic vCenter backend: VMs cloned from templates with vim25 into one folder per lab, each
 * VM carrying the lab's ownership labels as custom attributes; containers as Pods in a per-lab
 * namespace of the Kubernetes cluster given by {@code kubeconfig}. One vim25 session and one
 * fabric8 client (made on first use) are shared by every lab of a Convergence client.
 */
public final class VCenterBackend implements Backend {

  /** Threads of the work pool at most: {@value}. */
  static final int WORK_THREADS = 32;

  private static final Logger log = LoggerFactory.getLogger(VCenterBackend.class);

  private final VCenterSettings settings;
  private final ConvergenceConfig config;
  private final RequestCounter requests = new RequestCounter();
  private final SharePasswords passwords = SharePasswords.random();
  private volatile @Nullable Vim25Client vim;
  private volatile @Nullable KubernetesClient kubernetes;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService work;

  /**
   * Reads the settings; connects on first use.
   *
   * @param context the context
   */
  public VCenterBackend(BackendContext context) {
    this.config = context.config();
    this.settings = VCenterSettings.from(config);
    this.scheduler = context.scheduler();
    this.work = LabSteps.workPool("vsphere-vcenter-work", WORK_THREADS);
  }

  /**
   * The shared scheduler of the client: it only waits (polls' pauses), never blocks.
   *
   * @return the scheduler
   */
  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * The pool of blocking steps of every lab of this client (clones waiting for their tasks, polls
   * with their TCP probes): up to {@value #WORK_THREADS} threads, none when idle.
   *
   * @return the pool
   */
  ExecutorService work() {
    return work;
  }

  @Override
  public String id() {
    return VCenterBackendProvider.ID;
  }

  @Override
  public Set<Feature> features() {
    Set<Feature> f = EnumSet.allOf(Feature.class);
    // Templates by name only; no import from URL, registry or disk.
    f.remove(Feature.IMAGE_URL);
    f.remove(Feature.IMAGE_REGISTRY);
    f.remove(Feature.IMAGE_DISK);
    // Not implemented yet: extra disks (device changes in ReconfigVM_Task).
    f.remove(Feature.EXTRA_DISKS);
    if (!settings.hasKubeconfig()) {
      // shared volumes are claims on the cluster, served to VMs by an in-lab file server there
      f.remove(Feature.SHARED_VOLUMES);
      f.remove(Feature.CONTAINERS);
      f.remove(Feature.CONTAINER_EXEC);
      f.remove(Feature.CONTAINER_LOGS);
    }
    return f;
  }

  VCenterSettings settings() {
    return settings;
  }

  /** The vim25 client, connected and logged in on first use. */
  Vim25Client vim() {
    Vim25Client v = vim;
    if (v == null) {
      synchronized (this) {
        v = vim;
        if (v == null) {
          v =
              Vim25Client.connect(
                  settings.clientBuilder().requestListener(requests::count).build());
          try {
            v.login();
          } catch (VimException e) {
            v.close();
            throw e;
          }
          vim = v;
        }
      }
    }
    return v;
  }

  /** The Kubernetes client for containers, made on first use. */
  KubernetesClient kubernetes() {
    KubernetesClient k = kubernetes;
    if (k == null) {
      synchronized (this) {
        k = kubernetes;
        if (k == null) {
          k = KubernetesConnection.connect(config, id(), requests);
          kubernetes = k;
        }
      }
    }
    return k;
  }

  LabNames names(LabSpec spec, Ownership ownership) {
    return LabNames.of(spec, ownership, Optional.empty());
  }

  /**
   * How the lab's shared volumes reach its workloads: pods mount the claim; VMs mount the volume
   * over SMB from an in-lab Samba server on the cluster, reached through a LoadBalancer Service
   * whose address is known only once the Service has one (the placeholder is replaced when the VM
   * is created).
   */
  SmbSharedVolumes sharedVolumes(LabSpec spec, LabNames names) {
    return SmbSharedVolumes.plan(
        spec,
        names,
        settings.smbServerImage(),
        server -> FileServerLoadBalancer.placeholder(names, server),
        passwords::of,
        "vCenter VMs are not on the cluster; they reach the server through its LoadBalancer"
            + " Service "
            + "(the cluster needs a load-balancer implementation: NSX, AVI, MetalLB, kube-vip)",
        "storage class "
            + settings.storageClass().orElse("the cluster's default")
            + " must offer ReadWriteMany");
  }

  // ------------------------------------------------------------------ inventory

  /** The datacenter's VM folder path of a folder setting, found or an error naming the setting. */
  ManagedObjectReference folder(String relative, String setting) {
    String path = settings.vmPath(relative);
    return vim()
        .findByInventoryPath(path)
        .orElseThrow(
            () ->
                settingError(
                    "find folder " + path,
                    "no folder " + path,
                    "create it, or change convergence.vsphere-vcenter."
                        + setting
                        + " (and datacenter)"));
  }

  /** The folder the per-lab folders go in. */
  ManagedObjectReference labsFolder() {
    return folder(settings.folder(), "folder");
  }

  /** The resource pool of new VMs. */
  ManagedObjectReference resourcePool() {
    String relative =
        settings
            .resourcePool()
            .orElseThrow(
                () ->
                    settingError(
                        "find resource pool",
                        "convergence.vsphere-vcenter.resource-pool is not set",
                        "name the pool of new VMs below the host folder, e.g."
                            + " Cluster1/Resources"));
    String path = settings.datacenter() + "/host/" + relative;
    return vim()
        .findByInventoryPath(path)
        .orElseThrow(
            () ->
                settingError(
                    "find resource pool " + path,
                    "no resource pool " + path,
                    "check convergence.vsphere-vcenter.resource-pool"));
  }

  /** The datastore of new VMs, if set. */
  Optional<ManagedObjectReference> datastore() {
    return settings
        .datastore()
        .map(
            name -> {
              String path = settings.datacenter() + "/datastore/" + name;
              return vim()
                  .findByInventoryPath(path)
                  .orElseThrow(
                      () ->
                          settingError(
                              "find datastore " + path,
                              "no datastore " + path,
                              "check convergence.vsphere-vcenter.datastore"));
            });
  }

  private BackendException settingError(String operation, String message, String hint) {
    return new BackendException(id(), operation, -1, null, message, hint, null);
  }

  /** The templates in the template folder, by name. */
  Map<String, ManagedObjectReference> templates() {
    ManagedObjectReference folder = folder(settings.templateFolder(), "template-folder");
    Map<String, ManagedObjectReference> out = new TreeMap<>();
    for (ObjectContent oc :
        vim().folderContents(folder, "VirtualMachine", "name", "config.template")) {
      if (oc.text("config.template").map(Boolean::parseBoolean).orElse(false)) {
        oc.text("name").ifPresent(n -> out.put(n, oc.obj()));
      }
    }
    return out;
  }

  /**
   * Sets labels as custom attributes named after their keys, defined (for every object type) on
   * first use.
   */
  void label(ManagedObjectReference entity, Map<String, String> labels) {
    for (Map.Entry<String, String> e : labels.entrySet()) {
      CustomFieldDef field = vim().ensureCustomField(e.getKey(), null);
      vim().setCustomField(entity, field, e.getValue());
    }
  }

  /** The labels an object carries as custom attributes. */
  static Map<String, String> labels(Vim25Client vim, ManagedObjectReference entity) {
    Map<Integer, String> keyToName = new LinkedHashMap<>();
    for (CustomFieldDef d : vim.customFieldDefs()) {
      keyToName.put(d.key(), d.name());
    }
    Map<String, String> labels = new LinkedHashMap<>();
    vim.retrieve(entity, "customValue")
        .get("customValue")
        .ifPresent(
            v -> {
              for (VimValue o : v.children()) {
                String name =
                    o.childText("key").map(k -> keyToName.get(Integer.parseInt(k))).orElse(null);
                String value = o.childText("value").orElse("");
                if (name != null && !value.isEmpty()) {
                  labels.put(name, value);
                }
              }
            });
    return labels;
  }

  // ------------------------------------------------------------------ plan

  @Override
  public BackendPlan plan(PlanRequest request) {
    LabSpec spec = request.spec();
    LabNames names = names(spec, request.ownership());
    List<SpecProblem> problems = new ArrayList<>();
    List<NamedWorkload> vms = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      if (w.spec() instanceof VmSpec vm) {
        vms.add(w);
        problems.addAll(vmProblems(w.name(), vm));
      } else {
        String path = "workloads[" + w.name() + "].container";
        if (!settings.hasKubeconfig()) {
          problems.add(
              new SpecProblem(
                  path,
                  "containers need a Kubernetes cluster: set convergence.vsphere-vcenter.kubeconfig"));
        }
        problems.addAll(
            ProbeToKubernetesProbe.problems(path + ".readiness.probes", w.spec().readiness()));
      }
    }
    if (!spec.sharedVolumes().isEmpty() && !settings.hasKubeconfig()) {
      problems.add(
          new SpecProblem(
              "sharedVolumes",
              "shared volumes are claims on the Kubernetes cluster, served to VMs by an in-lab file"
                  + " server there: set convergence.vsphere-vcenter.kubeconfig"));
    }
    SmbSharedVolumes volumes = sharedVolumes(spec, names);
    if (settings.hasKubeconfig()) {
      problems.addAll(volumes.problems());
    }
    Map<String, ManagedObjectReference> templates = Map.of();
    if (problems.isEmpty() && !vms.isEmpty()) {
      templates = templates();
      for (NamedWorkload w : vms) {
        String name = ((VmSpec) w.spec()).image().orElseThrow().reference();
        if (!templates.containsKey(name)) {
          problems.add(
              new SpecProblem(
                  "workloads[" + w.name() + "].vm.image",
                  "no template "
                      + name
                      + " in folder "
                      + settings.vmPath(settings.templateFolder())
                      + " (templates there: "
                      + (templates.isEmpty() ? "none" : String.join(", ", templates.keySet()))
                      + "; convergence.vsphere-vcenter.template-folder sets the folder)"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems, id());
    }
    String labFolder = settings.vmPath(settings.folder()) + "/" + folderName(request.ownership());
    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      if (w.spec() instanceof VmSpec vm) {
        List<GuestMount> mounts = volumes.mounts().getOrDefault(w.name(), List.of());
        workloads.add(
            new PlannedWorkload(
                w.name(),
                vm,
                vmStages(vm),
                List.of(
                    VmPlan.render(w.name(), vm, labFolder, settings, request.ownership(), mounts)),
                volumes.prerequisites().getOrDefault(w.name(), Set.of()),
                null,
                vmNotes(vm, labFolder)));
      } else {
        ContainerSpec c = (ContainerSpec) w.spec();
        workloads.add(
            new PlannedWorkload(
                w.name(),
                c,
                ContainerPlane.stages(c),
                ContainerPlane.render(w.name(), c, names, UnaryOperator.identity()),
                Set.of(),
                null,
                List.of("Pod in namespace " + names.namespace() + " of the kubeconfig's cluster")));
      }
    }
    volumes
        .fileServers()
        .forEach(
            (server, c) -> {
              List<NativeObject> objects =
                  new ArrayList<>(
                      ContainerPlane.render(server, c, names, UnaryOperator.identity()));
              objects.add(NativeObjects.render(FileServerLoadBalancer.service(names, server)));
              workloads.add(
                  new PlannedWorkload(
                      server,
                      c,
                      ContainerPlane.stages(c),
                      objects,
                      Set.of(),
                      "Samba server sharing a shared volume with the lab's VMs",
                      List.of(
                          "Pod in namespace "
                              + names.namespace()
                              + ", reached by the VMs through LoadBalancer Service "
                              + FileServerLoadBalancer.name(names, server))));
            });
    List<NativeObject> labObjects = new ArrayList<>();
    spec.sharedVolumes()
        .forEach(
            v ->
                labObjects.add(
                    NativeObjects.render(
                        SharedVolumeToClaim.claim(v, names, settings.storageClass()))));
    if (!vms.isEmpty()) {
      labObjects.add(VmPlan.folder(labFolder));
    }
    List<String> notes = new ArrayList<>();
    notes.add("vCenter " + settings.url() + ", datacenter " + settings.datacenter());
    notes.addAll(volumes.notes());
    if (!vms.isEmpty()) {
      notes.add(
          "VMs go in folder "
              + labFolder
              + ", with the ownership labels as custom attributes; readiness is polled through"
              + " the property collector with backoff (no WaitForUpdatesEx)");
    }
    return new BackendPlan(spec, request.ownership(), labObjects, workloads, notes);
  }

  private List<SpecProblem> vmProblems(String name, VmSpec vm) {
    String path = "workloads[" + name + "].vm";
    List<SpecProblem> problems = new ArrayList<>();
    VmImage image = vm.image().orElse(null);
    if (image == null || image.kind() != VmImage.Kind.NAMED) {
      problems.add(
          new SpecProblem(
              path + ".image",
              "vsphere-vcenter clones templates: name a template (VmImage.named), not "
                  + (image == null ? "no image" : image.kind())));
    }
    if (vm.sysprep().isPresent() && vm.guestOs() != GuestOs.WINDOWS) {
      problems.add(
          new SpecProblem(path + ".sysprep", "sysprep is for Windows guests; this VM is Linux"));
    }
    if (vm.cloudInit().isPresent() && vm.guestOs() == GuestOs.WINDOWS) {
      problems.add(
          new SpecProblem(
              path + ".cloudInit", "cloud-init is for Linux guests; this VM is Windows"));
    }
    if (!vm.disks().isEmpty()) {
      problems.add(
          new SpecProblem(path + ".disks", "vsphere-vcenter does not add extra disks yet"));
    }
    if (MemorySize.tryParse(vm.memory()).isEmpty()) {
      problems.add(new SpecProblem(path + ".memory", MemorySize.describeInvalid(vm.memory())));
    }
    for (Probe p : vm.readiness().probes()) {
      if (!(p instanceof Probe.Tcp
          || p instanceof Probe.Ssh
          || p instanceof Probe.WinRm
          || p instanceof Probe.GuestAgent)) {
        problems.add(
            new SpecProblem(
                path + ".readiness.probes",
                "vsphere-vcenter probes VMs with a TCP connect to the guest IP or VMware Tools"
                    + " only; use a tcp, ssh, winrm or guestAgent probe"));
      }
    }
    return problems;
  }

  private static List<String> vmNotes(VmSpec vm, String labFolder) {
    List<String> notes = new ArrayList<>();
    boolean linked = vm.options(VCenterOptions.class).map(VCenterOptions::linked).orElse(false);
    notes.add(
        (linked
                ? "linked clone from the template's current snapshot (fails when it has none; the"
                    + " details say whether vCenter really made one)"
                : "full clone")
            + " of template "
            + vm.image().orElseThrow().reference()
            + " into "
            + labFolder
            + ", then "
            + vm.cpus()
            + " vCPU / "
            + vm.memory()
            + " by ReconfigVM_Task, then power on");
    if (vm.cloudInit().isPresent()) {
      notes.add(
          "cloud-init user-data in guestinfo.userdata (the template needs cloud-init's VMware"
              + " datasource)");
    }
    if (vm.sysprep().isPresent()) {
      notes.add(
          "Windows guest customization: the sysprep answer file as CustomizationSysprepText on"
              + " the clone, every adapter on DHCP (the template needs VMware Tools)");
    }
    return notes;
  }

  static List<Stage> vmStages(VmSpec vm) {
    List<Stage> stages =
        new ArrayList<>(List.of(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK));
    if (vm.guestAgent()
        || vm.readiness().probes().stream().anyMatch(p -> p instanceof Probe.GuestAgent)) {
      stages.add(Stage.GUEST);
    }
    if (vm.readiness().probes().stream().anyMatch(p -> !(p instanceof Probe.GuestAgent))) {
      stages.add(Stage.PROBE);
    }
    return stages;
  }

  /** The per-lab folder's name: the lab id. */
  static String folderName(Ownership ownership) {
    return ownership.labId();
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    LabNames names = names(plan.spec(), plan.ownership());
    return new VCenterLabDriver(this, plan, names, sharedVolumes(plan.spec(), names));
  }

  // ------------------------------------------------------------------ sweep

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    List<SweepReport.SweptLab> labs = new ArrayList<>();
    {
      ManagedObjectReference parent = labsFolder();
      for (ObjectContent child : vim().folderContents(parent, "Folder", "name")) {
        Optional<Ownership> owner = folderOwner(child.obj());
        if (owner.isEmpty() || !request.matches(owner.get(), now)) {
          continue;
        }
        List<String> objects = VCenterLabDriver.describeFolder(vim(), child.obj());
        boolean removed = false;
        if (!request.isDryRun()) {
          try {
            VCenterLabDriver.destroyFolder(vim(), child.obj(), settings.teardownTimeout());
            removed = true;
          } catch (VimException e) {
            log.warn(
                "sweep: could not remove {}: {}", child.text("name").orElse("?"), e.getMessage());
          }
        }
        labs.add(new SweepReport.SweptLab(owner.get(), objects, removed));
      }
    }
    if (settings.hasKubeconfig()) {
      SweepReport pods =
          new KubernetesSweeper(kubernetes(), id(), List.of(), Optional.empty())
              .sweep(request, now, settings.teardownTimeout());
      labs.addAll(pods.labs());
    }
    return new SweepReport(id(), labs);
  }

  /**
   * A lab folder's owner: its own ownership attributes, else those of its first VM that has them. A
   * folder without either is left alone.
   */
  private Optional<Ownership> folderOwner(ManagedObjectReference folder) {
    try {
      Optional<Ownership> own = Ownership.fromLabels(labels(vim(), folder));
      if (own.isPresent()) {
        return own;
      }
      for (ObjectContent vm : vim().folderContents(folder, "VirtualMachine", "name")) {
        Optional<Ownership> o = Ownership.fromLabels(labels(vim(), vm.obj()));
        if (o.isPresent()) {
          return o;
        }
      }
    } catch (VimFaultException e) {
      if (!e.is("ManagedObjectNotFound")) {
        throw e;
      }
    }
    return Optional.empty();
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type == Vim25Client.class) {
      return Optional.of(type.cast(vim()));
    }
    if (type == KubernetesClient.class && settings.hasKubeconfig()) {
      return Optional.of(type.cast(kubernetes()));
    }
    if (type == RequestCounter.class) {
      return Optional.of(type.cast(requests));
    }
    return Optional.empty();
  }

  @Override
  public List<Class<?>> unwrapTypes() {
    return List.of(Vim25Client.class, KubernetesClient.class, RequestCounter.class);
  }

  @Override
  public void close() {
    work.shutdownNow();
    Vim25Client v = vim;
    if (v != null) {
      try {
        v.logout();
      } catch (VimException e) {
        log.debug("logout of {} failed: {}", settings.url(), e.getMessage());
      }
      v.close();
    }
    KubernetesClient k = kubernetes;
    if (k != null) {
      k.close();
    }
  }

  /** Waits a little, for polling loops. */
  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "VCenterBackend{" + settings + "}";
  }
}
