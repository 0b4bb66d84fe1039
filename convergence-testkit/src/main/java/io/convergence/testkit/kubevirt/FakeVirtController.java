package io.convergence.testkit.kubevirt;

import static io.convergence.testkit.kubernetes.internal.Gkr.deleting;
import static io.convergence.testkit.kubernetes.internal.Gkr.finalizers;
import static io.convergence.testkit.kubernetes.internal.Gkr.labels;
import static io.convergence.testkit.kubernetes.internal.Gkr.op;
import static io.convergence.testkit.kubernetes.internal.Gkr.pointer;
import static io.convergence.testkit.kubernetes.internal.Gkr.spec;
import static io.convergence.testkit.kubernetes.internal.Gkr.status;
import static io.convergence.testkit.kubevirt.KubeVirtResources.DATA_VOLUME;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE;
import static io.convergence.testkit.kubevirt.KubeVirtResources.VIRTUAL_MACHINE_INSTANCE;
import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.FakeKubelet;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Conditions;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.convergence.testkit.kubevirt.internal.GuestOsInfo;
import io.convergence.testkit.kubevirt.internal.PrintableStatus;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Does what KubeVirt v1.9's virt-controller and virt-handler do for VirtualMachines and
 * VirtualMachineInstances, on any API reached through a fabric8 client, informer-driven and one
 * {@linkplain Latencies latency} per step:
 *
 * <ul>
 *   <li><b>VM to VMI</b> per {@code spec.runStrategy}: {@code Always} and {@code RerunOnFailure}
 *       create the VMI at once (and restart it when it fails, with a growing back-off shown as
 *       {@code CrashLoopBackOff}; {@code Always} also when it succeeds), {@code Once} once, {@code
 *       Manual} and {@code Halted} never; the deprecated {@code running: true|false} means {@code
 *       Always}/{@code Halted}. The VMI has the VM's name, exactly the template's labels (and
 *       annotations), a controller ownerReference to the VM, the finalizers {@value
 *       KubeVirtResources#FOREGROUND_DELETE_FINALIZER} and {@value
 *       KubeVirtResources#CONTROLLER_FINALIZER}, and the template's spec. The VM gets the finalizer
 *       {@value KubeVirtResources#CONTROLLER_FINALIZER}.
 *   <li><b>DataVolumes</b> from {@code spec.dataVolumeTemplates} are created (ownerReference to the
 *       VM, the template's labels and annotations); the VMI is created only once every DataVolume
 *       the VM uses has {@code Succeeded}.
 *   <li><b>VMI phases</b> {@code Pending} → {@code Scheduling} (the virt-launcher pod is created:
 *       labels {@code kubevirt.io: virt-launcher}, {@code kubevirt.io/created-by}, {@code
 *       vm.kubevirt.io/name}, {@code vmi.kubevirt.io/id} plus every VMI label, annotation {@code
 *       kubevirt.io/domain}, ownerReference to the VMI, container {@code compute} with the VMI's
 *       interface ports and readiness probe, a container per containerDisk, the claims and
 *       cloud-init/sysprep Secrets as volumes; the {@link FakeKubelet} runs it) → {@code Scheduled}
 *       (the pod runs: {@code status.nodeName}, label {@code kubevirt.io/nodeName}) → {@code
 *       Running} ({@code status.interfaces}), with {@code phaseTransitionTimestamps}. The pod's
 *       {@code PodScheduled=False} becomes the VMI's {@code PodScheduled} condition, an image pull
 *       error its {@code Synchronized=False} condition, a failed pod a {@code Failed} VMI.
 *   <li><b>Ready</b>: the VMI's {@code Ready} is False ({@code PodNotExists}, {@code
 *       PodConditionMissing}, {@code GuestNotRunning}) until Running, then mirrors the launcher
 *       pod's readiness (so a readiness probe must pass). {@code AgentConnected=True} and {@code
 *       guestOSInfo} come one step after Running, only for VMs with a guest agent (configurable per
 *       workload; default yes) and never with the {@link Faults#agentNeverConnects} fault.
 *   <li><b>Interfaces</b>: one entry per spec interface with {@code name}, {@code mac}, {@code
 *       podInterfaceName}, {@code infoSource}; interfaces on the pod network get the launcher pod's
 *       IP as {@code ipAddress}/{@code ipAddresses} (never with a {@link Stage#NETWORK} fault);
 *       Multus interfaces get an address only from the guest agent; {@code interfaceName} ({@code
 *       eth0}, ...) only comes from the guest agent, as on a real cluster.
 *   <li><b>VM status</b>: {@code printableStatus} by KubeVirt's precedence (Terminating, Stopping,
 *       Paused, Running, ErrorPvcNotFound, DataVolumeError, ErrorUnschedulable, Provisioning,
 *       WaitingForVolumeBinding, ErrImagePull, ImagePullBackOff, Starting, CrashLoopBackOff,
 *       Stopped), {@code ready}, {@code created}, {@code runStrategy}, {@code conditions} (the
 *       VMI's, or {@code Ready=False} reason {@code VMINotExists} without a VMI), {@code
 *       observedGeneration}, {@code desiredGeneration}, {@code startFailure}.
 *   <li><b>Stop and delete</b>: stopping deletes the VMI; a deleted VMI has its launcher pods
 *       deleted, then its finalizers removed. Deleting the VM (Terminating) deletes its VMI, then
 *       its finalizer goes; its DataVolumes and the VMI's pods are deleted as the garbage collector
 *       would (the mock has none; on a real server both happen, harmlessly).
 * </ul>
 *
 * <p>What it does not simulate: admission (virt-api's defaulting and validation: a VM the real
 * webhook rejects, e.g. virtiofs on a PVC without the feature gate, is accepted), the {@code
 * subresources.kubevirt.io} API (start, stop, restart, console, VNC), instance types and
 * preferences, live migration, pause, hotplug, memory dumps, the guest itself (no console, no SSH:
 * ports are only declared), and {@code RestartRequired} on spec changes.
 *
 * @since 0.1.0
 */
public final class FakeVirtController implements AutoCloseable {

  private final VirtController controller;
  private final Latencies latencies;
  private final Faults faults;
  private final Map<String, Boolean> guestAgents = new ConcurrentHashMap<>();
  private volatile boolean defaultGuestAgent = true;
  private volatile @Nullable Duration agentDelay;
  private final String launcherImage;

  private FakeVirtController(Builder b) {
    this.latencies = b.latencies;
    this.faults = b.faults;
    this.launcherImage = b.launcherImage;
    this.controller = new VirtController(b.client, b.namespaces);
  }

  /**
   * A builder of a controller for the client's cluster.
   *
   * @param client the client it reads and writes with
   * @return the builder
   */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** Settings of a {@link FakeVirtController}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Latencies latencies = new Latencies(Duration.ofMillis(20));
    private Faults faults = new Faults();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private String launcherImage = FakeKubelet.VIRT_LAUNCHER_IMAGE;

    private Builder(KubernetesClient client) {
      this.client = requireNonNull(client, "client");
    }

    /**
     * Shares latencies with the other simulators.
     *
     * @param latencies the latencies
     * @return this builder
     */
    public Builder latencies(Latencies latencies) {
      this.latencies = requireNonNull(latencies, "latencies");
      return this;
    }

    /**
     * Shares faults with the other simulators.
     *
     * @param faults the faults
     * @return this builder
     */
    public Builder faults(Faults faults) {
      this.faults = requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Watches only these namespaces (default: all).
     *
     * @param namespaces the namespaces
     * @return this builder
     */
    public Builder namespaces(String... namespaces) {
      this.namespaces.addAll(List.of(namespaces));
      return this;
    }

    /**
     * The image of the launcher pods' {@code compute} container (default {@value
     * FakeKubelet#VIRT_LAUNCHER_IMAGE}); the kubelet must know it.
     *
     * @param image the image
     * @return this builder
     */
    public Builder launcherImage(String image) {
      this.launcherImage = requireNonNull(image, "image");
      return this;
    }

    /**
     * Starts watching and returns once the caches are filled.
     *
     * @return the running controller
     */
    public FakeVirtController start() {
      FakeVirtController c = new FakeVirtController(this);
      c.controller.start();
      return c;
    }
  }

  /**
   * Whether VMs of a workload have a guest agent (default: yes).
   *
   * @param workload the workload's name (the {@value Faults#WORKLOAD_LABEL} template label)
   * @param present whether the image runs qemu-guest-agent
   * @return this controller
   */
  public FakeVirtController guestAgent(String workload, boolean present) {
    guestAgents.put(requireNonNull(workload, "workload"), present);
    return this;
  }

  /**
   * Whether VMs have a guest agent unless set per workload (default: yes).
   *
   * @param present whether they do
   * @return this controller
   */
  public FakeVirtController defaultGuestAgent(boolean present) {
    this.defaultGuestAgent = present;
    return this;
  }

  /**
   * How long after Running a guest agent connects (default: one step's latency).
   *
   * @param delay the delay
   * @return this controller
   */
  public FakeVirtController agentDelay(Duration delay) {
    this.agentDelay = requireNonNull(delay, "delay");
    return this;
  }

  /**
   * Whether the VMI of this name currently reports a connected guest agent (for exec probes of type
   * {@code guestAgentPing}).
   *
   * @param namespace the namespace
   * @param name the VMI's name
   * @return whether {@code AgentConnected=True}
   */
  public boolean agentConnected(String namespace, String name) {
    GenericKubernetesResource vmi = controller.vmis.get(namespace, name);
    return vmi != null
        && Conditions.isTrue(
            Json.maps(vmi.getAdditionalProperties(), "status", "conditions"), "AgentConnected");
  }

  /** Stops watching; objects keep their last state. */
  @Override
  public void close() {
    controller.close();
  }

  @Override
  public String toString() {
    return "FakeVirtController{" + latencies.step() + "}";
  }

  private boolean hasAgent(@Nullable String workload) {
    Boolean b = workload == null ? null : guestAgents.get(workload);
    return b != null ? b : defaultGuestAgent;
  }

  // ------------------------------------------------------------------ the controller

  private final class VirtController extends Controller {
    final Cache<GenericKubernetesResource> vms = new Cache<>();
    final Cache<GenericKubernetesResource> vmis = new Cache<>();
    final Cache<GenericKubernetesResource> dvs = new Cache<>();
    final Cache<Pod> pods = new Cache<>();
    final Cache<PersistentVolumeClaim> claims = new Cache<>();
    private final Set<String> namespaces;
    private final Map<String, String> lastUid = new ConcurrentHashMap<>();
    private final Set<String> ranOnce = ConcurrentHashMap.newKeySet();

    VirtController(KubernetesClient client, Set<String> namespaces) {
      super("virt-controller", client, 4);
      this.namespaces = Set.copyOf(namespaces);
    }

    @Override
    protected void startInformers() {
      List<String> scopes =
          namespaces.isEmpty()
              ? java.util.Collections.singletonList(null)
              : List.copyOf(namespaces);
      for (String ns : scopes) {
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE).inNamespace(ns),
            vms,
            vm -> List.of(key("vm", vm)));
        inform(
            ns == null
                ? client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE).inAnyNamespace()
                : client.genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE).inNamespace(ns),
            vmis,
            vmi -> List.of(key("vmi", vmi), key("vm", vmi)));
        inform(
            ns == null
                ? client
                    .pods()
                    .inAnyNamespace()
                    .withLabel(
                        KubeVirtResources.LAUNCHER_LABEL, KubeVirtResources.LAUNCHER_LABEL_VALUE)
                : client
                    .pods()
                    .inNamespace(ns)
                    .withLabel(
                        KubeVirtResources.LAUNCHER_LABEL, KubeVirtResources.LAUNCHER_LABEL_VALUE),
            pods,
            this::launcherKeys);
        inform(
            ns == null
                ? client.genericKubernetesResources(DATA_VOLUME).inAnyNamespace()
                : client.genericKubernetesResources(DATA_VOLUME).inNamespace(ns),
            dvs,
            dv -> vmsUsing(dv.getMetadata().getNamespace(), dv.getMetadata().getName()));
        inform(
            ns == null
                ? client.persistentVolumeClaims().inAnyNamespace()
                : client.persistentVolumeClaims().inNamespace(ns),
            claims,
            pvc -> vmsUsing(pvc.getMetadata().getNamespace(), pvc.getMetadata().getName()));
      }
    }

    private Collection<String> launcherKeys(Pod pod) {
      String vmi = labels(pod).get(KubeVirtResources.VM_NAME_LABEL);
      return vmi == null ? List.of() : List.of(key("vmi", pod.getMetadata().getNamespace(), vmi));
    }

    /** VMs of the namespace whose volumes or DataVolume templates name the claim or DataVolume. */
    private Collection<String> vmsUsing(String ns, String claimOrDv) {
      List<String> keys = new ArrayList<>();
      for (GenericKubernetesResource vm : vms.list(ns)) {
        if (volumeClaims(vm).contains(claimOrDv)) {
          keys.add(key("vm", vm));
        }
      }
      return keys;
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      if (k[0].equals("vm")) {
        reconcileVm(key, k[1], k[2]);
      } else {
        reconcileVmi(key, k[1], k[2]);
      }
    }

    // ---------------------------------------------------------------- VirtualMachine

    private void reconcileVm(String key, String ns, String name) {
      GenericKubernetesResource vm = vms.get(ns, name);
      if (vm == null) {
        String uid = lastUid.remove(key);
        if (uid != null) {
          collectGarbage(ns, "VirtualMachine", uid, name);
        }
        forget(key);
        return;
      }
      String uid = vm.getMetadata().getUid();
      lastUid.put(key, uid);
      GenericKubernetesResource vmi = vmis.get(ns, name);
      if (vmi != null) {
        forget(key); // the VMI is in the cache: a later start may create the next one
      }
      if (deleting(vm)) {
        terminate(vm, vmi);
        return;
      }
      if (!finalizers(vm).contains(KubeVirtResources.CONTROLLER_FINALIZER)) {
        Gkr.addFinalizers(
            client, VIRTUAL_MACHINE, vm, List.of(KubeVirtResources.CONTROLLER_FINALIZER));
        return; // the change's event brings the next pass
      }
      ensureDataVolumes(vm);
      String strategy = runStrategy(vm);
      Volumes volumes = volumes(vm);
      String workload = workload(vm);
      Duration latency = latencies.of(workload);
      Map<String, Object> startFailure = Json.copy(Json.map(status(vm), "startFailure"));
      boolean vmiFinal = vmi != null && isFinal(vmi);
      String vmiPhase =
          vmi == null ? "" : Json.strOr(vmi.getAdditionalProperties(), "", "status", "phase");

      boolean wantRunning;
      switch (strategy) {
        case "Always", "RerunOnFailure" -> wantRunning = true;
        case "Once" -> wantRunning = !ranOnce.contains(uid) || (vmi != null && !vmiFinal);
        case "Manual" -> wantRunning = vmi != null && !vmiFinal;
        default -> wantRunning = false;
      }
      if (vmi != null && vmiPhase.equals("Running") && !startFailure.isEmpty()) {
        startFailure = Map.of(); // it runs again: the failure streak is over
      }
      if (!wantRunning) {
        if (vmi != null
            && !deleting(vmi)
            && !strategy.equals("Manual")
            && !strategy.equals("Once")) {
          deleteVmi(vmi);
        }
      } else if (vmi == null) {
        Instant retryAfter = instant(Json.str(startFailure, "retryAfterTimestamp"));
        if (!volumes.dataVolumesReady()) {
          // Provisioning: the VMI waits for its DataVolumes
        } else if (retryAfter != null && Instant.now().isBefore(retryAfter)) {
          enqueueAfter(key, Duration.between(Instant.now(), retryAfter).plusMillis(5));
        } else if (due(key, uid, "create-vmi", latency)) {
          vmi = createVmi(vm);
          done(key, uid, "create-vmi");
          if (strategy.equals("Once")) {
            ranOnce.add(uid);
          }
        } else {
          // The VMI comes within a step. A real controller writes status in the same sync that
          // creates it (Starting), so never report the start as observed-but-Stopped meanwhile.
          return;
        }
      } else if (vmiFinal && !deleting(vmi)) {
        boolean failed = vmiPhase.equals("Failed");
        boolean restart =
            strategy.equals("Always") || (strategy.equals("RerunOnFailure") && failed);
        if (restart) {
          if (failed) {
            startFailure = nextStartFailure(startFailure, vmi, latency);
          }
          deleteVmi(vmi);
        }
      }
      writeVmStatus(vm, vmi, strategy, volumes, startFailure);
    }

    private Map<String, Object> nextStartFailure(
        Map<String, Object> previous, GenericKubernetesResource vmi, Duration latency) {
      String failedUid = vmi.getMetadata().getUid();
      if (failedUid.equals(Json.str(previous, "lastFailedVMIUID"))) {
        return previous;
      }
      Object n = previous.get("consecutiveFailCount");
      int count = (n instanceof Number num ? num.intValue() : 0) + 1;
      // KubeVirt backs off 10s, 20s, ... up to 5 minutes; scaled here to the step latency
      long millis = Math.max(10, latency.toMillis()) * 5L << Math.min(count - 1, 6);
      return Json.obj(
          "consecutiveFailCount",
          count,
          "lastFailedVMIUID",
          failedUid,
          "retryAfterTimestamp",
          Instant.now()
              .plusMillis(millis)
              .truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
              .toString());
    }

    private void terminate(GenericKubernetesResource vm, @Nullable GenericKubernetesResource vmi) {
      Volumes volumes = volumes(vm);
      writeVmStatus(vm, vmi, runStrategy(vm), volumes, Json.map(status(vm), "startFailure"));
      if (vmi != null) {
        if (!deleting(vmi)) {
          deleteVmi(vmi);
        }
        return; // the VMI's deletion brings the next pass
      }
      Gkr.removeFinalizers(
          client, VIRTUAL_MACHINE, vm, List.of(KubeVirtResources.CONTROLLER_FINALIZER));
    }

    private void deleteVmi(GenericKubernetesResource vmi) {
      try {
        client
            .genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE)
            .inNamespace(vmi.getMetadata().getNamespace())
            .withName(vmi.getMetadata().getName())
            .delete();
      } catch (RuntimeException e) {
        if (!isStatus(e, 404)) {
          throw e;
        }
      }
    }

    /** What the garbage collector would delete once an owner is gone (the mock has none). */
    private void collectGarbage(String ns, String ownerKind, String ownerUid, String ownerName) {
      if (ownerKind.equals("VirtualMachine")) {
        for (GenericKubernetesResource dv : dvs.list(ns)) {
          if (Gkr.ownedBy(dv, ownerKind, ownerUid, ownerName)) {
            deleteQuietly(DATA_VOLUME, dv);
          }
        }
        GenericKubernetesResource vmi = vmis.get(ns, ownerName);
        if (vmi != null && Gkr.ownedBy(vmi, ownerKind, ownerUid, ownerName) && !deleting(vmi)) {
          deleteQuietly(VIRTUAL_MACHINE_INSTANCE, vmi);
        }
      } else {
        for (Pod p : pods.list(ns)) {
          if (Gkr.ownedBy(p, ownerKind, ownerUid, ownerName) && !deleting(p)) {
            try {
              client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
            } catch (RuntimeException e) {
              if (!isStatus(e, 404)) {
                throw e;
              }
            }
          }
        }
      }
    }

    private void deleteQuietly(ResourceDefinitionContext ctx, HasMetadata o) {
      try {
        client
            .genericKubernetesResources(ctx)
            .inNamespace(o.getMetadata().getNamespace())
            .withName(o.getMetadata().getName())
            .delete();
      } catch (RuntimeException e) {
        if (!isStatus(e, 404)) {
          throw e;
        }
      }
    }

    private void ensureDataVolumes(GenericKubernetesResource vm) {
      String ns = vm.getMetadata().getNamespace();
      for (Map<String, Object> t :
          Json.maps(vm.getAdditionalProperties(), "spec", "dataVolumeTemplates")) {
        String dvName = Json.str(t, "metadata", "name");
        if (dvName == null || dvs.get(ns, dvName) != null) {
          continue;
        }
        GenericKubernetesResource dv = new GenericKubernetesResource();
        dv.setApiVersion(KubeVirtResources.apiVersion(DATA_VOLUME));
        dv.setKind("DataVolume");
        dv.setMetadata(
            new ObjectMetaBuilder()
                .withName(dvName)
                .withNamespace(ns)
                .withLabels(Json.stringMap(t, "metadata", "labels"))
                .withAnnotations(Json.stringMap(t, "metadata", "annotations"))
                .withOwnerReferences(Gkr.controllerRef(vm))
                .build());
        dv.setAdditionalProperty("spec", Json.copy(Json.map(t, "spec")));
        try {
          GenericKubernetesResource created =
              client.genericKubernetesResources(DATA_VOLUME).inNamespace(ns).resource(dv).create();
          Gkr.checkNotPruned("DataVolume " + dvName + " spec", spec(dv), spec(created));
        } catch (RuntimeException e) {
          if (!isStatus(e, 409)) {
            throw e;
          }
        }
      }
    }

    private GenericKubernetesResource createVmi(GenericKubernetesResource vm) {
      String ns = vm.getMetadata().getNamespace();
      Map<String, Object> template = Json.map(vm.getAdditionalProperties(), "spec", "template");
      GenericKubernetesResource vmi = new GenericKubernetesResource();
      vmi.setApiVersion(KubeVirtResources.apiVersion(VIRTUAL_MACHINE_INSTANCE));
      vmi.setKind("VirtualMachineInstance");
      Map<String, String> annotations =
          new LinkedHashMap<>(Json.stringMap(template, "metadata", "annotations"));
      annotations.put("kubevirt.io/latest-observed-api-version", "v1");
      annotations.put("kubevirt.io/storage-observed-api-version", "v1");
      vmi.setMetadata(
          new ObjectMetaBuilder()
              .withName(vm.getMetadata().getName())
              .withNamespace(ns)
              .withLabels(Json.stringMap(template, "metadata", "labels"))
              .withAnnotations(annotations)
              .withOwnerReferences(Gkr.controllerRef(vm))
              .withFinalizers(
                  KubeVirtResources.FOREGROUND_DELETE_FINALIZER,
                  KubeVirtResources.CONTROLLER_FINALIZER)
              .build());
      vmi.setAdditionalProperty("spec", Json.copy(Json.map(template, "spec")));
      try {
        GenericKubernetesResource created =
            client
                .genericKubernetesResources(VIRTUAL_MACHINE_INSTANCE)
                .inNamespace(ns)
                .resource(vmi)
                .create();
        Gkr.checkNotPruned(
            "VirtualMachineInstance " + vmi.getMetadata().getName() + " spec",
            spec(vmi),
            spec(created));
        return created;
      } catch (RuntimeException e) {
        if (isStatus(e, 409)) {
          GenericKubernetesResource existing = vmis.get(ns, vm.getMetadata().getName());
          if (existing != null) {
            return existing;
          }
        }
        throw e;
      }
    }

    private void writeVmStatus(
        GenericKubernetesResource vm,
        @Nullable GenericKubernetesResource vmi,
        String strategy,
        Volumes volumes,
        Map<String, Object> startFailure) {
      Map<String, Object> old = status(vm);
      List<Map<String, Object>> vmiConditions =
          vmi == null
              ? List.of()
              : Json.maps(vmi.getAdditionalProperties(), "status", "conditions");
      boolean vmiFinal = vmi != null && isFinal(vmi);
      String vmiPhase =
          vmi == null ? "" : Json.strOr(vmi.getAdditionalProperties(), "", "status", "phase");
      Optional<Map<String, Object>> sync = Conditions.find(vmiConditions, "Synchronized");
      String syncReason =
          sync.filter(c -> "False".equals(c.get("status")))
              .map(c -> Json.strOr(c, "", "reason"))
              .orElse("");
      boolean unschedulable =
          Conditions.find(vmiConditions, "PodScheduled")
              .map(c -> "False".equals(c.get("status")) && "Unschedulable".equals(c.get("reason")))
              .orElse(false);
      boolean paused = Conditions.isTrue(vmiConditions, "Paused");
      Instant retryAfter = instant(Json.str(startFailure, "retryAfterTimestamp"));
      boolean crashLoop = retryAfter != null && Instant.now().isBefore(retryAfter);
      String printable =
          PrintableStatus.of(
              new PrintableStatus.Facts(
                  deleting(vm),
                  vmi != null,
                  vmiFinal,
                  vmi != null && deleting(vmi),
                  strategy.equals("Halted"),
                  vmiPhase,
                  paused,
                  volumes.notFound(),
                  volumes.dataVolumeError(),
                  unschedulable,
                  volumes.provisioning(),
                  volumes.waitingForBinding(),
                  syncReason,
                  crashLoop));
      List<Map<String, Object>> wanted = new ArrayList<>();
      if (vmi == null) {
        wanted.add(Conditions.of("Ready", false, "VMINotExists", "VMI does not exist"));
      } else {
        Optional<Map<String, Object>> ready = Conditions.find(vmiConditions, "Ready");
        if (ready.isEmpty()) {
          wanted.add(
              Conditions.of(
                  "Ready", false, "VMIConditionMissing", "VMI does not have a Ready condition"));
        }
        for (Map<String, Object> c : vmiConditions) {
          Map<String, Object> copy = Json.copy(c);
          copy.remove("lastTransitionTime");
          copy.remove("lastProbeTime");
          wanted.add(copy);
        }
      }
      Map<String, Object> st = new LinkedHashMap<>();
      st.put("printableStatus", printable);
      st.put("runStrategy", strategy);
      if (vmi != null) {
        st.put("created", true);
      }
      boolean ready = vmi != null && !vmiFinal && Conditions.isTrue(vmiConditions, "Ready");
      if (ready) {
        st.put("ready", true);
      }
      st.put(
          "conditions",
          Conditions.merge(Json.maps(old, "conditions"), wanted, now(), "lastTransitionTime"));
      if (!startFailure.isEmpty()) {
        st.put("startFailure", startFailure);
      }
      Object generation = vm.getMetadata().getGeneration();
      if (generation != null) {
        st.put("observedGeneration", generation);
        st.put("desiredGeneration", generation);
      }
      for (String keep :
          List.of("volumeSnapshotStatuses", "snapshotInProgress", "restoreInProgress")) {
        if (old.containsKey(keep)) {
          st.put(keep, old.get(keep));
        }
      }
      Gkr.writeStatus(client, VIRTUAL_MACHINE, vm, st);
    }

    // ---------------------------------------------------------------- volumes of a VM

    private record Volumes(
        boolean notFound,
        boolean dataVolumeError,
        boolean provisioning,
        boolean waitingForBinding,
        boolean dataVolumesReady) {}

    private Volumes volumes(GenericKubernetesResource vm) {
      String ns = vm.getMetadata().getNamespace();
      boolean notFound = false;
      boolean error = false;
      boolean provisioning = false;
      boolean binding = false;
      boolean dvReady = true;
      Set<String> templated = new LinkedHashSet<>();
      for (Map<String, Object> t :
          Json.maps(vm.getAdditionalProperties(), "spec", "dataVolumeTemplates")) {
        String n = Json.str(t, "metadata", "name");
        if (n != null) {
          templated.add(n);
        }
      }
      for (Map<String, Object> v :
          Json.maps(vm.getAdditionalProperties(), "spec", "template", "spec", "volumes")) {
        String dvName = Json.str(v, "dataVolume", "name");
        String claim = Json.str(v, "persistentVolumeClaim", "claimName");
        if (dvName != null) {
          GenericKubernetesResource dv = dvs.get(ns, dvName);
          if (dv == null) {
            if (templated.contains(dvName)) {
              provisioning = true;
            } else {
              notFound = true;
            }
            dvReady = false;
            continue;
          }
          String phase = Json.strOr(dv.getAdditionalProperties(), "", "status", "phase");
          boolean runningError =
              Conditions.find(
                      Json.maps(dv.getAdditionalProperties(), "status", "conditions"), "Running")
                  .map(c -> "False".equals(c.get("status")) && "Error".equals(c.get("reason")))
                  .orElse(false);
          if (phase.equals("Failed") || runningError) {
            error = true;
            dvReady = false;
          } else if (!phase.equals("Succeeded")) {
            provisioning = true;
            dvReady = false;
          }
        } else if (claim != null) {
          PersistentVolumeClaim pvc = claims.get(ns, claim);
          if (pvc == null) {
            notFound = true;
          } else if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
            binding = true;
          }
        }
      }
      return new Volumes(notFound, error, provisioning, binding, dvReady);
    }

    private Set<String> volumeClaims(GenericKubernetesResource vm) {
      Set<String> out = new LinkedHashSet<>();
      for (Map<String, Object> v :
          Json.maps(vm.getAdditionalProperties(), "spec", "template", "spec", "volumes")) {
        String dv = Json.str(v, "dataVolume", "name");
        String claim = Json.str(v, "persistentVolumeClaim", "claimName");
        if (dv != null) {
          out.add(dv);
        }
        if (claim != null) {
          out.add(claim);
        }
      }
      return out;
    }

    // ---------------------------------------------------------------- VirtualMachineInstance

    private void reconcileVmi(String key, String ns, String name) {
      GenericKubernetesResource vmi = vmis.get(ns, name);
      if (vmi == null) {
        String uid = lastUid.remove(key);
        if (uid != null) {
          collectGarbage(ns, "VirtualMachineInstance", uid, name);
        }
        forget(key);
        return;
      }
      String uid = vmi.getMetadata().getUid();
      lastUid.put(key, uid);
      List<Pod> launchers = launchers(vmi);
      if (deleting(vmi)) {
        boolean gone = true;
        for (Pod p : launchers) {
          gone = false;
          if (!deleting(p)) {
            try {
              client.pods().inNamespace(ns).withName(p.getMetadata().getName()).delete();
            } catch (RuntimeException e) {
              if (!isStatus(e, 404)) {
                throw e;
              }
            }
          }
        }
        if (gone) {
          Gkr.removeFinalizers(
              client,
              VIRTUAL_MACHINE_INSTANCE,
              vmi,
              List.of(
                  KubeVirtResources.FOREGROUND_DELETE_FINALIZER,
                  KubeVirtResources.CONTROLLER_FINALIZER));
        }
        return;
      }
      if (!finalizers(vmi).contains(KubeVirtResources.CONTROLLER_FINALIZER)) {
        Gkr.addFinalizers(
            client,
            VIRTUAL_MACHINE_INSTANCE,
            vmi,
            List.of(
                KubeVirtResources.FOREGROUND_DELETE_FINALIZER,
                KubeVirtResources.CONTROLLER_FINALIZER));
        return;
      }
      if (isFinal(vmi)) {
        return;
      }
      String workload = labels(vmi).get(Faults.WORKLOAD_LABEL);
      Duration latency = latencies.of(workload);
      Map<String, Object> status = Json.copy(status(vmi));
      String phase = Json.strOr(status, "", "phase");
      Pod pod = launchers.isEmpty() ? null : launchers.get(0);
      switch (phase) {
        case "" -> {
          if (due(key, uid, "Pending", latency)) {
            status.put("phase", "Pending");
            appendTransition(status, "Pending");
            status.put("guestOSInfo", Map.of());
            status.put("qosClass", "Burstable");
            setConditions(
                status,
                List.of(
                    Conditions.of(
                        "Ready",
                        false,
                        "PodNotExists",
                        "virt-launcher pod has not yet been scheduled")));
            Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
            done(key, uid, "Pending");
          }
        }
        case "Pending" -> {
          if (pod == null) {
            if (due(key, uid, "Scheduling", latency)) {
              createLauncher(vmi);
              status.put("phase", "Scheduling");
              appendTransition(status, "Scheduling");
              setConditions(
                  status,
                  List.of(
                      Conditions.of(
                          "Ready",
                          false,
                          "PodConditionMissing",
                          "virt-launcher pod is not ready")));
              Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
              done(key, uid, "Scheduling");
            }
          } else {
            // a pod from an earlier pass whose status write was lost
            status.put("phase", "Scheduling");
            appendTransition(status, "Scheduling");
            Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
          }
        }
        case "Scheduling" -> scheduling(key, vmi, status, pod, latency);
        case "Scheduled" -> scheduled(key, vmi, status, pod, latency, workload);
        case "Running" -> running(key, vmi, status, pod, latency, workload);
        default -> {
          // Unknown or WaitingForSync: nothing to do
        }
      }
    }

    private void scheduling(
        String key,
        GenericKubernetesResource vmi,
        Map<String, Object> status,
        @Nullable Pod pod,
        Duration latency) {
      String uid = vmi.getMetadata().getUid();
      if (pod == null) {
        // just created: the pod informer has not seen it yet; its event brings the next pass
        return;
      }
      if (podFailed(pod)) {
        fail(vmi, status, "GuestNotRunning", "virt-launcher pod failed");
        return;
      }
      List<Map<String, Object>> conds = new ArrayList<>();
      Optional<PodCondition> scheduled = podCondition(pod, "PodScheduled");
      if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
        conds.add(
            Conditions.of(
                "PodScheduled", false, scheduled.get().getReason(), scheduled.get().getMessage()));
      }
      for (ContainerStatus cs :
          pod.getStatus() == null
              ? List.<ContainerStatus>of()
              : pod.getStatus().getContainerStatuses()) {
        String reason =
            cs.getState() != null && cs.getState().getWaiting() != null
                ? cs.getState().getWaiting().getReason()
                : null;
        if (reason != null && !reason.equals("ContainerCreating")) {
          conds.add(
              Conditions.of(
                  "Synchronized", false, reason, cs.getState().getWaiting().getMessage()));
          break;
        }
      }
      boolean podRunning = podRunning(pod);
      if (podRunning) {
        if (!due(key, uid, "Scheduled", latency)) {
          return;
        }
        String node = pod.getSpec().getNodeName();
        if (!node.equals(labels(vmi).get(KubeVirtResources.NODE_NAME_LABEL))) {
          vmi =
              Gkr.jsonPatch(
                  client,
                  VIRTUAL_MACHINE_INSTANCE,
                  vmi.getMetadata().getNamespace(),
                  vmi.getMetadata().getName(),
                  List.of(
                      vmi.getMetadata().getLabels() == null
                          ? op(
                              "add",
                              "/metadata/labels",
                              Map.of(KubeVirtResources.NODE_NAME_LABEL, node))
                          : op(
                              "add",
                              "/metadata/labels/" + pointer(KubeVirtResources.NODE_NAME_LABEL),
                              node)));
        }
        status.put("phase", "Scheduled");
        status.put("nodeName", node);
        status.put("activePods", Map.of(pod.getMetadata().getUid(), node));
        appendTransition(status, "Scheduled");
        setConditions(
            status,
            List.of(
                Conditions.of(
                    "Ready", false, "GuestNotRunning", "Guest VM is not reported as running")));
        Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
        done(key, uid, "Scheduled");
        return;
      }
      List<Map<String, Object>> all = new ArrayList<>();
      all.add(readyBeforeRunning(pod));
      all.addAll(conds);
      setConditions(status, all);
      Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
    }

    private Map<String, Object> readyBeforeRunning(Pod pod) {
      return podCondition(pod, "Ready").isEmpty()
          ? Conditions.of("Ready", false, "PodConditionMissing", "virt-launcher pod is not ready")
          : Conditions.of("Ready", false, "GuestNotRunning", "Guest VM is not reported as running");
    }

    private void scheduled(
        String key,
        GenericKubernetesResource vmi,
        Map<String, Object> status,
        @Nullable Pod pod,
        Duration latency,
        @Nullable String workload) {
      String uid = vmi.getMetadata().getUid();
      if (pod == null || podFailed(pod)) {
        fail(
            vmi,
            status,
            "GuestNotRunning",
            "virt-launcher pod " + (pod == null ? "disappeared" : "failed"));
        return;
      }
      if (!due(key, uid, "Running", latency)) {
        return;
      }
      status.put("phase", "Running");
      appendTransition(status, "Running");
      status.put("launcherContainerImageVersion", launcherImage);
      status.put(
          "interfaces",
          interfaces(vmi, pod, false, faults.at(workload, Stage.NETWORK).isPresent()));
      List<Map<String, Object>> conds = new ArrayList<>();
      conds.add(readyFromPod(pod));
      conds.add(liveMigratable(vmi));
      setConditions(status, conds);
      Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
      done(key, uid, "Running");
    }

    private void running(
        String key,
        GenericKubernetesResource vmi,
        Map<String, Object> status,
        @Nullable Pod pod,
        Duration latency,
        @Nullable String workload) {
      String uid = vmi.getMetadata().getUid();
      if (pod == null || podFailed(pod)) {
        fail(
            vmi,
            status,
            "GuestNotRunning",
            "virt-launcher pod " + (pod == null ? "disappeared" : "failed"));
        return;
      }
      List<Map<String, Object>> conds = new ArrayList<>(Json.maps(status, "conditions"));
      boolean agent = Conditions.isTrue(conds, "AgentConnected");
      boolean wantAgent = hasAgent(workload) && faults.at(workload, Stage.GUEST).isEmpty();
      List<Map<String, Object>> wanted = new ArrayList<>();
      wanted.add(readyFromPod(pod));
      for (Map<String, Object> c : conds) {
        if (!"Ready".equals(c.get("type"))) {
          Map<String, Object> copy = Json.copy(c);
          copy.remove("lastTransitionTime");
          copy.remove("lastProbeTime");
          wanted.add(copy);
        }
      }
      if (!agent && wantAgent) {
        Duration delay = agentDelay;
        if (!due(key, uid, "AgentConnected", delay != null ? delay : latency)) {
          setConditions(status, wanted);
          Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
          return;
        }
        wanted.add(Conditions.of("AgentConnected", true, null, null));
        status.put("guestOSInfo", GuestOsInfo.of(bootSource(vmi)));
        status.put(
            "interfaces",
            interfaces(vmi, pod, true, faults.at(workload, Stage.NETWORK).isPresent()));
        done(key, uid, "AgentConnected");
      }
      setConditions(status, wanted);
      Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
    }

    private void fail(
        GenericKubernetesResource vmi, Map<String, Object> status, String reason, String message) {
      status.put("phase", "Failed");
      appendTransition(status, "Failed");
      List<Map<String, Object>> wanted = new ArrayList<>();
      wanted.add(Conditions.of("Ready", false, reason, message));
      for (Map<String, Object> c : Json.maps(status, "conditions")) {
        if (!"Ready".equals(c.get("type")) && !"AgentConnected".equals(c.get("type"))) {
          Map<String, Object> copy = Json.copy(c);
          copy.remove("lastTransitionTime");
          wanted.add(copy);
        }
      }
      setConditions(status, wanted);
      Gkr.writeStatus(client, VIRTUAL_MACHINE_INSTANCE, vmi, status);
    }

    private Map<String, Object> readyFromPod(Pod pod) {
      Optional<PodCondition> ready = podCondition(pod, "Ready");
      if (ready.isEmpty()) {
        return Conditions.of(
            "Ready", false, "PodConditionMissing", "virt-launcher pod is not ready");
      }
      boolean isReady = "True".equals(ready.get().getStatus());
      return isReady
          ? Conditions.of("Ready", true, null, null)
          : Conditions.of("Ready", false, ready.get().getReason(), ready.get().getMessage());
    }

    private Map<String, Object> liveMigratable(GenericKubernetesResource vmi) {
      String ns = vmi.getMetadata().getNamespace();
      for (Map<String, Object> v : Json.maps(vmi.getAdditionalProperties(), "spec", "volumes")) {
        String claim = Json.str(v, "persistentVolumeClaim", "claimName");
        if (claim == null) {
          claim = Json.str(v, "dataVolume", "name");
        }
        if (claim == null) {
          continue;
        }
        PersistentVolumeClaim pvc = claims.get(ns, claim);
        List<String> modes =
            pvc == null || pvc.getStatus() == null ? List.of() : pvc.getStatus().getAccessModes();
        if (modes == null || !modes.contains("ReadWriteMany")) {
          return Conditions.of(
              "LiveMigratable",
              false,
              "DisksNotLiveMigratable",
              "cannot migrate VMI: PVC "
                  + claim
                  + " is not shared, live migration requires that all PVCs must be shared (using"
                  + " ReadWriteMany access mode)");
        }
      }
      return Conditions.of("LiveMigratable", true, null, null);
    }

    private List<Map<String, Object>> interfaces(
        GenericKubernetesResource vmi, Pod pod, boolean agent, boolean noNetwork) {
      Map<String, Object> spec = spec(vmi);
      List<Map<String, Object>> ifaces = Json.maps(spec, "domain", "devices", "interfaces");
      List<Map<String, Object>> networks = Json.maps(spec, "networks");
      if (ifaces.isEmpty()
          && !Boolean.FALSE.equals(
              Json.bool(spec, "domain", "devices", "autoattachPodInterface"))) {
        ifaces = List.of(Json.obj("name", "default", "masquerade", Map.of()));
        networks = List.of(Json.obj("name", "default", "pod", Map.of()));
      }
      String podIp = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      List<Map<String, Object>> out = new ArrayList<>();
      int index = 0;
      for (Map<String, Object> iface : ifaces) {
        String name = Json.strOr(iface, "", "name");
        Map<String, Object> network =
            networks.stream().filter(n -> name.equals(n.get("name"))).findFirst().orElse(Map.of());
        boolean podNetwork = network.containsKey("pod");
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", name);
        entry.put(
            "mac", Json.strOr(iface, mac(vmi.getMetadata().getUid() + "/" + name), "macAddress"));
        entry.put("queueCount", 1);
        entry.put("linkState", "up");
        String ip = null;
        if (!noNetwork) {
          if (podNetwork && podIp != null) {
            ip = podIp;
          } else if (!podNetwork && agent) {
            int h = Math.floorMod(Objects.hash(vmi.getMetadata().getUid(), name), 250);
            ip = "172.19." + (1 + index) + "." + (2 + h);
          }
        }
        if (ip != null) {
          entry.put("ipAddress", ip);
          entry.put("ipAddresses", List.of(ip));
        }
        List<String> sources = new ArrayList<>();
        sources.add("domain");
        if (agent) {
          sources.add("guest-agent");
          entry.put("interfaceName", "eth" + index);
        }
        if (!podNetwork) {
          sources.add("multus-status");
        }
        entry.put("infoSource", String.join(", ", sources));
        entry.put("podInterfaceName", podNetwork ? "eth0" : "pod" + sha(name).substring(0, 11));
        out.add(entry);
        index++;
      }
      return out;
    }

    /** What the VMI boots: a containerDisk image, or what its DataVolume was made from. */
    private String bootSource(GenericKubernetesResource vmi) {
      String image = bootImage(vmi);
      GenericKubernetesResource dv = dvs.get(vmi.getMetadata().getNamespace(), image);
      if (dv != null) {
        Map<String, Object> spec = spec(dv);
        for (String[] path :
            List.of(
                new String[] {"sourceRef", "name"},
                new String[] {"source", "pvc", "name"},
                new String[] {"source", "registry", "url"},
                new String[] {"source", "http", "url"})) {
          String s = Json.str(spec, path);
          if (s != null) {
            return s;
          }
        }
      }
      return image;
    }

    // ---------------------------------------------------------------- the launcher pod

    private List<Pod> launchers(GenericKubernetesResource vmi) {
      String uid = vmi.getMetadata().getUid();
      List<Pod> out = new ArrayList<>();
      for (Pod p : pods.list(vmi.getMetadata().getNamespace())) {
        if (uid.equals(labels(p).get(KubeVirtResources.CREATED_BY_LABEL))) {
          out.add(p);
        }
      }
      out.sort(
          java.util.Comparator.comparing(
              p ->
                  p.getMetadata().getCreationTimestamp() == null
                      ? ""
                      : p.getMetadata().getCreationTimestamp()));
      return out;
    }

    private void createLauncher(GenericKubernetesResource vmi) {
      String ns = vmi.getMetadata().getNamespace();
      String name = vmi.getMetadata().getName();
      Map<String, Object> spec = spec(vmi);
      Map<String, String> podLabels = new LinkedHashMap<>(labels(vmi));
      podLabels.put(KubeVirtResources.LAUNCHER_LABEL, KubeVirtResources.LAUNCHER_LABEL_VALUE);
      podLabels.put(KubeVirtResources.CREATED_BY_LABEL, vmi.getMetadata().getUid());
      podLabels.put(KubeVirtResources.VM_NAME_LABEL, name);
      podLabels.put(KubeVirtResources.VMI_ID_LABEL, vmiId(name));
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put(KubeVirtResources.DOMAIN_ANNOTATION, name);
      annotations.put("kubectl.kubernetes.io/default-container", "compute");
      ContainerBuilder compute =
          new ContainerBuilder()
              .withName("compute")
              .withImage(launcherImage)
              .withCommand(
                  "/usr/bin/virt-launcher-monitor",
                  "--qemu-timeout",
                  "240s",
                  "--name",
                  name,
                  "--uid",
                  vmi.getMetadata().getUid(),
                  "--namespace",
                  ns);
      for (Map<String, Object> iface : Json.maps(spec, "domain", "devices", "interfaces")) {
        for (Map<String, Object> port : Json.maps(iface, "ports")) {
          Object p = port.get("port");
          if (p instanceof Number n) {
            compute.addToPorts(
                new ContainerPortBuilder()
                    .withContainerPort(n.intValue())
                    .withName(Json.str(port, "name"))
                    .withProtocol(Json.strOr(port, "TCP", "protocol"))
                    .build());
          }
        }
      }
      Map<String, Object> probe = Json.map(spec, "readinessProbe");
      if (!probe.isEmpty()) {
        Map<String, Object> p = Json.copy(probe);
        if (p.remove("guestAgentPing") != null) {
          p.put("exec", Map.of("command", List.of("virt-probe", "--guest-agent-ping")));
        }
        compute.withReadinessProbe(
            client.getKubernetesSerialization().convertValue(p, Probe.class));
      }
      Map<String, Quantity> requests = new LinkedHashMap<>();
      Map<String, Object> vmRequests = Json.map(spec, "domain", "resources", "requests");
      String memory = Json.str(spec, "domain", "memory", "guest");
      if (vmRequests.get("memory") instanceof String m) {
        memory = m;
      }
      if (memory != null) {
        requests.put("memory", new Quantity(memory));
      }
      requests.put("cpu", new Quantity(vmRequests.get("cpu") instanceof String c ? c : "100m"));
      compute.withNewResources().withRequests(requests).endResources();
      PodBuilder pod =
          new PodBuilder()
              .withMetadata(
                  new ObjectMetaBuilder()
                      .withName("virt-launcher-" + name + "-" + suffix(vmi.getMetadata().getUid()))
                      .withNamespace(ns)
                      .withLabels(podLabels)
                      .withAnnotations(annotations)
                      .withOwnerReferences(Gkr.controllerRef(vmi))
                      .build())
              .withNewSpec()
              .withRestartPolicy("Never")
              .withAutomountServiceAccountToken(false)
              .withTerminationGracePeriodSeconds(
                  Json.at(spec, "terminationGracePeriodSeconds") instanceof Number n
                      ? n.longValue() + 15
                      : 45L)
              .addToContainers(compute.build())
              .endSpec();
      List<Volume> volumes = new ArrayList<>();
      for (Map<String, Object> v : Json.maps(spec, "volumes")) {
        String vname = Json.strOr(v, "", "name");
        String image = Json.str(v, "containerDisk", "image");
        if (image != null) {
          pod.editSpec()
              .addNewContainer()
              .withName("volume" + vname)
              .withImage(image)
              .withCommand(
                  "/usr/bin/container-disk",
                  "--copy-path",
                  "/var/run/kubevirt-ephemeral-disks/container-disk-data/" + vname)
              .endContainer()
              .endSpec();
        }
        String claim = Json.str(v, "persistentVolumeClaim", "claimName");
        if (claim == null) {
          claim = Json.str(v, "dataVolume", "name");
        }
        if (claim != null) {
          volumes.add(
              new VolumeBuilder()
                  .withName(vname)
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claim)
                  .endPersistentVolumeClaim()
                  .build());
        }
        for (String source : List.of("cloudInitNoCloud", "cloudInitConfigDrive")) {
          String secret = Json.str(v, source, "secretRef", "name");
          if (secret != null) {
            volumes.add(secretVolume(vname + "-udata", secret));
          }
          String networkSecret = Json.str(v, source, "networkDataSecretRef", "name");
          if (networkSecret != null) {
            volumes.add(secretVolume(vname + "-ndata", networkSecret));
          }
        }
        String sysprepSecret = Json.str(v, "sysprep", "secret", "name");
        if (sysprepSecret != null) {
          volumes.add(secretVolume(vname, sysprepSecret));
        }
        String sysprepConfigMap = Json.str(v, "sysprep", "configMap", "name");
        if (sysprepConfigMap != null) {
          volumes.add(
              new VolumeBuilder()
                  .withName(vname)
                  .withNewConfigMap()
                  .withName(sysprepConfigMap)
                  .endConfigMap()
                  .build());
        }
        String secret = Json.str(v, "secret", "secretName");
        if (secret != null) {
          volumes.add(secretVolume(vname, secret));
        }
        String configMap = Json.str(v, "configMap", "name");
        if (configMap != null) {
          volumes.add(
              new VolumeBuilder()
                  .withName(vname)
                  .withNewConfigMap()
                  .withName(configMap)
                  .endConfigMap()
                  .build());
        }
      }
      Pod built = pod.build();
      built.getSpec().setVolumes(volumes);
      try {
        client.pods().inNamespace(ns).resource(built).create();
      } catch (RuntimeException e) {
        if (!isStatus(e, 409)) {
          throw e;
        }
      }
    }

    private Volume secretVolume(String name, String secret) {
      return new VolumeBuilder()
          .withName(name)
          .withNewSecret()
          .withSecretName(secret)
          .endSecret()
          .build();
    }

    // ---------------------------------------------------------------- helpers

    private void setConditions(Map<String, Object> status, List<Map<String, Object>> wanted) {
      status.put(
          "conditions",
          Conditions.merge(Json.maps(status, "conditions"), wanted, now(), "lastTransitionTime"));
    }
  }

  // ------------------------------------------------------------------ static helpers

  static String runStrategy(GenericKubernetesResource vm) {
    Map<String, Object> spec = spec(vm);
    String s = Json.str(spec, "runStrategy");
    if (s != null) {
      return s;
    }
    Boolean running = Json.bool(spec, "running");
    return Boolean.TRUE.equals(running) ? "Always" : "Halted";
  }

  static @Nullable String workload(GenericKubernetesResource vm) {
    return Json.str(
        vm.getAdditionalProperties(),
        "spec",
        "template",
        "metadata",
        "labels",
        Faults.WORKLOAD_LABEL);
  }

  static boolean isFinal(GenericKubernetesResource vmi) {
    String phase = Json.strOr(vmi.getAdditionalProperties(), "", "status", "phase");
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  /** The image or source a VMI boots from, for the guest OS it reports. */
  static String bootImage(GenericKubernetesResource vmi) {
    for (Map<String, Object> v : Json.maps(vmi.getAdditionalProperties(), "spec", "volumes")) {
      String image = Json.str(v, "containerDisk", "image");
      if (image != null) {
        return image;
      }
      String dv = Json.str(v, "dataVolume", "name");
      if (dv != null) {
        return dv;
      }
      String claim = Json.str(v, "persistentVolumeClaim", "claimName");
      if (claim != null) {
        return claim;
      }
    }
    return vmi.getMetadata().getName();
  }

  private static void appendTransition(Map<String, Object> status, String phase) {
    List<Map<String, Object>> list =
        new ArrayList<>(Json.maps(status, "phaseTransitionTimestamps"));
    if (list.stream().anyMatch(t -> phase.equals(t.get("phase")))) {
      return;
    }
    list.add(Json.obj("phase", phase, "phaseTransitionTimestamp", Controller.now()));
    status.put("phaseTransitionTimestamps", list);
  }

  private static Optional<PodCondition> podCondition(Pod pod, String type) {
    return pod.getStatus() == null
        ? Optional.empty()
        : pod.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()))
            .findFirst();
  }

  private static boolean podRunning(Pod pod) {
    return pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(
                s ->
                    "compute".equals(s.getName())
                        && s.getState() != null
                        && s.getState().getRunning() != null);
  }

  private static boolean podFailed(Pod pod) {
    return pod.getStatus() != null && "Failed".equals(pod.getStatus().getPhase());
  }

  private static @Nullable Instant instant(@Nullable String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** KubeVirt's {@code vmi.kubevirt.io/id}: the name, or a truncated name plus hash if too long. */
  static String vmiId(String name) {
    if (name.length() <= 63) {
      return name;
    }
    return name.substring(0, 52) + "-" + sha(name).substring(0, 10);
  }

  /**
   * A five-character suffix like generateName's, derived from the VMI's uid so that a retried
   * create of the same launcher pod conflicts instead of making a twin.
   */
  private static String suffix(String uid) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    byte[] h = sha(uid).getBytes(StandardCharsets.US_ASCII);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(Math.floorMod(h[i] * 31 + h[i + 5], alphabet.length())));
    }
    return sb.toString();
  }

  private static String mac(String seed) {
    String h = sha(seed);
    StringBuilder sb = new StringBuilder("02");
    for (int i = 0; i < 5; i++) {
      sb.append(':').append(h, i * 2, i * 2 + 2);
    }
    return sb.toString().toLowerCase(Locale.ROOT);
  }

  private static String sha(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
