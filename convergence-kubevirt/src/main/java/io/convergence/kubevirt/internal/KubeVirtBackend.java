package io.convergence.kubevirt.internal;

import io.convergence.Feature;
import io.convergence.InvalidLabSpecException;
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
import io.convergence.kubevirt.KubeVirtBackendProvider;
import io.convergence.kubevirt.KubeVirtOptions;
import io.convergence.kubevirt.KubeVirtResources;
import io.convergence.plan.NativeObject;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.Probe;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import io.convergence.spi.PlannedWorkload;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/** The KubeVirt backend: one fabric8 client shared by every lab of a Convergence client. */
public final class KubeVirtBackend implements Backend {

  private final KubernetesClient client;
  private final RequestCounter requests = new RequestCounter();
  private final KubeVirtSettings settings;
  private final BackendContext context;
  private final SharePasswords passwords = SharePasswords.random();
  private volatile @Nullable KubeVirtCapabilities capabilities;

  /** Connects with the context's settings. */
  public KubeVirtBackend(BackendContext context) {
    this.context = context;
    this.settings = KubeVirtSettings.from(context.config());
    this.client =
        KubernetesConnection.connect(context.config(), KubeVirtBackendProvider.ID, requests);
  }

  @Override
  public String id() {
    return KubeVirtBackendProvider.ID;
  }

  @Override
  public Set<Feature> features() {
    Set<Feature> f = EnumSet.allOf(Feature.class);
    if (!capabilities().snapshots()) {
      f.remove(Feature.SNAPSHOTS);
    }
    return f;
  }

  KubeVirtCapabilities capabilities() {
    KubeVirtCapabilities c = capabilities;
    if (c == null) {
      synchronized (this) {
        c = capabilities;
        if (c == null) {
          c = KubeVirtCapabilities.probe(client);
          capabilities = c;
        }
      }
    }
    return c;
  }

  KubeVirtSettings settings() {
    return settings;
  }

  KubernetesClient client() {
    return client;
  }

  /**
   * The SMB password of a lab's volume: stable for the lab within this backend, unguessable outside
   * it.
   */
  String password(String labId, String volume) {
    return passwords.of(labId, volume);
  }

  LabNames names(LabSpec spec, io.convergence.Ownership ownership) {
    return LabNames.of(spec, ownership, settings.fixedNamespace());
  }

  SharedVolumePlanner.Realisation realisation(LabSpec spec, LabNames names) {
    return SharedVolumePlanner.plan(
        spec, names, settings, capabilities().virtiofs(), this::password);
  }

  @Override
  public BackendPlan plan(PlanRequest request) {
    LabSpec spec = request.spec();
    KubeVirtCapabilities caps = capabilities();
    LabNames names = names(spec, request.ownership());
    List<SpecProblem> problems = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      String kind = w.spec() instanceof VmSpec ? "vm" : "container";
      String path = "workloads[" + w.name() + "]." + kind;
      problems.addAll(
          ProbeToKubernetesProbe.problems(path + ".readiness.probes", w.spec().readiness()));
      if (w.spec() instanceof VmSpec vm) {
        checkVm(path, vm, caps, problems);
      }
    }
    SharedVolumePlanner.Realisation realisation = realisation(spec, names);
    problems.addAll(realisation.problems());
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems, id());
    }

    List<NativeObject> labObjects = new ArrayList<>();
    if (names.dedicated()) {
      labObjects.add(
          NativeObjects.render(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(names.namespace())
                  .withLabels(names.labels())
                  .endMetadata()
                  .build()));
      labObjects.add(
          NativeObjects.render(
              new ServiceAccountBuilder()
                  .withNewMetadata()
                  .withName("default")
                  .withNamespace(names.namespace())
                  .endMetadata()
                  .build()));
    }
    spec.sharedVolumes()
        .forEach(
            v ->
                labObjects.add(
                    NativeObjects.render(
                        SharedVolumeToClaim.claim(v, names, settings.storageClass()))));

    List<PlannedWorkload> workloads = new ArrayList<>();
    for (NamedWorkload w : spec.workloads()) {
      workloads.add(planWorkload(w.name(), w.spec(), names, realisation, null));
    }
    for (SharedVolumePlanner.FileServer s : realisation.fileServers()) {
      workloads.add(planWorkload(s.name(), s.spec(), names, realisation, s.reason()));
    }
    List<String> notes = new ArrayList<>(caps.notes());
    notes.add(
        "namespace "
            + names.namespace()
            + (names.dedicated() ? " (the lab's own)" : " (shared; names get the lab's suffix)"));
    notes.addAll(realisation.notes());
    return new BackendPlan(spec, request.ownership(), labObjects, workloads, notes);
  }

  private PlannedWorkload planWorkload(
      String name,
      WorkloadSpec spec,
      LabNames names,
      SharedVolumePlanner.Realisation realisation,
      @Nullable String auxiliaryReason) {
    List<NativeObject> objects;
    List<Stage> stages;
    List<String> notes = new ArrayList<>();
    if (spec instanceof VmSpec vm) {
      List<GuestMount> mounts = realisation.mounts().getOrDefault(name, List.of());
      objects =
          VmSpecToVirtualMachine.toObjects(name, vm, names, settings, mounts).all().stream()
              .map(NativeObjects::render)
              .toList();
      stages = vmStages(vm);
      if (!vm.guestAgent() && (vm.cloudInit().isPresent() || vm.sysprep().isPresent())) {
        notes.add(
            "no guest stage: KubeVirt reports guest readiness only through the guest agent (guestAgent: true)");
      }
      notes.add("boot disk: " + bootDisk(vm));
    } else {
      ContainerSpec c = (ContainerSpec) spec;
      objects = ContainerPlane.render(name, c, names, podModifier(c));
      stages = ContainerPlane.stages(c);
    }
    return new PlannedWorkload(
        name,
        spec,
        stages,
        objects,
        realisation.extraPrerequisites().getOrDefault(name, Set.of()),
        auxiliaryReason,
        notes);
  }

  private String bootDisk(VmSpec vm) {
    VmImage image = vm.image().orElseThrow();
    boolean imports =
        vm.options(KubeVirtOptions.class).map(KubeVirtOptions::importRegistryImage).orElse(false);
    return switch (image.kind()) {
      case REGISTRY ->
          imports
              ? "DataVolume imported from registry " + image.reference()
              : "ephemeral containerDisk "
                  + image.reference()
                  + " (every start boots the pristine image)";
      case NAMED ->
          "DataVolume cloned from DataSource "
              + settings.goldenImageNamespace()
              + "/"
              + image.reference();
      case URL -> "DataVolume imported from " + image.reference();
      case DISK -> "DataVolume cloned from PVC " + image.reference();
    };
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

  static UnaryOperator<Pod> podModifier(ContainerSpec spec) {
    Optional<KubeVirtOptions> options = spec.options(KubeVirtOptions.class);
    UnaryOperator<Pod> selector =
        pod -> {
          options
              .map(KubeVirtOptions::nodeSelector)
              .filter(m -> !m.isEmpty())
              .ifPresent(m -> pod.getSpec().setNodeSelector(new java.util.LinkedHashMap<>(m)));
          return pod;
        };
    UnaryOperator<Pod> last =
        options.flatMap(KubeVirtOptions::podModifier).orElse(UnaryOperator.identity());
    return pod -> last.apply(selector.apply(pod));
  }

  private void checkVm(
      String path, VmSpec vm, KubeVirtCapabilities caps, List<SpecProblem> problems) {
    if (!caps.kubevirt()) {
      problems.add(
          new SpecProblem(
              path,
              "the cluster does not serve kubevirt.io/v1 VirtualMachines; install KubeVirt"
                  + " or run the VM on another backend"));
      return;
    }
    VmImage image = vm.image().orElseThrow();
    boolean needsCdi =
        image.kind() != VmImage.Kind.REGISTRY
            || vm.options(KubeVirtOptions.class)
                .map(KubeVirtOptions::importRegistryImage)
                .orElse(false);
    if (needsCdi && !caps.cdi()) {
      problems.add(
          new SpecProblem(
              path + ".image",
              "a "
                  + image.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " image needs CDI (cdi.kubevirt.io DataVolumes), which the cluster does not serve; install CDI or use"
                  + " image: {registry: ...} (a containerDisk)"));
      return;
    }
    if (image.kind() == VmImage.Kind.NAMED) {
      try {
        GenericKubernetesResource ds =
            client
                .genericKubernetesResources(KubeVirtResources.DATA_SOURCE)
                .inNamespace(settings.goldenImageNamespace())
                .withName(image.reference())
                .get();
        if (ds == null) {
          List<String> known =
              client
                  .genericKubernetesResources(KubeVirtResources.DATA_SOURCE)
                  .inNamespace(settings.goldenImageNamespace())
                  .list()
                  .getItems()
                  .stream()
                  .map(d -> d.getMetadata().getName())
                  .sorted()
                  .toList();
          problems.add(
              new SpecProblem(
                  path + ".image",
                  "no DataSource \""
                      + image.reference()
                      + "\" in namespace "
                      + settings.goldenImageNamespace()
                      + " (DataSources there: "
                      + (known.isEmpty() ? "none" : String.join(", ", known))
                      + "); import the golden image as a DataSource, set convergence.kubevirt.golden-image-namespace, or use"
                      + " image: {url: ...} or {registry: ...}"));
        }
      } catch (KubernetesClientException e) {
        throw KubernetesConnection.error(
            id(),
            "read DataSource " + settings.goldenImageNamespace() + "/" + image.reference(),
            e);
      }
    }
    if (vm.guestOs() == GuestOs.WINDOWS
        && vm.readiness().probes().stream().anyMatch(p -> p instanceof Probe.Ssh)) {
      problems.add(
          new SpecProblem(
              path + ".readiness.probes", "Windows guests are probed with winrm or tcp"));
    }
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    LabNames names = names(plan.spec(), plan.ownership());
    return new KubeVirtLabDriver(this, plan, names, realisation(plan.spec(), names));
  }

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    return new KubernetesSweeper(client, id(), KubeVirtResources.LAB_KINDS)
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
    return "KubeVirtBackend{" + client.getMasterUrl() + "}";
  }
}
