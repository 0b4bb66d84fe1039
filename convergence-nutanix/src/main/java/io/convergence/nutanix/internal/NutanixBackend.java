package io.convergence.nutanix.internal;

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
import io.convergence.nutanix.NutanixBackendProvider;
import io.convergence.nutanix.prism.Category;
import io.convergence.nutanix.prism.Image;
import io.convergence.nutanix.prism.PrismClient;
import io.convergence.nutanix.prism.PrismException;
import io.convergence.nutanix.prism.RecoveryPoint;
import io.convergence.nutanix.prism.Vm;
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
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Nutanix backend: AHV VMs through Prism Central v4, each in the lab's category {@value
 * #LAB_CATEGORY}{@code =<lab id>} (whose description, like each VM's, carries the lab's ownership);
 * containers as Pods in a per-lab namespace of the cluster given by {@code kubeconfig}. Shared
 * volumes are directories of a Nutanix Files share when {@code files.server} and {@code
 * files.share} are set ({@link FilesVolumes}), otherwise ReadWriteMany claims that VMs reach
 * through the in-lab Samba server behind a LoadBalancer Service. Snapshots are recovery points
 * named {@code <lab id>.<workload>.<snapshot>}. One Prism client and one fabric8 client (made on
 * first use) serve every lab of a Convergence client.
 */
public final class NutanixBackend implements Backend {

  /** Threads of the work pool at most: {@value}. */
  static final int WORK_THREADS = 32;

  /** The category key whose values are lab ids: {@value}. */
  public static final String LAB_CATEGORY = "ConvergenceLab";

  private static final Logger log = LoggerFactory.getLogger(NutanixBackend.class);

  private final NutanixSettings settings;
  private final ConvergenceConfig config;
  private final RequestCounter requests = new RequestCounter();
  private final SharePasswords passwords = SharePasswords.random();
  private volatile @Nullable PrismClient prism;
  private volatile @Nullable KubernetesClient kubernetes;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService work;

  /**
   * Reads the settings; connects on first use.
   *
   * @param context the context
   */
  public NutanixBackend(BackendContext context) {
    this.config = context.config();
    this.settings = NutanixSettings.from(config);
    this.scheduler = context.scheduler();
    this.work = LabSteps.workPool("nutanix-work", WORK_THREADS);
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
   * The pool of blocking steps of every lab of this client (VM builds waiting for Prism tasks,
   * polls with their TCP probes): up to {@value #WORK_THREADS} threads, none when idle.
   *
   * @return the pool
   */
  ExecutorService work() {
    return work;
  }

  @Override
  public String id() {
    return NutanixBackendProvider.ID;
  }

  @Override
  public Set<Feature> features() {
    Set<Feature> f = EnumSet.allOf(Feature.class);
    // Images by name from the image service; no import from a URL, a registry or a disk.
    f.remove(Feature.IMAGE_URL);
    f.remove(Feature.IMAGE_REGISTRY);
    f.remove(Feature.IMAGE_DISK);
    if (!settings.hasKubeconfig()) {
      if (settings.files().isEmpty()) {
        f.remove(Feature.SHARED_VOLUMES); // claims on a cluster, or directories of a Files share
      }
      f.remove(Feature.CONTAINERS);
      f.remove(Feature.CONTAINER_EXEC);
      f.remove(Feature.CONTAINER_LOGS);
    }
    return f;
  }

  NutanixSettings settings() {
    return settings;
  }

  /** The Prism client, made on first use. */
  PrismClient prism() {
    PrismClient p = prism;
    if (p == null) {
      synchronized (this) {
        p = prism;
        if (p == null) {
          p = PrismClient.create(settings.clientConfig(r -> requests.count("prism " + r)));
          prism = p;
        }
      }
    }
    return p;
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
   * The lab's shared volumes: directories of the configured Nutanix Files share, or else claims on
   * the cluster served to VMs by the in-lab Samba server behind a LoadBalancer Service.
   */
  SmbSharedVolumes sharedVolumes(LabSpec spec, LabNames names) {
    if (settings.files().isPresent()) {
      return FilesVolumes.plan(spec, names, settings.files().get());
    }
    return SmbSharedVolumes.plan(
        spec,
        names,
        settings.smbServerImage(),
        server -> FileServerLoadBalancer.placeholder(names, server),
        passwords::of,
        "AHV VMs are not on the cluster; they reach the server through its LoadBalancer Service"
            + " (the cluster needs a load-balancer implementation, e.g. MetalLB on NKP; or set"
            + " convergence.nutanix.files.server and files.share to use a Nutanix Files share)",
        "storage class "
            + settings.storageClass().orElse("the cluster's default")
            + " must offer ReadWriteMany, e.g. the Nutanix CSI driver's NutanixFiles class");
  }

  /** How pods mount shared volumes: the Files share's NFS export, or (unchanged) their claims. */
  UnaryOperator<Pod> podModifier(LabSpec spec, LabNames names) {
    return settings
        .files()
        .map(f -> FilesVolumes.podModifier(spec, names, f))
        .orElse(UnaryOperator.identity());
  }

  /** How long an image found by name is trusted without looking it up again: {@value} ms. */
  static final long IMAGE_CACHE_MILLIS = 60_000;

  private record FoundImage(Image image, long foundAtNanos) {}

  private final Map<String, FoundImage> images = new ConcurrentHashMap<>();

  /**
   * An image by name; one found in the last minute (by the plan's check, or another VM of the lab)
   * is used again without a request.
   */
  Image image(String name) {
    FoundImage f = images.get(name);
    if (f != null && System.nanoTime() - f.foundAtNanos() < IMAGE_CACHE_MILLIS * 1_000_000L) {
      return f.image();
    }
    Image image = prism().findImage(name);
    images.put(name, new FoundImage(image, System.nanoTime()));
    return image;
  }

  /** Where new VMs go: cluster and subnet, looked up by name. */
  record Placement(String clusterExtId, String subnetExtId) {}

  Placement placement() {
    String cluster = settings.cluster().orElseThrow();
    String clusterExtId = prism().findCluster(cluster).extId();
    String subnetExtId = prism().findSubnet(settings.subnet().orElseThrow(), clusterExtId).extId();
    return new Placement(clusterExtId, subnetExtId);
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
                  "containers need a Kubernetes cluster: set convergence.nutanix.kubeconfig"));
        }
        problems.addAll(
            ProbeToKubernetesProbe.problems(path + ".readiness.probes", w.spec().readiness()));
      }
    }
    if (!vms.isEmpty()) {
      if (settings.cluster().isEmpty()) {
        problems.add(
            new SpecProblem(
                "workloads[" + vms.get(0).name() + "].vm",
                "VMs need an AHV cluster: set convergence.nutanix.cluster (its name in Prism"
                    + " Central)"));
      }
      if (settings.subnet().isEmpty()) {
        problems.add(
            new SpecProblem(
                "workloads[" + vms.get(0).name() + "].vm",
                "VMs need a subnet for their NIC: set convergence.nutanix.subnet (its name)"));
      }
    }
    if (!spec.sharedVolumes().isEmpty()
        && !settings.hasKubeconfig()
        && settings.files().isEmpty()) {
      problems.add(
          new SpecProblem(
              "sharedVolumes",
              "shared volumes are claims on the Kubernetes cluster, served to VMs by an in-lab file"
                  + " server there: set convergence.nutanix.kubeconfig, or put them on a Nutanix"
                  + " Files share with convergence.nutanix.files.server and files.share"));
    }
    SmbSharedVolumes volumes = sharedVolumes(spec, names);
    if (settings.hasKubeconfig() || settings.files().isPresent()) {
      problems.addAll(volumes.problems());
    }
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems, id());
    }
    if (!vms.isEmpty()) {
      checkInventory(spec, vms);
    }
    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      if (w.spec() instanceof VmSpec vm) {
        List<GuestMount> mounts = volumes.mounts().getOrDefault(w.name(), List.of());
        workloads.add(
            new PlannedWorkload(
                w.name(),
                vm,
                vmStages(vm),
                List.of(NutanixVmPlan.render(w.name(), vm, names, settings, mounts)),
                volumes.prerequisites().getOrDefault(w.name(), Set.of()),
                null,
                List.of(
                    "AHV VM "
                        + names.objectName(w.name())
                        + " on cluster "
                        + settings.cluster().orElseThrow()
                        + ", boot disk cloned from image "
                        + vm.image().orElseThrow().reference()
                        + ", NIC on subnet "
                        + settings.subnet().orElseThrow()
                        + ", category "
                        + LAB_CATEGORY
                        + "="
                        + names.ownership().labId())));
      } else {
        ContainerSpec c = (ContainerSpec) w.spec();
        workloads.add(
            new PlannedWorkload(
                w.name(),
                c,
                ContainerPlane.stages(c),
                ContainerPlane.render(w.name(), c, names, podModifier(spec, names)),
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
                          "reached by the VMs through LoadBalancer Service "
                              + FileServerLoadBalancer.name(names, server))));
            });
    List<NativeObject> labObjects = new ArrayList<>();
    if (!vms.isEmpty()) {
      labObjects.add(
          new NativeObject(
              "Category",
              LAB_CATEGORY + "=" + names.ownership().labId(),
              NativeObject.Format.YAML,
              "POST /api/prism/v4.0/config/categories:\n  key: "
                  + LAB_CATEGORY
                  + "\n  value: "
                  + names.ownership().labId()
                  + "\n"));
    }
    if (settings.files().isEmpty()) {
      spec.sharedVolumes()
          .forEach(
              v ->
                  labObjects.add(
                      NativeObjects.render(
                          SharedVolumeToClaim.claim(v, names, settings.storageClass()))));
    }
    List<String> notes = new ArrayList<>();
    notes.add("Prism Central " + settings.url() + " (v4.0 API)");
    notes.addAll(volumes.notes());
    return new BackendPlan(spec, request.ownership(), labObjects, workloads, notes);
  }

  /** Checks cluster, subnet and images exist; errors name what does. */
  private void checkInventory(LabSpec spec, List<NamedWorkload> vms) {
    List<SpecProblem> problems = new ArrayList<>();
    try {
      placement();
    } catch (PrismException | IllegalArgumentException e) {
      problems.add(new SpecProblem("workloads[" + vms.get(0).name() + "].vm", e.getMessage()));
    }
    for (NamedWorkload w : vms) {
      String image = ((VmSpec) w.spec()).image().orElseThrow().reference();
      try {
        image(image);
      } catch (PrismException | IllegalArgumentException e) {
        problems.add(new SpecProblem("workloads[" + w.name() + "].vm.image", e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems, id());
    }
  }

  private List<SpecProblem> vmProblems(String name, VmSpec vm) {
    String path = "workloads[" + name + "].vm";
    List<SpecProblem> problems = new ArrayList<>();
    VmImage image = vm.image().orElse(null);
    if (image == null || image.kind() != VmImage.Kind.NAMED) {
      problems.add(
          new SpecProblem(
              path + ".image",
              "nutanix clones the boot disk from an image of Prism Central's image service: name"
                  + " one (VmImage.named), not "
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
    if (MemorySize.tryParse(vm.memory()).isEmpty()) {
      problems.add(new SpecProblem(path + ".memory", MemorySize.describeInvalid(vm.memory())));
    }
    for (var d : vm.disks()) {
      if (MemorySize.tryParse(d.size()).isEmpty()) {
        problems.add(
            new SpecProblem(
                path + ".disks[" + d.name() + "].size", MemorySize.describeInvalid(d.size())));
      }
    }
    for (Probe p : vm.readiness().probes()) {
      if (!(p instanceof Probe.Tcp
          || p instanceof Probe.Ssh
          || p instanceof Probe.WinRm
          || p instanceof Probe.GuestAgent)) {
        problems.add(
            new SpecProblem(
                path + ".readiness.probes",
                "nutanix probes VMs with a TCP connect to the guest IP or Nutanix Guest Tools"
                    + " only; use a tcp, ssh, winrm or guestAgent probe"));
      }
    }
    return problems;
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

  @Override
  public LabDriver open(BackendPlan plan) {
    LabNames names = names(plan.spec(), plan.ownership());
    return new NutanixLabDriver(this, plan, names, sharedVolumes(plan.spec(), names));
  }

  // ------------------------------------------------------------------ sweep

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    List<SweepReport.SweptLab> labs = new ArrayList<>();
    List<RecoveryPoint> points = null;
    for (Category c : prism().listCategories(LAB_CATEGORY)) {
      List<Vm> vms = prism().listVmsByCategory(c.extId());
      Optional<Ownership> owner =
          NutanixVmPlan.ownership(c.description())
              .or(
                  () ->
                      vms.stream()
                          .map(v -> NutanixVmPlan.ownership(v.description()))
                          .flatMap(Optional::stream)
                          .findFirst());
      if (owner.isEmpty() || !request.matches(owner.get(), now)) {
        continue;
      }
      if (points == null) {
        points = prism().listRecoveryPoints(null);
      }
      List<String> objects = new ArrayList<>();
      vms.forEach(v -> objects.add("VM " + v.name() + " (" + v.extId() + ")"));
      points.stream()
          .filter(p -> p.name() != null && p.name().startsWith(c.value() + "."))
          .forEach(p -> objects.add("RecoveryPoint " + p.name() + " (" + p.extId() + ")"));
      objects.add("Category " + LAB_CATEGORY + "=" + c.value());
      boolean removed = false;
      if (!request.isDryRun()) {
        try {
          NutanixLabDriver.removeRecoveryPoints(prism(), c.value());
          NutanixLabDriver.removeVms(prism(), vms, settings.teardownTimeout());
          NutanixLabDriver.removeCategory(prism(), c);
          removed = true;
        } catch (PrismException e) {
          log.warn("sweep: could not remove lab {}: {}", c.value(), e.getMessage());
        }
      }
      labs.add(new SweepReport.SweptLab(owner.get(), objects, removed));
    }
    if (settings.hasKubeconfig()) {
      labs.addAll(
          new KubernetesSweeper(kubernetes(), id(), List.of(), Optional.empty())
              .sweep(request, now, settings.teardownTimeout())
              .labs());
    }
    return new SweepReport(id(), labs);
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type == PrismClient.class) {
      return Optional.of(type.cast(prism()));
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
    return List.of(PrismClient.class, KubernetesClient.class, RequestCounter.class);
  }

  @Override
  public void close() {
    work.shutdownNow();
    PrismClient p = prism;
    if (p != null) {
      p.close();
    }
    KubernetesClient k = kubernetes;
    if (k != null) {
      k.close();
    }
  }

  @Override
  public String toString() {
    return "NutanixBackend{" + settings + "}";
  }
}
