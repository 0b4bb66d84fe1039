package io.convergence.vsphere.supervisor.internal;

import io.convergence.BackendException;
import io.convergence.Feature;
import io.convergence.InvalidLabSpecException;
import io.convergence.Ownership;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesSweeper;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.NativeObjects;
import io.convergence.kubernetes.ProbeToKubernetesProbe;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.kubernetes.SharePasswords;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubernetes.SmbSharedVolumes;
import io.convergence.plan.NativeObject;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.Probe;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import io.convergence.spi.PlannedWorkload;
import io.convergence.vsphere.supervisor.SupervisorBackendProvider;
import io.convergence.vsphere.supervisor.SupervisorOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The VCF Supervisor (VM Service) backend: VMs as vm-operator VirtualMachines and containers as
 * Pods, side by side in one vSphere Namespace given by the settings, through one fabric8 client
 * shared by every lab of a Convergence client.
 */
public final class SupervisorBackend implements Backend {

  private final KubernetesClient client;
  private final RequestCounter requests = new RequestCounter();
  private final SupervisorSettings settings;
  private final SharePasswords passwords = SharePasswords.random();
  private volatile @Nullable VmOperatorApi api;

  /**
   * Connects with the context's settings.
   *
   * @param context the context
   */
  public SupervisorBackend(BackendContext context) {
    this.settings = SupervisorSettings.from(context.config());
    this.client =
        KubernetesConnection.connect(context.config(), SupervisorBackendProvider.ID, requests);
  }

  @Override
  public String id() {
    return SupervisorBackendProvider.ID;
  }

  @Override
  public Set<Feature> features() {
    Set<Feature> f = EnumSet.allOf(Feature.class);
    // Images come from content libraries only (VirtualMachineImage / ClusterVirtualMachineImage).
    f.remove(Feature.IMAGE_URL);
    f.remove(Feature.IMAGE_REGISTRY);
    f.remove(Feature.IMAGE_DISK);
    if (!api().snapshots()) {
      f.remove(Feature.SNAPSHOTS);
    }
    return f;
  }

  /** The vm-operator API, discovered once. */
  VmOperatorApi api() {
    VmOperatorApi a = api;
    if (a == null) {
      synchronized (this) {
        a = api;
        if (a == null) {
          try {
            a =
                VmOperatorApi.discover(client)
                    .orElseThrow(
                        () ->
                            new BackendException(
                                id(),
                                "discover " + VmOperatorApi.GROUP,
                                -1,
                                null,
                                "the Supervisor at "
                                    + client.getMasterUrl()
                                    + " serves no vm-operator version this backend writes ("
                                    + String.join(", ", VmOperatorApi.SUPPORTED)
                                    + ")",
                                "is the VM Service enabled, and is this a VCF 9 Supervisor?",
                                null));
          } catch (KubernetesClientException e) {
            throw KubernetesConnection.error(id(), "discover " + VmOperatorApi.GROUP, e);
          }
          api = a;
        }
      }
    }
    return a;
  }

  SupervisorSettings settings() {
    return settings;
  }

  KubernetesClient client() {
    return client;
  }

  LabNames names(LabSpec spec, Ownership ownership) {
    return LabNames.of(spec, ownership, Optional.of(settings.namespace()));
  }

  SmbSharedVolumes sharedVolumes(LabSpec spec, LabNames names) {
    return SmbSharedVolumes.plan(
        spec,
        names,
        settings.smbServerImage(),
        server -> names.serviceHost(server) + "." + settings.clusterDomain(),
        this::password,
        "vm-operator attaches claims to VMs only as block disks",
        "needs vSAN File Service on the Supervisor");
  }

  String password(String labId, String volume) {
    return passwords.of(labId, volume);
  }

  /** Reads the namespace's classes and images. */
  Catalog catalog() {
    VmOperatorApi a = api();
    try {
      List<GenericKubernetesResource> classes =
          client
              .genericKubernetesResources(a.virtualMachineClasses())
              .inNamespace(settings.namespace())
              .list()
              .getItems();
      List<GenericKubernetesResource> images =
          new ArrayList<>(
              client
                  .genericKubernetesResources(a.virtualMachineImages())
                  .inNamespace(settings.namespace())
                  .list()
                  .getItems());
      images.addAll(
          client.genericKubernetesResources(a.clusterVirtualMachineImages()).list().getItems());
      return Catalog.of(classes, images);
    } catch (KubernetesClientException e) {
      throw KubernetesConnection.error(
          id(), "list VM classes and images of namespace " + settings.namespace(), e);
    }
  }

  /**
   * Chooses class, image and storage class of every VM of a lab.
   *
   * @param spec the lab
   * @param problems where problems go
   * @return per VM workload, its placement (VMs with problems left out)
   */
  Map<String, VmSpecToVmOperator.Placement> placements(LabSpec spec, List<SpecProblem> problems) {
    Map<String, VmSpecToVmOperator.Placement> out = new LinkedHashMap<>();
    List<NamedWorkload> vms =
        spec.workloads().stream().filter(w -> w.spec() instanceof VmSpec).toList();
    if (vms.isEmpty()) {
      return out;
    }
    Optional<String> storageClass = settings.storageClass();
    if (storageClass.isEmpty()) {
      problems.add(
          new SpecProblem(
              "workloads[" + vms.get(0).name() + "].vm",
              "set convergence.vsphere-supervisor.storage-class to a storage policy (StorageClass)"
                  + " assigned to namespace "
                  + settings.namespace()
                  + (storageClassNames().map(n -> " (StorageClasses: " + n + ")").orElse(""))
                  + "; vm-operator refuses a VM without one"));
      return out;
    }
    Catalog catalog = catalog();
    for (NamedWorkload w : vms) {
      VmSpec vm = (VmSpec) w.spec();
      String path = "workloads[" + w.name() + "].vm";
      String explicit =
          vm.options(SupervisorOptions.class).flatMap(SupervisorOptions::className).orElse(null);
      String cls = catalog.chooseClass(path, vm, explicit, problems);
      Catalog.Image image =
          catalog.chooseImage(path, vm.image().orElseThrow().reference(), vm.guestOs(), problems);
      if (cls != null && image != null) {
        out.put(w.name(), new VmSpecToVmOperator.Placement(cls, image, storageClass.get()));
      }
    }
    return out;
  }

  private Optional<String> storageClassNames() {
    try {
      return Optional.of(
          String.join(
              ", ",
              client.storage().v1().storageClasses().list().getItems().stream()
                  .map(s -> s.getMetadata().getName())
                  .sorted()
                  .toList()));
    } catch (KubernetesClientException e) {
      return Optional.empty(); // a namespace user may not list StorageClasses
    }
  }

  @Override
  public BackendPlan plan(PlanRequest request) {
    LabSpec spec = request.spec();
    LabNames names = names(spec, request.ownership());
    List<SpecProblem> problems = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      String kind = w.spec() instanceof VmSpec ? "vm" : "container";
      String path = "workloads[" + w.name() + "]." + kind + ".readiness.probes";
      problems.addAll(ProbeToKubernetesProbe.problems(path, w.spec().readiness()));
      if (w.spec() instanceof VmSpec vm) {
        for (Probe p : vm.readiness().probes()) {
          if (!(p instanceof Probe.Tcp
              || p instanceof Probe.Ssh
              || p instanceof Probe.WinRm
              || p instanceof Probe.GuestAgent)) {
            problems.add(
                new SpecProblem(
                    path,
                    "vm-operator probes VMs with a TCP connect only (readinessProbe.tcpSocket); use a"
                        + " tcp, ssh, winrm or guestAgent probe"));
          }
        }
      }
    }
    SmbSharedVolumes volumes = sharedVolumes(spec, names);
    problems.addAll(volumes.problems());
    Map<String, VmSpecToVmOperator.Placement> placements =
        problems.isEmpty() ? placements(spec, problems) : Map.of();
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems, id());
    }
    List<NativeObject> labObjects = new ArrayList<>();
    spec.sharedVolumes()
        .forEach(
            v ->
                labObjects.add(
                    NativeObjects.render(
                        SharedVolumeToClaim.claim(v, names, settings.storageClass()))));
    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      workloads.add(planWorkload(w.name(), w.spec(), names, volumes, placements, null));
    }
    volumes
        .fileServers()
        .forEach(
            (name, server) ->
                workloads.add(
                    planWorkload(
                        name,
                        server,
                        names,
                        volumes,
                        placements,
                        "Samba server sharing a shared volume with the lab's VMs")));
    List<String> notes = new ArrayList<>();
    if (!placements.isEmpty()) {
      notes.add(api().note());
    }
    notes.add(
        "vSphere Namespace "
            + names.namespace()
            + " (given by convergence.vsphere-supervisor.namespace; names get the lab's suffix)");
    notes.addAll(volumes.notes());
    return new BackendPlan(spec, request.ownership(), labObjects, workloads, notes);
  }

  private PlannedWorkload planWorkload(
      String name,
      WorkloadSpec spec,
      LabNames names,
      SmbSharedVolumes volumes,
      Map<String, VmSpecToVmOperator.Placement> placements,
      @Nullable String auxiliaryReason) {
    List<NativeObject> objects;
    List<Stage> stages;
    List<String> notes = new ArrayList<>();
    if (spec instanceof VmSpec vm) {
      VmSpecToVmOperator.Placement placement = placements.get(name);
      List<GuestMount> mounts = volumes.mounts().getOrDefault(name, List.of());
      objects =
          VmSpecToVmOperator.toObjects(name, vm, names, api(), placement, mounts).all().stream()
              .map(NativeObjects::render)
              .toList();
      stages = vmStages(vm);
      notes.add(
          "class "
              + placement.className()
              + (vm.options(SupervisorOptions.class)
                      .flatMap(SupervisorOptions::className)
                      .isPresent()
                  ? " (named in the options)"
                  : " (the smallest with at least " + vm.cpus() + " vCPU and " + vm.memory() + ")")
              + ", image "
              + placement.image()
              + ", storage class "
              + placement.storageClass());
    } else {
      ContainerSpec c = (ContainerSpec) spec;
      objects = ContainerPlane.render(name, c, names, UnaryOperator.identity());
      stages = ContainerPlane.stages(c);
    }
    return new PlannedWorkload(
        name,
        spec,
        stages,
        objects,
        volumes.prerequisites().getOrDefault(name, Set.of()),
        auxiliaryReason,
        notes);
  }

  static List<Stage> vmStages(VmSpec vm) {
    List<Stage> stages =
        new ArrayList<>(List.of(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK));
    if (vm.guestAgent()) {
      stages.add(Stage.GUEST);
    }
    if (!vm.readiness().probes().isEmpty()) {
      stages.add(Stage.PROBE);
    }
    return stages;
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    LabNames names = names(plan.spec(), plan.ownership());
    return new SupervisorLabDriver(this, plan, names, sharedVolumes(plan.spec(), names));
  }

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    List<io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext> kinds;
    try {
      kinds = VmOperatorApi.discover(client).map(VmOperatorApi::labKinds).orElse(List.of());
    } catch (KubernetesClientException e) {
      throw KubernetesConnection.error(id(), "discover " + VmOperatorApi.GROUP, e);
    }
    // A vSphere Namespace user may not list namespaces or objects across them: sweep the one.
    return new KubernetesSweeper(client, id(), kinds, Optional.of(settings.namespace()))
        .sweep(request, now, settings.teardownTimeout());
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type.isInstance(client)) {
      return Optional.of(type.cast(client));
    }
    if (type == RequestCounter.class) {
      return Optional.of(type.cast(requests));
    }
    return Optional.empty();
  }

  @Override
  public List<Class<?>> unwrapTypes() {
    return List.of(KubernetesClient.class, RequestCounter.class);
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "SupervisorBackend{"
        + client.getMasterUrl()
        + ", namespace "
        + settings.namespace()
        + "}";
  }
}
