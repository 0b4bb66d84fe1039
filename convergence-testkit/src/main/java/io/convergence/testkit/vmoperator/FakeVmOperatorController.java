package io.convergence.testkit.vmoperator;

import static io.convergence.testkit.kubernetes.internal.Gkr.deleting;
import static io.convergence.testkit.kubernetes.internal.Gkr.finalizers;
import static io.convergence.testkit.kubernetes.internal.Gkr.labels;
import static io.convergence.testkit.kubernetes.internal.Gkr.op;
import static io.convergence.testkit.kubernetes.internal.Gkr.pointer;
import static io.convergence.testkit.kubernetes.internal.Gkr.spec;
import static io.convergence.testkit.kubernetes.internal.Gkr.status;
import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Faults.StageFault;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.convergence.testkit.vmoperator.internal.ApiVersions;
import io.convergence.testkit.vmoperator.internal.Identities;
import io.convergence.testkit.vmoperator.internal.VmConditions;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does what the vSphere Supervisor's VM Service (vmware-tanzu/vm-operator, VCF 9) does for
 * VirtualMachines, VirtualMachineServices and VirtualMachineSnapshots, on any API reached through a
 * fabric8 client, informer-driven and one {@linkplain Latencies latency} per step. It works at one
 * API version of {@code vmoperator.vmware.com}, the newest one among {@code v1alpha3} to {@code
 * v1alpha6} that the server serves for VirtualMachine (read from discovery at start, or forced with
 * {@link Builder#apiVersion}); every kind is read and written at that version. Conditions are
 * {@code metav1.Condition}s as vm-operator writes them: a True condition has reason {@code "True"}
 * and an empty message, the list is sorted with {@code Ready} first.
 *
 * <ul>
 *   <li><b>Finalizer</b>: a VirtualMachine gets {@value VmOperatorResources#VM_FINALIZER} before
 *       anything else.
 *   <li><b>Prerequisites</b>, checked on every pass until the VM is created, each a condition:
 *       {@code VirtualMachineClassReady} (the namespaced VirtualMachineClass {@code
 *       spec.className}; False {@code NotFound} with the API error, e.g. {@code
 *       virtualmachineclasses.vmoperator.vmware.com "x" not found}), {@code
 *       VirtualMachineImageReady} ({@code spec.image} {kind, name}, or {@code spec.imageName}
 *       resolved as the mutating webhook would: a {@code vmi-} name, else the single image whose
 *       {@code status.name} is it, namespace scope first; False {@code NotFound}, {@code NotSet},
 *       {@code UnknownKind}, {@code NotSupported} for a provider other than a content library item,
 *       else a mirror of the image's {@code Ready} condition, {@code NotReady} when it has none),
 *       {@code VirtualMachineBootstrapReady} (the Secrets of {@code rawCloudConfig}, {@code
 *       rawSysprep}, {@code vAppConfig}: False {@code NotFound} with {@code secrets "x" not found},
 *       or {@code GetError} with {@code required key "k" not found in Secret x}; a cloud-init
 *       Secret may hold the data under {@code user-data} or {@code value} instead; no condition
 *       without {@code spec.bootstrap}), {@code VirtualMachineStorageReady} (False {@code
 *       StorageClassRequired} without {@code spec.storageClass}, as on a Supervisor; {@code
 *       NotFound} for a missing StorageClass), then {@code VirtualMachineNetworkReady}.
 *   <li><b>Placement</b> (one step): {@code VirtualMachineConditionPlacementReady=True}, {@code
 *       status.zone} and the label {@value VmOperatorResources#ZONE_LABEL}, the annotation {@value
 *       VmOperatorResources#MANAGER_ID_ANNOTATION}.
 *   <li><b>Create</b> (one step): {@code VirtualMachineCreated=True}, {@code status.uniqueID}
 *       ({@code vm-NNNN}), {@code biosUUID}, {@code instanceUUID}, {@code hardwareVersion} (the
 *       image's), the ESXi host ({@code status.host} in v1alpha3, {@code status.nodeName} from
 *       v1alpha4), {@code status.class} (not in v1alpha4, whose schema lacks it), {@code
 *       status.hardware} (v1alpha5+), {@code powerState: PoweredOff}, {@code
 *       VirtualMachineReconcileReady=True}, {@code VirtualMachineTools=False} ({@code
 *       VirtualMachineToolsNotRunning}), {@code GuestCustomization=Unknown} ({@code NoGuestInfo}).
 *   <li><b>Power</b> per {@code spec.powerState} (default {@code PoweredOn}, as the webhook
 *       defaults it), one step per change: {@code PoweredOn}, {@code PoweredOff}, {@code Suspended}
 *       (only from PoweredOn). Powering off or suspending stops VMware Tools and drops the guest's
 *       network status.
 *   <li><b>Guest</b>, after power-on, one step each: VMware Tools runs ({@code
 *       VirtualMachineTools=True}) and the guest reports its network ({@code status.network}:
 *       {@code hostName}, {@code primaryIP4}, {@code interfaces[]} with {@code deviceKey}, MAC and
 *       addresses, {@code ipStacks[]} with the default route; one interface {@code eth0} when
 *       {@code spec.network} is absent, as the webhook defaults it; none when disabled) and {@code
 *       status.guest} (v1alpha5+); then customization: a cloud-init VM reports {@code
 *       GuestCustomization=True} at once (VMware Tools' idle state), others {@code False} {@code
 *       GuestCustomizationRunning} then {@code True}; then, for a VM with a {@code readinessProbe},
 *       {@code Ready=True}. The IPs come from {@code 192.168.128.0/20} and stay with the VM.
 *   <li><b>Volumes</b>: {@code status.volumes[]} lists each PersistentVolumeClaim volume ({@code
 *       type: Managed}), attached with a {@code diskUUID} once the claim is Bound.
 *   <li><b>Delete</b>: one step after the deletion timestamp the finalizer is removed, unless the
 *       VM carries {@value VmOperatorResources#PAUSE_ANNOTATION} or a {@value
 *       VmOperatorResources#DELETE_CHECK_ANNOTATION_PREFIX}* annotation; a paused VM is not
 *       reconciled at all.
 *   <li><b>VirtualMachineService</b>: finalizer {@value VmOperatorResources#VM_SERVICE_FINALIZER};
 *       a selectorless core Service of the same name (controller ownerReference, the VM Service's
 *       labels and annotations, type, ports with {@code targetPort}, {@code loadBalancerIP}, {@code
 *       loadBalancerSourceRanges}, {@code externalName}, {@code clusterIP} from {@code
 *       spec.clusterIp} at creation; for LoadBalancer {@code allocateLoadBalancerNodePorts: false}
 *       and {@code externalTrafficPolicy: Cluster}) and, when {@code spec.selector} is set, an
 *       Endpoints of the same name with one address per selected VM that has a {@code primaryIP4}
 *       (targetRef to the VM; under {@code notReadyAddresses} while a VM with a readiness probe is
 *       not {@code Ready}) and the target ports. For a LoadBalancer, the simulator also plays the
 *       load balancer (NSX or Avi on a Supervisor): one step later the Service gets an ingress IP
 *       ({@code spec.loadBalancerIP}, else from {@code 10.100.0.0/16}), which the VM Service's
 *       {@code status.loadBalancer.ingress} mirrors. Deleting it deletes the Service and Endpoints,
 *       then removes the finalizer.
 *   <li><b>VirtualMachineSnapshot</b> (v1alpha5+, when the server serves it): finalizer {@value
 *       VmOperatorResources#SNAPSHOT_FINALIZER}; {@code VirtualMachineSnapshotCreated=False}
 *       ({@code VirtualMachineSnapshotCreationInProgress}) with {@code
 *       VirtualMachineSnapshotReady=False} ({@code VirtualMachineSnapshotWaitingForCreation}), then
 *       one step later Created, {@code uniqueID} ({@code snapshot-N}), {@code powerState} (the VM's
 *       with {@code spec.memory}, else PoweredOff), {@code quiesced}, {@code
 *       VirtualMachineSnapshotCSISynced=False} ({@code VirtualMachineSnapshotCSISyncInProgress}),
 *       Ready False ({@code VirtualMachineSnapshotWaitingForCSISync}), and the VM's {@code
 *       status.currentSnapshot} and {@code rootSnapshots} (or the parent's {@code
 *       status.children}); one step later CSISynced and Ready. A VM's {@code
 *       spec.currentSnapshotName} naming a ready snapshot reverts to it: {@code
 *       status.currentSnapshot} is set and the field removed. Deleting a snapshot unlinks it from
 *       the VM and its parent and removes the finalizer.
 * </ul>
 *
 * <p><b>Faults</b>, by the VM's {@value Faults#WORKLOAD_LABEL} label (see {@link
 * VmOperatorFaults}): {@link Stage#NETWORK} failure makes {@code VirtualMachineNetworkReady=False}
 * with the fault's reason and message (the VM is never created), a hang before it means the guest
 * never reports an IP; {@link Stage#SCHEDULED}: {@code VirtualMachineConditionPlacementReady=False}
 * (hang: no placement); {@link Stage#CREATED}: {@code VirtualMachineCreated=False} (hang: never
 * created); {@link Stage#RUNNING}: the VM stays powered off and a Warning event with the fault's
 * reason and {@code failed to reconcile power state: <message>} is written once (hang: no event);
 * {@link Stage#GUEST}: {@code GuestCustomization=False} with the fault's reason (hang: it stays
 * {@code GuestCustomizationRunning}, for cloud-init VMs too); {@link Stage#PROBE}: {@code
 * Ready=False} (hang: no Ready condition). Snapshot creation failures are set with {@link
 * #failSnapshots}.
 *
 * <p>What it does not simulate: admission (the webhooks' defaulting, validation and image name
 * resolution into {@code spec.image}; an invalid VM is accepted), resizing on a class change,
 * {@code nextRestartTime}, the guest itself (no console, no SSH), {@code GuestBootstrap}, {@code
 * VirtualMachineClassConfigurationSynced} and backup conditions, VirtualMachineService conditions
 * (v1alpha6; the condition type could not be confirmed), VirtualMachineSnapshot {@code storage}, a
 * snapshot's effect on power state at revert, snapshots of a deleted VM (left in place; whether an
 * ownerReference removes them on a real Supervisor is not confirmed), VirtualMachineGroups, publish
 * requests, web console requests, and NSX network objects (SubnetPort, NetworkInterface): every
 * network named in {@code spec.network.interfaces} is taken to exist. Events use the component name
 * {@code virtualmachine-controller}; the real one is prefixed with the manager's namespace and
 * name.
 *
 * @since 0.1.0
 */
public final class FakeVmOperatorController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FakeVmOperatorController.class);

  // Condition types and reasons (api/v1alpha5/virtualmachine_types.go, pkg/conditions).
  private static final String CLASS_READY = "VirtualMachineClassReady";
  private static final String IMAGE_READY = "VirtualMachineImageReady";
  private static final String STORAGE_READY = "VirtualMachineStorageReady";
  private static final String BOOTSTRAP_READY = "VirtualMachineBootstrapReady";
  private static final String NETWORK_READY = "VirtualMachineNetworkReady";
  private static final String PLACEMENT_READY = "VirtualMachineConditionPlacementReady";
  private static final String CREATED = "VirtualMachineCreated";
  private static final String TOOLS = "VirtualMachineTools";
  private static final String CUSTOMIZATION = "GuestCustomization";
  private static final String RECONCILE_READY = "VirtualMachineReconcileReady";
  private static final String READY = "Ready";
  private static final String SNAP_READY = "VirtualMachineSnapshotReady";
  private static final String SNAP_CREATED = "VirtualMachineSnapshotCreated";
  private static final String SNAP_CSI = "VirtualMachineSnapshotCSISynced";

  private static final String EVENT_COMPONENT = "virtualmachine-controller";

  private final VmOp controller;
  private final Latencies latencies;
  private final Faults faults;
  private final String version;
  private final boolean snapshotsServed;
  private final boolean storageClassRequired;
  private final boolean events;
  private final String zone;
  private final List<String> hosts;
  private final String vcenterUuid;
  private final String emptyMessage;
  private final Map<String, String> snapshotFailures = new ConcurrentHashMap<>();
  private final ResourceDefinitionContext vmCtx;
  private final ResourceDefinitionContext classCtx;
  private final ResourceDefinitionContext imageCtx;
  private final ResourceDefinitionContext clusterImageCtx;
  private final ResourceDefinitionContext serviceCtx;
  private final ResourceDefinitionContext snapshotCtx;

  private FakeVmOperatorController(Builder b, String version, boolean snapshotsServed) {
    this.latencies = b.latencies;
    this.faults = b.faults;
    this.version = version;
    this.snapshotsServed = snapshotsServed;
    this.storageClassRequired = b.storageClassRequired;
    this.events = b.events;
    this.zone = b.zone;
    this.hosts = List.copyOf(b.hosts);
    this.vcenterUuid = Identities.uuid("convergence-vcenter/" + b.zone);
    this.emptyMessage = b.emptyMessage;
    this.vmCtx = VmOperatorResources.virtualMachines(version);
    this.classCtx = VmOperatorResources.virtualMachineClasses(version);
    this.imageCtx = VmOperatorResources.virtualMachineImages(version);
    this.clusterImageCtx = VmOperatorResources.clusterVirtualMachineImages(version);
    this.serviceCtx = VmOperatorResources.virtualMachineServices(version);
    this.snapshotCtx = VmOperatorResources.virtualMachineSnapshots(version);
    this.controller = new VmOp(b.client, b.namespaces);
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

  /** Settings of a {@link FakeVmOperatorController}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Latencies latencies = new Latencies(Duration.ofMillis(20));
    private Faults faults = new Faults();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private @Nullable String apiVersion;
    private boolean storageClassRequired = true;
    private boolean events = true;
    private String zone = "zone-1";
    private String emptyMessage = "";
    private List<String> hosts =
        List.of("esxi-01.vcf.local", "esxi-02.vcf.local", "esxi-03.vcf.local");

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
     * Works at this version instead of the newest served one (it must be served and one of {@link
     * VmOperatorResources#SUPPORTED_VERSIONS}).
     *
     * @param version e.g. {@code v1alpha3}
     * @return this builder
     * @throws IllegalArgumentException when the simulator does not know the version
     */
    public Builder apiVersion(String version) {
      ApiVersions.level(requireNonNull(version, "version"));
      this.apiVersion = version;
      return this;
    }

    /**
     * Whether a VM without {@code spec.storageClass} is refused with {@code
     * VirtualMachineStorageReady=False} ({@code StorageClassRequired}), as on a Supervisor (default
     * true).
     *
     * @param required whether it is
     * @return this builder
     */
    public Builder storageClassRequired(boolean required) {
      this.storageClassRequired = required;
      return this;
    }

    /**
     * Whether to write core/v1 Events (default true).
     *
     * @param events whether to
     * @return this builder
     */
    public Builder events(boolean events) {
      this.events = events;
      return this;
    }

    /**
     * Writes this instead of an empty condition message. vm-operator leaves most messages empty
     * (the field is required, {@code ""} is allowed); kube-apiserver before 1.21 built with Go 1.16
     * or newer refuses every empty string in a custom resource as {@code null}
     * (kubernetes/kubernetes issue 99804), as the project's integration-test server does. Use a
     * placeholder such as a single space against such a server only (default: empty, as
     * vm-operator).
     *
     * @param placeholder the text written for an empty message
     * @return this builder
     */
    public Builder emptyMessages(String placeholder) {
      this.emptyMessage = requireNonNull(placeholder, "placeholder");
      return this;
    }

    /**
     * The vSphere zone VMs are placed in (default {@code zone-1}).
     *
     * @param zone the zone
     * @return this builder
     */
    public Builder zone(String zone) {
      this.zone = requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The ESXi hosts VMs are placed on, round robin (default three {@code esxi-0N.vcf.local}).
     *
     * @param hosts the host names
     * @return this builder
     */
    public Builder hosts(String... hosts) {
      if (hosts.length == 0) {
        throw new IllegalArgumentException("at least one host");
      }
      this.hosts = List.of(hosts);
      return this;
    }

    /**
     * Reads the served versions, starts watching and returns once the caches are filled.
     *
     * @return the running controller
     * @throws IllegalStateException when the server serves VirtualMachine at no version the
     *     simulator knows, or not at the forced one
     */
    public FakeVmOperatorController start() {
      List<String> served = VmOperatorResources.servedVersions(client, "VirtualMachine");
      String version;
      if (apiVersion != null) {
        if (!served.contains(apiVersion)) {
          throw new IllegalStateException(
              "the server does not serve "
                  + VmOperatorResources.apiVersion(apiVersion)
                  + " VirtualMachine (served among the known versions: "
                  + served
                  + ")");
        }
        version = apiVersion;
      } else if (served.isEmpty()) {
        throw new IllegalStateException(
            "the server serves no "
                + VmOperatorResources.GROUP
                + " VirtualMachine at a version the simulator knows "
                + VmOperatorResources.SUPPORTED_VERSIONS
                + "; are the vm-operator CRDs installed?");
      } else {
        version = served.get(0);
      }
      boolean snapshots =
          ApiVersions.snapshots(version)
              && VmOperatorResources.servedVersions(client, "VirtualMachineSnapshot")
                  .contains(version);
      FakeVmOperatorController c = new FakeVmOperatorController(this, version, snapshots);
      c.controller.start();
      log.debug(
          "vm-operator simulator started at {} (snapshots {})",
          VmOperatorResources.apiVersion(version),
          snapshots ? "served" : "not served");
      return c;
    }
  }

  /**
   * The version the controller works at, e.g. {@code v1alpha5}.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * The {@code apiVersion} of the objects it reads and writes, e.g. {@code
   * vmoperator.vmware.com/v1alpha5}.
   *
   * @return the API version
   */
  public String apiVersion() {
    return VmOperatorResources.apiVersion(version);
  }

  /**
   * Whether VirtualMachineSnapshots are handled (served at the controller's version, v1alpha5+).
   *
   * @return whether they are
   */
  public boolean snapshotsServed() {
    return snapshotsServed;
  }

  /**
   * Makes the snapshots of a workload's VMs fail: {@code VirtualMachineSnapshotCreated=False},
   * reason {@code VirtualMachineSnapshotCreationFailed}, with the message.
   *
   * @param workload the workload (the VM's {@value Faults#WORKLOAD_LABEL} label)
   * @param message the error
   * @return this controller
   */
  public FakeVmOperatorController failSnapshots(String workload, String message) {
    snapshotFailures.put(requireNonNull(workload, "workload"), requireNonNull(message, "message"));
    return this;
  }

  /**
   * Removes the snapshot failure of a workload.
   *
   * @param workload the workload
   * @return this controller
   */
  public FakeVmOperatorController clearSnapshotFailure(String workload) {
    snapshotFailures.remove(workload);
    return this;
  }

  /**
   * Whether no key is queued or being reconciled (for tests).
   *
   * @return whether the controller is idle
   */
  public boolean idle() {
    return controller.idle();
  }

  /** Stops watching; objects keep their last state. */
  @Override
  public void close() {
    controller.close();
  }

  @Override
  public String toString() {
    return "FakeVmOperatorController{" + apiVersion() + ", " + latencies.step() + " per step}";
  }

  private Map<String, Object> cTrue(String type) {
    return VmConditions.withEmptyMessage(VmConditions.isTrue(type), emptyMessage);
  }

  private Map<String, Object> cFalse(String type, @Nullable String reason, String message) {
    return VmConditions.withEmptyMessage(VmConditions.isFalse(type, reason, message), emptyMessage);
  }

  private Map<String, Object> cUnknown(String type, @Nullable String reason, String message) {
    return VmConditions.withEmptyMessage(VmConditions.unknown(type, reason, message), emptyMessage);
  }

  // ------------------------------------------------------------------ the controller

  private final class VmOp extends Controller {
    final Cache<GenericKubernetesResource> vms = new Cache<>();
    final Cache<GenericKubernetesResource> classes = new Cache<>();
    final Cache<GenericKubernetesResource> images = new Cache<>();
    final Cache<GenericKubernetesResource> clusterImages = new Cache<>();
    final Cache<GenericKubernetesResource> vmServices = new Cache<>();
    final Cache<GenericKubernetesResource> snapshots = new Cache<>();
    final Cache<Secret> secrets = new Cache<>();
    final Cache<PersistentVolumeClaim> claims = new Cache<>();
    final Cache<StorageClass> storageClasses = new Cache<>();
    final Cache<Service> services = new Cache<>();
    final Cache<Endpoints> endpoints = new Cache<>();
    private final Set<String> namespaces;
    private final Map<String, String> lastUid = new ConcurrentHashMap<>();
    private final Map<String, String> addresses = new ConcurrentHashMap<>();
    private final Map<String, String> lbAddresses = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong vmIds = new AtomicLong(1000);
    private final AtomicLong snapshotIds = new AtomicLong(100);
    private final AtomicLong ips = new AtomicLong();
    private final AtomicLong lbIps = new AtomicLong();
    private final AtomicLong placements = new AtomicLong();

    VmOp(KubernetesClient client, Set<String> namespaces) {
      super("vm-operator", client, 4);
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
                ? client.genericKubernetesResources(vmCtx).inAnyNamespace()
                : client.genericKubernetesResources(vmCtx).inNamespace(ns),
            vms,
            this::vmKeys);
        inform(
            ns == null
                ? client.genericKubernetesResources(classCtx).inAnyNamespace()
                : client.genericKubernetesResources(classCtx).inNamespace(ns),
            classes,
            c ->
                vmsWhere(
                    c.getMetadata().getNamespace(),
                    vm -> c.getMetadata().getName().equals(Json.str(spec(vm), "className"))));
        inform(
            ns == null
                ? client.genericKubernetesResources(imageCtx).inAnyNamespace()
                : client.genericKubernetesResources(imageCtx).inNamespace(ns),
            images,
            i -> vmsWhere(i.getMetadata().getNamespace(), vm -> references(vm, i)));
        inform(
            ns == null ? client.secrets().inAnyNamespace() : client.secrets().inNamespace(ns),
            secrets,
            s ->
                vmsWhere(
                    s.getMetadata().getNamespace(),
                    vm -> bootstrapSecrets(vm).contains(s.getMetadata().getName())));
        inform(
            ns == null
                ? client.persistentVolumeClaims().inAnyNamespace()
                : client.persistentVolumeClaims().inNamespace(ns),
            claims,
            c ->
                vmsWhere(
                    c.getMetadata().getNamespace(),
                    vm -> claimNames(vm).contains(c.getMetadata().getName())));
        inform(
            ns == null
                ? client.genericKubernetesResources(serviceCtx).inAnyNamespace()
                : client.genericKubernetesResources(serviceCtx).inNamespace(ns),
            vmServices,
            s -> List.of(key("svc", s)));
        inform(
            ns == null ? client.services().inAnyNamespace() : client.services().inNamespace(ns),
            services,
            this::ownerServiceKeys);
        inform(
            ns == null ? client.endpoints().inAnyNamespace() : client.endpoints().inNamespace(ns),
            endpoints,
            this::ownerServiceKeys);
        if (snapshotsServed) {
          inform(
              ns == null
                  ? client.genericKubernetesResources(snapshotCtx).inAnyNamespace()
                  : client.genericKubernetesResources(snapshotCtx).inNamespace(ns),
              snapshots,
              s -> {
                List<String> keys = new ArrayList<>();
                keys.add(key("snap", s));
                String vm = Json.str(spec(s), "vmName");
                if (vm != null) {
                  keys.add(key("vm", s.getMetadata().getNamespace(), vm));
                }
                return keys;
              });
        }
      }
      inform(
          client.genericKubernetesResources(clusterImageCtx),
          clusterImages,
          i -> vmsWhere(null, vm -> references(vm, i)));
      inform(
          client.storage().v1().storageClasses(),
          storageClasses,
          sc ->
              vmsWhere(
                  null,
                  vm -> sc.getMetadata().getName().equals(Json.str(spec(vm), "storageClass"))));
    }

    private Collection<String> vmKeys(GenericKubernetesResource vm) {
      String ns = vm.getMetadata().getNamespace();
      List<String> keys = new ArrayList<>();
      keys.add(key("vm", vm));
      // VM Services of the namespace: the VM's address or readiness may change their Endpoints.
      for (GenericKubernetesResource s : vmServices.list(ns)) {
        keys.add(key("svc", s));
      }
      for (GenericKubernetesResource s : snapshots.list(ns)) {
        if (vm.getMetadata().getName().equals(Json.str(spec(s), "vmName"))) {
          keys.add(key("snap", s));
        }
      }
      return keys;
    }

    private Collection<String> ownerServiceKeys(HasMetadata o) {
      String owner = Gkr.ownerName(o, "VirtualMachineService");
      return owner == null ? List.of() : List.of(key("svc", o.getMetadata().getNamespace(), owner));
    }

    private Collection<String> vmsWhere(
        @Nullable String ns, java.util.function.Predicate<GenericKubernetesResource> p) {
      List<String> keys = new ArrayList<>();
      for (GenericKubernetesResource vm : ns == null ? vms.list() : vms.list(ns)) {
        if (p.test(vm)) {
          keys.add(key("vm", vm));
        }
      }
      return keys;
    }

    private boolean references(GenericKubernetesResource vm, GenericKubernetesResource image) {
      Map<String, Object> spec = spec(vm);
      String name = image.getMetadata().getName();
      String display = Json.str(image.getAdditionalProperties(), "status", "name");
      String ref = Json.str(spec, "image", "name");
      String imageName = Json.str(spec, "imageName");
      return name.equals(ref)
          || name.equals(imageName)
          || (display != null && (display.equals(ref) || display.equals(imageName)));
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      switch (k[0]) {
        case "vm" -> reconcileVm(key, k[1], k[2]);
        case "svc" -> reconcileService(key, k[1], k[2]);
        case "snap" -> reconcileSnapshot(key, k[1], k[2]);
        default -> log.debug("unknown key {}", key);
      }
    }

    // ================================================================ VirtualMachine

    private void reconcileVm(String key, String ns, String name) {
      GenericKubernetesResource vm = vms.get(ns, name);
      if (vm == null) {
        lastUid.remove(key);
        forget(key);
        return;
      }
      String uid = vm.getMetadata().getUid();
      lastUid.put(key, uid);
      Map<String, String> annotations = annotations(vm);
      if (deleting(vm)) {
        deleteVm(key, vm, annotations);
        return;
      }
      if (annotations.containsKey(VmOperatorResources.PAUSE_ANNOTATION)) {
        return; // "Skipping reconciliation since VirtualMachine contains the pause annotation"
      }
      if (!finalizers(vm).contains(VmOperatorResources.VM_FINALIZER)) {
        Gkr.addFinalizers(client, vmCtx, vm, List.of(VmOperatorResources.VM_FINALIZER));
        return; // the change's event brings the next pass
      }
      String workload = workload(vm);
      Duration latency = latencies.of(workload);
      Map<String, Object> st = Json.copy(status(vm));
      String now = now();
      Step step = new Step();
      GenericKubernetesResource current = vm;
      if (!st.containsKey("uniqueID")) {
        current = create(key, vm, st, workload, latency, now, step);
      } else {
        update(key, vm, st, workload, latency, now, step);
      }
      Gkr.writeStatus(client, vmCtx, current, st);
      if (step.taken != null) {
        done(key, uid, step.taken);
      }
      if (step.after != null) {
        step.after.run();
      }
    }

    /** The step a pass took (marked done once its status write succeeded). */
    private final class Step {
      @Nullable String taken;
      @Nullable Runnable after;
    }

    private void deleteVm(String key, GenericKubernetesResource vm, Map<String, String> ann) {
      boolean held =
          ann.containsKey(VmOperatorResources.PAUSE_ANNOTATION)
              || ann.keySet().stream()
                  .anyMatch(a -> a.startsWith(VmOperatorResources.DELETE_CHECK_ANNOTATION_PREFIX));
      if (held || !finalizers(vm).contains(VmOperatorResources.VM_FINALIZER)) {
        return;
      }
      String uid = vm.getMetadata().getUid();
      // powering off and destroying the vSphere VM takes a step
      if (!due(key, uid, "delete", latencies.of(workload(vm)))) {
        return;
      }
      Gkr.removeFinalizers(client, vmCtx, vm, List.of(VmOperatorResources.VM_FINALIZER));
      done(key, uid, "delete");
    }

    // ---------------------------------------------------------------- create

    private GenericKubernetesResource create(
        String key,
        GenericKubernetesResource vm,
        Map<String, Object> st,
        @Nullable String workload,
        Duration latency,
        String now,
        Step step) {
      String uid = vm.getMetadata().getUid();
      Map<String, Object> spec = spec(vm);
      // vmCreateGetPrereqs: every prerequisite is checked, each sets its condition
      GenericKubernetesResource vmClass = checkClass(vm, spec, st, now);
      GenericKubernetesResource image = checkImage(vm, spec, st, now);
      boolean bootstrap = checkBootstrap(vm, spec, st, now);
      boolean storage = checkStorage(spec, st, now);
      if (vmClass == null || image == null || !bootstrap || !storage) {
        return vm;
      }
      // vmCreateDoNetworking runs only once the prerequisites are met
      if (!checkNetwork(spec, st, workload, now)) {
        return vm;
      }
      if (!VmConditions.isTrue(st, PLACEMENT_READY)) {
        Optional<StageFault> f = faults.at(workload, Stage.SCHEDULED);
        if (f.isPresent()) {
          if (!f.get().hang()) {
            VmConditions.set(st, cFalse(PLACEMENT_READY, f.get().reason(), f.get().message()), now);
          }
          return vm;
        }
        if (!due(key, uid, "placement", latency)) {
          return vm;
        }
        GenericKubernetesResource placed = placeMetadata(vm);
        st.put("zone", zone);
        VmConditions.set(st, cTrue(PLACEMENT_READY), now);
        step.taken = "placement";
        return placed;
      }
      Optional<StageFault> f = faults.at(workload, Stage.CREATED);
      if (f.isPresent()) {
        if (!f.get().hang()) {
          VmConditions.set(st, cFalse(CREATED, f.get().reason(), f.get().message()), now);
        }
        return vm;
      }
      if (!due(key, uid, "create", latency)) {
        return vm;
      }
      st.put("uniqueID", "vm-" + vmIds.incrementAndGet());
      st.put("biosUUID", Identities.uuid(uid + "/bios"));
      st.put("instanceUUID", Identities.uuid(uid + "/instance"));
      st.put("powerState", "PoweredOff");
      Object hw = Json.at(image.getAdditionalProperties(), "status", "hardwareVersion");
      st.put("hardwareVersion", hw instanceof Number n ? n.intValue() : 21);
      st.put(
          ApiVersions.hostField(version),
          hosts.get((int) Math.floorMod(placements.getAndIncrement(), (long) hosts.size())));
      if (ApiVersions.statusClass(version)) {
        st.put(
            "class",
            Json.obj(
                "apiVersion",
                apiVersion(),
                "kind",
                "VirtualMachineClass",
                "name",
                vmClass.getMetadata().getName()));
      }
      if (ApiVersions.statusGuestAndHardware(version)) {
        Map<String, Object> hardware = Json.map(spec(vmClass), "hardware");
        Map<String, Object> out = new LinkedHashMap<>();
        if (hardware.get("cpus") instanceof Number n) {
          out.put("cpu", Json.obj("total", n.intValue()));
        }
        if (hardware.get("memory") != null) {
          out.put("memory", Json.obj("total", hardware.get("memory")));
        }
        if (!out.isEmpty()) {
          st.put("hardware", out);
        }
      }
      VmConditions.set(st, cTrue(CREATED), now);
      VmConditions.set(st, cTrue(RECONCILE_READY), now);
      toolsNotRunning(st, now);
      VmConditions.set(st, cUnknown(CUSTOMIZATION, "NoGuestInfo", ""), now);
      volumes(vm, st);
      step.taken = "create";
      return vm;
    }

    /** The placement's zone label and the vCenter annotation, as vm-operator sets them. */
    private GenericKubernetesResource placeMetadata(GenericKubernetesResource vm) {
      List<Map<String, Object>> ops = new ArrayList<>();
      if (!zone.equals(labels(vm).get(VmOperatorResources.ZONE_LABEL))) {
        ops.add(
            labels(vm).isEmpty()
                ? op("add", "/metadata/labels", Map.of(VmOperatorResources.ZONE_LABEL, zone))
                : op("add", "/metadata/labels/" + pointer(VmOperatorResources.ZONE_LABEL), zone));
      }
      if (!vcenterUuid.equals(annotations(vm).get(VmOperatorResources.MANAGER_ID_ANNOTATION))) {
        ops.add(
            annotations(vm).isEmpty()
                ? op(
                    "add",
                    "/metadata/annotations",
                    Map.of(VmOperatorResources.MANAGER_ID_ANNOTATION, vcenterUuid))
                : op(
                    "add",
                    "/metadata/annotations/" + pointer(VmOperatorResources.MANAGER_ID_ANNOTATION),
                    vcenterUuid));
      }
      if (ops.isEmpty()) {
        return vm;
      }
      return Gkr.jsonPatch(
          client, vmCtx, vm.getMetadata().getNamespace(), vm.getMetadata().getName(), ops);
    }

    private @Nullable GenericKubernetesResource checkClass(
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        String now) {
      String name = Json.strOr(spec, "", "className");
      if (name.isEmpty()) {
        // what controller-runtime's Get answers for an empty name
        VmConditions.set(
            st, cFalse(CLASS_READY, "GetError", "resource name may not be empty"), now);
        return null;
      }
      GenericKubernetesResource c = classes.get(vm.getMetadata().getNamespace(), name);
      if (c == null) {
        VmConditions.set(
            st,
            cFalse(CLASS_READY, "NotFound", notFound("virtualmachineclasses." + GROUP, name)),
            now);
        return null;
      }
      VmConditions.set(st, cTrue(CLASS_READY), now);
      return c;
    }

    private @Nullable GenericKubernetesResource checkImage(
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        String now) {
      String ns = vm.getMetadata().getNamespace();
      String kind = Json.strOr(spec, "", "image", "kind");
      String name = Json.strOr(spec, "", "image", "name");
      GenericKubernetesResource image;
      if (name.isEmpty() || kind.isEmpty()) {
        String byName = !name.isEmpty() ? name : Json.strOr(spec, "", "imageName");
        if (byName.isEmpty()) {
          VmConditions.set(st, cFalse(IMAGE_READY, "NotSet", ""), now);
          return null;
        }
        try {
          image = resolveImage(ns, byName);
        } catch (IllegalStateException e) {
          VmConditions.set(st, cFalse(IMAGE_READY, "Unknown", e.getMessage()), now);
          return null;
        }
        if (image == null) {
          VmConditions.set(
              st,
              cFalse(IMAGE_READY, "NotFound", notFound("virtualmachineimages." + GROUP, byName)),
              now);
          return null;
        }
      } else if (kind.equals("VirtualMachineImage")) {
        image = images.get(ns, name);
        if (image == null) {
          VmConditions.set(
              st,
              cFalse(IMAGE_READY, "NotFound", notFound("virtualmachineimages." + GROUP, name)),
              now);
          return null;
        }
      } else if (kind.equals("ClusterVirtualMachineImage")) {
        image = clusterImages.get("", name);
        if (image == null) {
          VmConditions.set(
              st,
              cFalse(
                  IMAGE_READY, "NotFound", notFound("clustervirtualmachineimages." + GROUP, name)),
              now);
          return null;
        }
      } else {
        VmConditions.set(st, cFalse(IMAGE_READY, "UnknownKind", kind), now);
        return null;
      }
      // conditions.SetMirror of the image's Ready, falling back to NotReady
      Map<String, Object> imageStatus = status(image);
      Optional<Map<String, Object>> ready = VmConditions.get(imageStatus, READY);
      if (ready.isEmpty() || !"True".equals(ready.get().get("status"))) {
        Map<String, Object> c =
            ready.isEmpty()
                ? cFalse(IMAGE_READY, "NotReady", "VirtualMachineImage is not ready")
                : "Unknown".equals(ready.get().get("status"))
                    ? cUnknown(
                        IMAGE_READY,
                        Json.str(ready.get(), "reason"),
                        Json.strOr(ready.get(), "", "message"))
                    : cFalse(
                        IMAGE_READY,
                        Json.str(ready.get(), "reason"),
                        Json.strOr(ready.get(), "", "message"));
        VmConditions.set(st, c, now);
        return null;
      }
      String provider = Json.strOr(spec(image), "", "providerRef", "kind");
      if (!provider.equals("ContentLibraryItem") && !provider.equals("ClusterContentLibraryItem")) {
        VmConditions.set(
            st,
            cFalse(IMAGE_READY, "NotSupported", "unsupported image provider kind: " + provider),
            now);
        return null;
      }
      VmConditions.set(st, cTrue(IMAGE_READY), now);
      return image;
    }

    /**
     * What the mutating webhook resolves {@code spec.imageName} to: a {@code vmi-} name as such
     * (namespace scope, then cluster scope), else the single image whose {@code status.name} it is.
     *
     * @throws IllegalStateException when several images have the name
     */
    private @Nullable GenericKubernetesResource resolveImage(String ns, String name) {
      if (name.startsWith("vmi-")) {
        GenericKubernetesResource i = images.get(ns, name);
        return i != null ? i : clusterImages.get("", name);
      }
      for (boolean cluster : List.of(false, true)) {
        List<GenericKubernetesResource> matches = new ArrayList<>();
        for (GenericKubernetesResource i : cluster ? clusterImages.list() : images.list(ns)) {
          if (name.equals(Json.str(i.getAdditionalProperties(), "status", "name"))) {
            matches.add(i);
          }
        }
        if (matches.size() > 1) {
          throw new IllegalStateException(
              "multiple VM images exist for \""
                  + name
                  + "\" in "
                  + (cluster ? "cluster" : "namespace")
                  + " scope");
        }
        if (matches.size() == 1) {
          return matches.get(0);
        }
      }
      return null;
    }

    private boolean checkBootstrap(
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        String now) {
      Map<String, Object> b = Json.map(spec, "bootstrap");
      if (b.isEmpty()) {
        VmConditions.delete(st, BOOTSTRAP_READY);
        return true;
      }
      String ns = vm.getMetadata().getNamespace();
      List<String[]> refs = new ArrayList<>(); // name, key, cloud-init?
      if (!Json.map(b, "cloudInit").isEmpty()) {
        Map<String, Object> raw = Json.map(b, "cloudInit", "rawCloudConfig");
        if (Json.map(b, "cloudInit", "cloudConfig").isEmpty() && !raw.isEmpty()) {
          refs.add(new String[] {Json.strOr(raw, "", "name"), Json.strOr(raw, "", "key"), "y"});
        }
      } else if (!Json.map(b, "sysprep").isEmpty()) {
        Map<String, Object> raw = Json.map(b, "sysprep", "rawSysprep");
        if (Json.map(b, "sysprep", "sysprep").isEmpty() && !raw.isEmpty()) {
          refs.add(new String[] {Json.strOr(raw, "", "name"), Json.strOr(raw, "", "key"), ""});
        }
      }
      Map<String, Object> vApp = Json.map(b, "vAppConfig");
      String rawProperties = Json.str(vApp, "rawProperties");
      if (rawProperties != null && !rawProperties.isEmpty()) {
        refs.add(new String[] {rawProperties, "", ""});
      } else {
        for (Map<String, Object> p : Json.maps(vApp, "properties")) {
          String from = Json.str(p, "value", "from", "name");
          if (from != null) {
            refs.add(new String[] {from, Json.strOr(p, "", "value", "from", "key"), ""});
          }
        }
      }
      for (String[] ref : refs) {
        Secret secret = secrets.get(ns, ref[0]);
        if (secret == null) {
          VmConditions.set(
              st, cFalse(BOOTSTRAP_READY, "NotFound", notFound("secrets", ref[0])), now);
          return false;
        }
        if (!ref[1].isEmpty() && !hasKey(secret, ref[1], !ref[2].isEmpty())) {
          // getSecretData marks RequiredKeyNotFound, then GetVirtualMachineBootstrap overwrites the
          // condition with errToConditionReasonAndMessage of that plain error: GetError.
          VmConditions.set(
              st,
              cFalse(
                  BOOTSTRAP_READY,
                  "GetError",
                  "required key \"" + ref[1] + "\" not found in Secret " + ref[0]),
              now);
          return false;
        }
      }
      VmConditions.set(st, cTrue(BOOTSTRAP_READY), now);
      return true;
    }

    private boolean hasKey(Secret s, String key, boolean cloudInit) {
      Set<String> keys = new LinkedHashSet<>();
      if (s.getData() != null) {
        keys.addAll(s.getData().keySet());
      }
      if (s.getStringData() != null) {
        keys.addAll(s.getStringData().keySet());
      }
      if (keys.contains(key)) {
        return true;
      }
      if (cloudInit) {
        if (keys.contains("user-data") || keys.contains("value")) {
          return true;
        }
        return key.equals("user-data") && keys.contains("ssh-public-keys");
      }
      return false;
    }

    private boolean checkStorage(Map<String, Object> spec, Map<String, Object> st, String now) {
      String sc = Json.strOr(spec, "", "storageClass");
      if (sc.isEmpty()) {
        if (storageClassRequired) {
          VmConditions.set(
              st,
              cFalse(
                  STORAGE_READY,
                  "StorageClassRequired",
                  "StorageClass is required but not specified"),
              now);
          return false;
        }
      } else if (storageClasses.get("", sc) == null) {
        VmConditions.set(
            st,
            cFalse(STORAGE_READY, "NotFound", notFound("storageclasses.storage.k8s.io", sc)),
            now);
        return false;
      }
      VmConditions.set(st, cTrue(STORAGE_READY), now);
      return true;
    }

    private boolean checkNetwork(
        Map<String, Object> spec, Map<String, Object> st, @Nullable String workload, String now) {
      if (Boolean.TRUE.equals(Json.bool(spec, "network", "disabled"))) {
        VmConditions.delete(st, NETWORK_READY);
        return true;
      }
      Optional<StageFault> f = faults.at(workload, Stage.NETWORK);
      if (f.isPresent() && !f.get().hang()) {
        VmConditions.set(st, cFalse(NETWORK_READY, f.get().reason(), f.get().message()), now);
        return false;
      }
      VmConditions.set(st, cTrue(NETWORK_READY), now);
      return true;
    }

    // ---------------------------------------------------------------- update

    private void update(
        String key,
        GenericKubernetesResource vm,
        Map<String, Object> st,
        @Nullable String workload,
        Duration latency,
        String now,
        Step step) {
      Map<String, Object> spec = spec(vm);
      volumes(vm, st);
      if (snapshotsServed && revert(key, vm, spec, st, latency, step)) {
        return;
      }
      String desired = Json.strOr(spec, "", "powerState");
      if (desired.isEmpty()) {
        desired = "PoweredOn";
      }
      String current = Json.strOr(st, "PoweredOff", "powerState");
      if (!desired.equals(current)) {
        power(key, vm, spec, st, desired, current, workload, latency, now, step);
        return;
      }
      if (current.equals("PoweredOn")) {
        guest(key, vm, spec, st, workload, latency, now, step);
      }
    }

    private void power(
        String key,
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        String desired,
        String current,
        @Nullable String workload,
        Duration latency,
        String now,
        Step step) {
      String uid = vm.getMetadata().getUid();
      switch (desired) {
        case "PoweredOn" -> {
          Optional<StageFault> f = faults.at(workload, Stage.RUNNING);
          if (f.isPresent()) {
            if (!f.get().hang() && reported.add(uid + "/power/" + f.get())) {
              event(
                  vm,
                  "Warning",
                  f.get().reason().isEmpty() ? "UpdateFailure" : f.get().reason(),
                  "failed to reconcile power state: " + f.get().message());
            }
            return;
          }
          if (!due(key, uid, "power-on", latency)) {
            return;
          }
          st.put("powerState", "PoweredOn");
          step.taken = "power-on";
        }
        case "PoweredOff" -> {
          if (!due(key, uid, "power-off", latency)) {
            return;
          }
          st.put("powerState", "PoweredOff");
          guestGone(spec, st, now);
          step.taken = "power-off";
        }
        case "Suspended" -> {
          if (!current.equals("PoweredOn") || !due(key, uid, "suspend", latency)) {
            return; // vSphere suspends only a powered-on VM
          }
          st.put("powerState", "Suspended");
          guestGone(spec, st, now);
          step.taken = "suspend";
        }
        default -> log.debug("unknown powerState {} of {}", desired, key);
      }
    }

    private void guestGone(Map<String, Object> spec, Map<String, Object> st, String now) {
      toolsNotRunning(st, now);
      st.remove("network");
      if (hasProbe(spec)) {
        VmConditions.set(st, cFalse(READY, "NotReady", ""), now);
      }
    }

    private void toolsNotRunning(Map<String, Object> st, String now) {
      VmConditions.set(
          st, cFalse(TOOLS, "VirtualMachineToolsNotRunning", "VMware Tools is not running"), now);
    }

    private void guest(
        String key,
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        @Nullable String workload,
        Duration latency,
        String now,
        Step step) {
      String uid = vm.getMetadata().getUid();
      boolean noIp = faults.at(workload, Stage.NETWORK).map(StageFault::hang).orElse(false);
      Optional<StageFault> guestFault = faults.at(workload, Stage.GUEST);
      if (!VmConditions.isTrue(st, TOOLS)) {
        if (!due(key, uid, "boot", latency)) {
          return;
        }
        VmConditions.set(st, cTrue(TOOLS), now);
        st.put("network", network(vm, spec, !noIp));
        guestInfo(vm, st);
        if (!VmConditions.isTrue(st, CUSTOMIZATION) && !customizationFailed(st)) {
          if (cloudInit(spec) && guestFault.isEmpty()) {
            // cloud-init needs no guest customization: VMware Tools reports it idle
            VmConditions.set(st, cTrue(CUSTOMIZATION), now);
          } else {
            VmConditions.set(st, cFalse(CUSTOMIZATION, "GuestCustomizationRunning", ""), now);
          }
        }
        step.taken = "boot";
        return;
      }
      if (!noIp && wantsNetwork(spec) && Json.str(st, "network", "primaryIP4") == null) {
        // a NETWORK hang was lifted: the guest reports its address now
        if (!due(key, uid, "ip", latency)) {
          return;
        }
        st.put("network", network(vm, spec, true));
        step.taken = "ip";
        return;
      }
      if (!VmConditions.isTrue(st, CUSTOMIZATION)) {
        if (guestFault.isPresent()) {
          StageFault f = guestFault.get();
          if (!f.hang()) {
            VmConditions.set(
                st,
                cFalse(
                    CUSTOMIZATION,
                    f.reason().isEmpty() ? "GuestCustomizationFailed" : f.reason(),
                    f.message().isEmpty()
                        ? VmOperatorFaults.CUSTOMIZATION_FAILED_MESSAGE
                        : f.message()),
                now);
          }
          return;
        }
        if (customizationFailed(st) || !due(key, uid, "customize", latency)) {
          return;
        }
        VmConditions.set(st, cTrue(CUSTOMIZATION), now);
        step.taken = "customize";
        return;
      }
      if (hasProbe(spec) && !VmConditions.isTrue(st, READY)) {
        Optional<StageFault> f = faults.at(workload, Stage.PROBE);
        if (f.isPresent()) {
          if (!f.get().hang()) {
            VmConditions.set(
                st,
                cFalse(
                    READY,
                    f.get().reason().isEmpty() ? "NotReady" : f.get().reason(),
                    f.get().message()),
                now);
          }
          return;
        }
        if (!due(key, uid, "probe", latency)) {
          return;
        }
        VmConditions.set(st, cTrue(READY), now);
        step.taken = "probe";
      }
    }

    private boolean customizationFailed(Map<String, Object> st) {
      return VmConditions.isFalse(st, CUSTOMIZATION)
          && !VmConditions.reason(st, CUSTOMIZATION).equals("GuestCustomizationRunning")
          && !VmConditions.reason(st, CUSTOMIZATION).equals("GuestCustomizationPending");
    }

    private void guestInfo(GenericKubernetesResource vm, Map<String, Object> st) {
      if (!ApiVersions.statusGuestAndHardware(version)) {
        return;
      }
      String guestId = null;
      GenericKubernetesResource image = null;
      try {
        Map<String, Object> spec = spec(vm);
        String kind = Json.strOr(spec, "", "image", "kind");
        String name = Json.strOr(spec, "", "image", "name");
        image =
            kind.equals("VirtualMachineImage")
                ? images.get(vm.getMetadata().getNamespace(), name)
                : kind.equals("ClusterVirtualMachineImage")
                    ? clusterImages.get("", name)
                    : resolveImage(
                        vm.getMetadata().getNamespace(),
                        name.isEmpty() ? Json.strOr(spec, "", "imageName") : name);
      } catch (IllegalStateException e) {
        image = null;
      }
      if (image != null) {
        guestId = Json.str(image.getAdditionalProperties(), "status", "osInfo", "id");
      }
      if (guestId == null) {
        guestId = Json.str(spec(vm), "guestID");
      }
      if (guestId != null) {
        st.put("guest", Json.obj("guestID", guestId, "guestFullName", guestFullName(guestId)));
      }
    }

    private Map<String, Object> network(
        GenericKubernetesResource vm, Map<String, Object> spec, boolean withIp) {
      String uid = vm.getMetadata().getUid();
      Map<String, Object> net = Json.map(spec, "network");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("hostName", Json.strOr(net, vm.getMetadata().getName(), "hostName"));
      if (!wantsNetwork(spec)) {
        return out;
      }
      List<Map<String, Object>> ifaces = Json.maps(net, "interfaces");
      if (ifaces.isEmpty()) {
        ifaces = List.of(Json.obj("name", "eth0"));
      }
      List<Map<String, Object>> statuses = new ArrayList<>();
      String primary = null;
      String gateway = null;
      for (int i = 0; i < ifaces.size(); i++) {
        Map<String, Object> iface = ifaces.get(i);
        String name = Json.strOr(iface, "eth" + i, "name");
        String mac = Json.strOr(iface, Identities.mac(uid + "/" + name), "macAddr");
        Map<String, Object> ip = new LinkedHashMap<>();
        ip.put("macAddr", mac.toLowerCase(java.util.Locale.ROOT));
        if (withIp) {
          List<String> statics = Json.strings(iface, "addresses");
          String cidr;
          String origin;
          if (!statics.isEmpty()) {
            cidr = statics.get(0);
            origin = "manual";
          } else {
            cidr = addresses.computeIfAbsent(uid + "/" + name, k -> nextAddress());
            origin = "dhcp";
          }
          String address = cidr.contains("/") ? cidr.substring(0, cidr.indexOf('/')) : cidr;
          if (primary == null && address.contains(".")) {
            primary = address;
            gateway = Json.strOr(iface, "192.168.128.1", "gateway4");
          }
          ip.put(
              "addresses",
              List.of(Json.obj("address", cidr, "origin", origin, "state", "preferred")));
        }
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("name", name);
        st.put("deviceKey", 4000 + i);
        st.put("ip", ip);
        List<String> nameservers = Json.strings(iface, "nameservers");
        if (nameservers.isEmpty()) {
          nameservers = Json.strings(net, "nameservers");
        }
        if (withIp && !nameservers.isEmpty()) {
          st.put("dns", Json.obj("nameservers", nameservers));
        }
        statuses.add(st);
      }
      out.put("interfaces", statuses);
      if (primary != null) {
        out.put("primaryIP4", primary);
        out.put(
            "ipStacks",
            List.of(
                Json.obj(
                    "ipRoutes",
                    List.of(
                        Json.obj(
                            "gateway",
                            Json.obj("address", gateway, "device", "0"),
                            "networkAddress",
                            "0.0.0.0/0")))));
      }
      return out;
    }

    private String nextAddress() {
      long n = ips.getAndIncrement();
      return "192.168." + (128 + (n / 240) % 16) + "." + (10 + n % 240) + "/20";
    }

    private void volumes(GenericKubernetesResource vm, Map<String, Object> st) {
      String ns = vm.getMetadata().getNamespace();
      String uid = vm.getMetadata().getUid();
      List<Map<String, Object>> out = new ArrayList<>();
      for (Map<String, Object> v : Json.maps(vm.getAdditionalProperties(), "spec", "volumes")) {
        String claim = Json.str(v, "persistentVolumeClaim", "claimName");
        if (claim == null) {
          continue;
        }
        PersistentVolumeClaim pvc = claims.get(ns, claim);
        boolean bound =
            pvc != null && pvc.getStatus() != null && "Bound".equals(pvc.getStatus().getPhase());
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", Json.strOr(v, claim, "name"));
        entry.put("type", "Managed");
        entry.put("attached", bound);
        if (bound) {
          entry.put("diskUUID", Identities.uuid(uid + "/disk/" + claim));
        }
        out.add(entry);
      }
      if (out.isEmpty()) {
        st.remove("volumes");
      } else {
        st.put("volumes", out);
      }
    }

    private boolean revert(
        String key,
        GenericKubernetesResource vm,
        Map<String, Object> spec,
        Map<String, Object> st,
        Duration latency,
        Step step) {
      String name = Json.strOr(spec, "", "currentSnapshotName");
      if (name.isEmpty()) {
        return false;
      }
      GenericKubernetesResource snap = snapshots.get(vm.getMetadata().getNamespace(), name);
      if (snap == null || !VmConditions.isTrue(status(snap), SNAP_READY)) {
        return false; // nothing to revert to yet
      }
      Runnable clearSpec =
          () -> {
            try {
              Gkr.jsonPatch(
                  client,
                  vmCtx,
                  vm.getMetadata().getNamespace(),
                  vm.getMetadata().getName(),
                  List.of(op("remove", "/spec/currentSnapshotName", null)));
            } catch (RuntimeException e) {
              if (!isStatus(e, 422)) {
                throw e;
              }
              // removed already by an earlier pass whose change the cache had not seen yet
            }
          };
      if (name.equals(Json.str(st, "currentSnapshot", "name"))) {
        step.after = clearSpec; // reverted already; the spec field is what is left
        return true;
      }
      if (!due(key, vm.getMetadata().getUid(), "revert", latency)) {
        return true;
      }
      st.put("currentSnapshot", Json.obj("type", "Managed", "name", name));
      step.taken = "revert";
      step.after = clearSpec;
      return true;
    }

    // ================================================================ VirtualMachineService

    private void reconcileService(String key, String ns, String name) {
      GenericKubernetesResource vs = vmServices.get(ns, name);
      if (vs == null) {
        String uid = lastUid.remove(key);
        if (uid != null) {
          // what the garbage collector does on a real server (the mock has none)
          List<HasMetadata> owned = new ArrayList<>();
          owned.add(services.get(ns, name));
          owned.add(endpoints.get(ns, name));
          for (HasMetadata o : owned) {
            if (o != null && Gkr.ownedBy(o, "VirtualMachineService", uid, name)) {
              deleteCore(o);
            }
          }
        }
        forget(key);
        return;
      }
      String uid = vs.getMetadata().getUid();
      lastUid.put(key, uid);
      if (deleting(vs)) {
        if (finalizers(vs).contains(VmOperatorResources.VM_SERVICE_FINALIZER)) {
          Endpoints ep = endpoints.get(ns, name);
          if (ep != null) {
            deleteCore(ep);
          }
          Service svc = services.get(ns, name);
          if (svc != null) {
            deleteCore(svc);
          }
          Gkr.removeFinalizers(
              client, serviceCtx, vs, List.of(VmOperatorResources.VM_SERVICE_FINALIZER));
        }
        return;
      }
      if (!finalizers(vs).contains(VmOperatorResources.VM_SERVICE_FINALIZER)) {
        Gkr.addFinalizers(
            client, serviceCtx, vs, List.of(VmOperatorResources.VM_SERVICE_FINALIZER));
        return;
      }
      Map<String, Object> spec = spec(vs);
      String type = Json.strOr(spec, "ClusterIP", "type");
      Service svc = services.get(ns, name);
      if (svc == null) {
        createService(vs, spec, type);
        return; // its event brings the next pass
      }
      if (!serviceMatches(vs, spec, type, svc)) {
        updateService(vs, spec, type, svc);
        return;
      }
      Map<String, String> selector = Json.stringMap(spec, "selector");
      if (!selector.isEmpty()) {
        syncEndpoints(vs, spec, svc, selector);
      }
      List<LoadBalancerIngress> ingress =
          svc.getStatus() == null || svc.getStatus().getLoadBalancer() == null
              ? List.of()
              : svc.getStatus().getLoadBalancer().getIngress();
      if (type.equals("LoadBalancer")
          && ingress.isEmpty()
          && due(key, uid, "load-balancer", latencies.of(workload(vs)))) {
        String ip = Json.strOr(spec, "", "loadBalancerIP");
        if (ip.isEmpty()) {
          ip =
              lbAddresses.computeIfAbsent(
                  uid,
                  u -> {
                    long n = lbIps.getAndIncrement();
                    return "10.100." + (n / 250 % 250) + "." + (2 + n % 250);
                  });
        }
        Service copy = client.getKubernetesSerialization().clone(svc);
        copy.setStatus(
            new ServiceStatusBuilder()
                .withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp(ip).build())
                .endLoadBalancer()
                .build());
        client.services().inNamespace(ns).resource(copy).updateStatus();
        done(key, uid, "load-balancer");
        return; // the Service's event brings the status
      }
      Map<String, Object> lb = new LinkedHashMap<>();
      if (type.equals("LoadBalancer") && !ingress.isEmpty()) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LoadBalancerIngress i : ingress) {
          list.add(Json.obj("ip", i.getIp(), "hostname", i.getHostname()));
        }
        lb.put("ingress", list);
      }
      Map<String, Object> st = Json.copy(status(vs));
      st.put("loadBalancer", lb);
      Gkr.writeStatus(client, serviceCtx, vs, st);
    }

    private List<ServicePort> ports(Map<String, Object> spec, @Nullable Service existing) {
      Map<String, Integer> nodePorts = new LinkedHashMap<>();
      if (existing != null && existing.getSpec() != null) {
        for (ServicePort p : existing.getSpec().getPorts()) {
          if (p.getName() != null && p.getNodePort() != null) {
            nodePorts.put(p.getName(), p.getNodePort());
          }
        }
      }
      List<ServicePort> out = new ArrayList<>();
      for (Map<String, Object> p : Json.maps(spec, "ports")) {
        String name = Json.strOr(p, "", "name");
        out.add(
            new ServicePortBuilder()
                .withName(name)
                .withProtocol(Json.strOr(p, "TCP", "protocol"))
                .withPort(Json.at(p, "port") instanceof Number n ? n.intValue() : null)
                .withTargetPort(
                    new IntOrString(
                        Json.at(p, "targetPort") instanceof Number n ? n.intValue() : 0))
                .withNodePort(nodePorts.get(name))
                .build());
      }
      return out;
    }

    private void createService(
        GenericKubernetesResource vs, Map<String, Object> spec, String type) {
      Service svc = new Service();
      svc.setMetadata(
          new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
              .withName(vs.getMetadata().getName())
              .withNamespace(vs.getMetadata().getNamespace())
              .withLabels(new LinkedHashMap<>(labels(vs)))
              .withAnnotations(new LinkedHashMap<>(annotations(vs)))
              .withOwnerReferences(Gkr.controllerRef(vs))
              .build());
      io.fabric8.kubernetes.api.model.ServiceSpec s =
          new io.fabric8.kubernetes.api.model.ServiceSpec();
      s.setType(type);
      s.setPorts(ports(spec, null));
      applyServiceFields(s, spec, type);
      String clusterIp = Json.strOr(spec, "", "clusterIp");
      if (!clusterIp.isEmpty() && !type.equals("ExternalName")) {
        s.setClusterIP(clusterIp); // cannot be changed after creation
      }
      if (type.equals("LoadBalancer")) {
        s.setAllocateLoadBalancerNodePorts(false);
      }
      svc.setSpec(s);
      try {
        client.services().inNamespace(vs.getMetadata().getNamespace()).resource(svc).create();
      } catch (RuntimeException e) {
        if (!isStatus(e, 409) && !terminating(e)) {
          throw e;
        }
      }
    }

    private void applyServiceFields(
        io.fabric8.kubernetes.api.model.ServiceSpec s, Map<String, Object> spec, String type) {
      String externalName = Json.strOr(spec, "", "externalName");
      s.setExternalName(externalName.isEmpty() ? null : externalName);
      String lbIp = Json.strOr(spec, "", "loadBalancerIP");
      s.setLoadBalancerIP(lbIp.isEmpty() ? null : lbIp);
      s.setLoadBalancerSourceRanges(Json.strings(spec, "loadBalancerSourceRanges"));
      s.setExternalTrafficPolicy(type.equals("LoadBalancer") ? "Cluster" : null);
    }

    private boolean serviceMatches(
        GenericKubernetesResource vs, Map<String, Object> spec, String type, Service svc) {
      if (svc.getSpec() == null || !type.equals(svc.getSpec().getType())) {
        return false;
      }
      if (!Gkr.ownedBy(svc, "VirtualMachineService", vs.getMetadata().getUid(), "")) {
        return false;
      }
      if (!portKeys(ports(spec, svc)).equals(portKeys(svc.getSpec().getPorts()))) {
        return false;
      }
      if (!Objects.equals(
              emptyToNull(Json.strOr(spec, "", "externalName")), svc.getSpec().getExternalName())
          || !Objects.equals(
              emptyToNull(Json.strOr(spec, "", "loadBalancerIP")),
              svc.getSpec().getLoadBalancerIP())
          || !Json.strings(spec, "loadBalancerSourceRanges")
              .equals(
                  svc.getSpec().getLoadBalancerSourceRanges() == null
                      ? List.of()
                      : svc.getSpec().getLoadBalancerSourceRanges())) {
        return false;
      }
      Map<String, String> svcLabels = labels(svc);
      Map<String, String> svcAnnotations = annotations(svc);
      return labels(vs).entrySet().stream()
              .allMatch(e -> e.getValue().equals(svcLabels.get(e.getKey())))
          && annotations(vs).entrySet().stream()
              .allMatch(e -> e.getValue().equals(svcAnnotations.get(e.getKey())));
    }

    private List<String> portKeys(List<ServicePort> ports) {
      List<String> out = new ArrayList<>();
      for (ServicePort p : ports) {
        out.add(
            p.getName()
                + "/"
                + p.getProtocol()
                + "/"
                + p.getPort()
                + "/"
                + (p.getTargetPort() == null ? "" : String.valueOf(p.getTargetPort().getValue())));
      }
      return out;
    }

    private void updateService(
        GenericKubernetesResource vs, Map<String, Object> spec, String type, Service svc) {
      Service copy = client.getKubernetesSerialization().clone(svc);
      Map<String, String> l = new LinkedHashMap<>(labels(svc));
      l.putAll(labels(vs));
      Map<String, String> a = new LinkedHashMap<>(annotations(svc));
      a.putAll(annotations(vs));
      copy.getMetadata().setLabels(l);
      copy.getMetadata().setAnnotations(a);
      if (!Gkr.ownedBy(svc, "VirtualMachineService", vs.getMetadata().getUid(), "")) {
        List<io.fabric8.kubernetes.api.model.OwnerReference> refs = new ArrayList<>();
        refs.add(Gkr.controllerRef(vs));
        copy.getMetadata().setOwnerReferences(refs);
      }
      boolean typeChanged = !type.equals(copy.getSpec().getType());
      copy.getSpec().setType(type);
      copy.getSpec().setPorts(ports(spec, svc));
      applyServiceFields(copy.getSpec(), spec, type);
      if (typeChanged) {
        copy.getSpec().setAllocateLoadBalancerNodePorts(type.equals("LoadBalancer") ? false : null);
        if (type.equals("ExternalName")) {
          copy.getSpec().setClusterIP(null);
          copy.getSpec().setClusterIPs(null);
          copy.getSpec().setIpFamilies(null);
          copy.getSpec().setIpFamilyPolicy(null);
        }
      }
      client.services().inNamespace(vs.getMetadata().getNamespace()).resource(copy).update();
    }

    private void syncEndpoints(
        GenericKubernetesResource vs,
        Map<String, Object> spec,
        Service svc,
        Map<String, String> selector) {
      String ns = vs.getMetadata().getNamespace();
      List<EndpointPort> ports = new ArrayList<>();
      for (ServicePort p : svc.getSpec().getPorts()) {
        if (p.getTargetPort() == null || p.getTargetPort().getIntVal() == null) {
          continue; // named target ports are not supported by vm-operator either
        }
        ports.add(
            new EndpointPortBuilder()
                .withName(p.getName())
                .withPort(p.getTargetPort().getIntVal())
                .withProtocol(p.getProtocol())
                .build());
      }
      List<EndpointAddress> ready = new ArrayList<>();
      List<EndpointAddress> notReady = new ArrayList<>();
      for (GenericKubernetesResource vm : vms.list(ns)) {
        Map<String, String> l = labels(vm);
        if (deleting(vm)
            || !selector.entrySet().stream()
                .allMatch(e -> e.getValue().equals(l.get(e.getKey())))) {
          continue;
        }
        String ip = Json.str(vm.getAdditionalProperties(), "status", "network", "primaryIP4");
        if (ip == null || ip.isEmpty()) {
          continue; // "Skipping VM without primary IP assigned"
        }
        EndpointAddress address =
            new EndpointAddressBuilder()
                .withIp(ip)
                .withTargetRef(
                    new ObjectReferenceBuilder()
                        .withApiVersion(vm.getApiVersion())
                        .withKind(vm.getKind())
                        .withNamespace(ns)
                        .withName(vm.getMetadata().getName())
                        .withUid(vm.getMetadata().getUid())
                        .build())
                .build();
        boolean isReady = !hasProbe(spec(vm)) || VmConditions.isTrue(status(vm), READY);
        (isReady ? ready : notReady).add(address);
      }
      Comparator<EndpointAddress> byIp = Comparator.comparing(EndpointAddress::getIp);
      ready.sort(byIp);
      notReady.sort(byIp);
      List<EndpointSubset> subsets = new ArrayList<>();
      if (!ready.isEmpty() || !notReady.isEmpty()) {
        // RepackSubsets: every address shares the same ports here, so one subset
        subsets.add(
            new EndpointSubsetBuilder()
                .withAddresses(ready)
                .withNotReadyAddresses(notReady)
                .withPorts(ports)
                .build());
      }
      Endpoints existing = endpoints.get(ns, vs.getMetadata().getName());
      Map<String, String> l = labels(svc);
      Map<String, String> a = annotations(svc);
      if (existing == null) {
        Endpoints ep =
            new EndpointsBuilder()
                .withNewMetadata()
                .withName(vs.getMetadata().getName())
                .withNamespace(ns)
                .withLabels(l.isEmpty() ? null : new LinkedHashMap<>(l))
                .withAnnotations(a.isEmpty() ? null : new LinkedHashMap<>(a))
                .withOwnerReferences(Gkr.controllerRef(vs))
                .endMetadata()
                .withSubsets(subsets)
                .build();
        try {
          client.endpoints().inNamespace(ns).resource(ep).create();
        } catch (RuntimeException e) {
          if (!isStatus(e, 409) && !terminating(e)) {
            throw e;
          }
        }
        return;
      }
      String want = client.getKubernetesSerialization().asJson(subsets);
      String have = client.getKubernetesSerialization().asJson(existing.getSubsets());
      if (want.equals(have) && l.equals(labels(existing)) && a.equals(annotations(existing))) {
        return;
      }
      Endpoints copy = client.getKubernetesSerialization().clone(existing);
      copy.setSubsets(subsets);
      copy.getMetadata().setLabels(l.isEmpty() ? null : new LinkedHashMap<>(l));
      copy.getMetadata().setAnnotations(a.isEmpty() ? null : new LinkedHashMap<>(a));
      client.endpoints().inNamespace(ns).resource(copy).update();
    }

    private void deleteCore(HasMetadata o) {
      try {
        if (o instanceof Service) {
          client
              .services()
              .inNamespace(o.getMetadata().getNamespace())
              .withName(o.getMetadata().getName())
              .delete();
        } else {
          client
              .endpoints()
              .inNamespace(o.getMetadata().getNamespace())
              .withName(o.getMetadata().getName())
              .delete();
        }
      } catch (RuntimeException e) {
        if (!isStatus(e, 404)) {
          throw e;
        }
      }
    }

    // ================================================================ VirtualMachineSnapshot

    private void reconcileSnapshot(String key, String ns, String name) {
      GenericKubernetesResource snap = snapshots.get(ns, name);
      if (snap == null) {
        forget(key);
        return;
      }
      String uid = snap.getMetadata().getUid();
      String vmName = Json.strOr(spec(snap), "", "vmName");
      GenericKubernetesResource vm = vmName.isEmpty() ? null : vms.get(ns, vmName);
      if (deleting(snap)) {
        if (finalizers(snap).contains(VmOperatorResources.SNAPSHOT_FINALIZER)) {
          if (vm != null && !deleting(vm)) {
            unlink(vm, snap);
          }
          Gkr.removeFinalizers(
              client, snapshotCtx, snap, List.of(VmOperatorResources.SNAPSHOT_FINALIZER));
        }
        return;
      }
      if (!finalizers(snap).contains(VmOperatorResources.SNAPSHOT_FINALIZER)) {
        Gkr.addFinalizers(
            client, snapshotCtx, snap, List.of(VmOperatorResources.SNAPSHOT_FINALIZER));
        return;
      }
      Map<String, Object> st = Json.copy(status(snap));
      if (VmConditions.isTrue(st, SNAP_READY)) {
        return;
      }
      if (vm == null || !status(vm).containsKey("uniqueID")) {
        return; // "VM hasn't been created and has no uniqueID"; the VM's events bring the next pass
      }
      String now = now();
      String workload = workload(vm);
      Duration latency = latencies.of(workload);
      String failure = workload == null ? null : snapshotFailures.get(workload);
      if (failure != null && !VmConditions.isTrue(st, SNAP_CREATED)) {
        VmConditions.set(
            st, cFalse(SNAP_CREATED, "VirtualMachineSnapshotCreationFailed", failure), now);
        VmConditions.set(
            st, cFalse(SNAP_READY, "VirtualMachineSnapshotWaitingForCreation", ""), now);
        Gkr.writeStatus(client, snapshotCtx, snap, st);
        return;
      }
      if (!VmConditions.isTrue(st, SNAP_CREATED)) {
        boolean started =
            VmConditions.reason(st, SNAP_CREATED)
                .equals("VirtualMachineSnapshotCreationInProgress");
        if (!started) {
          VmConditions.set(
              st, cFalse(SNAP_CREATED, "VirtualMachineSnapshotCreationInProgress", ""), now);
          VmConditions.set(
              st, cFalse(SNAP_READY, "VirtualMachineSnapshotWaitingForCreation", ""), now);
          Gkr.writeStatus(client, snapshotCtx, snap, st);
        }
        if (!due(key, uid, "snapshot-create", latency)) {
          return;
        }
        link(vm, snap);
        Map<String, Object> vmStatus = status(vm);
        String power = Json.strOr(vmStatus, "PoweredOff", "powerState");
        boolean memory = Boolean.TRUE.equals(Json.bool(spec(snap), "memory"));
        st.put("uniqueID", "snapshot-" + snapshotIds.incrementAndGet());
        st.put(
            "powerState", power.equals("Suspended") ? "Suspended" : memory ? power : "PoweredOff");
        if (!Json.map(spec(snap), "quiesce").isEmpty()
            && power.equals("PoweredOn")
            && VmConditions.isTrue(vmStatus, TOOLS)) {
          st.put("quiesced", true);
        }
        VmConditions.set(st, cTrue(SNAP_CREATED), now);
        VmConditions.set(st, cFalse(SNAP_CSI, "VirtualMachineSnapshotCSISyncInProgress", ""), now);
        VmConditions.set(
            st, cFalse(SNAP_READY, "VirtualMachineSnapshotWaitingForCSISync", ""), now);
        Gkr.writeStatus(client, snapshotCtx, snap, st);
        done(key, uid, "snapshot-create");
        return;
      }
      if (!due(key, uid, "snapshot-csi", latency)) {
        return;
      }
      VmConditions.set(st, cTrue(SNAP_CSI), now);
      VmConditions.set(st, cTrue(SNAP_READY), now);
      Gkr.writeStatus(client, snapshotCtx, snap, st);
      done(key, uid, "snapshot-csi");
    }

    /** Makes the snapshot the VM's current one, a child of the previous current one or a root. */
    private void link(GenericKubernetesResource vm, GenericKubernetesResource snap) {
      String ns = vm.getMetadata().getNamespace();
      String name = snap.getMetadata().getName();
      Map<String, Object> ref = Json.obj("type", "Managed", "name", name);
      Map<String, Object> vst = Json.copy(status(vm));
      Map<String, Object> current = Json.map(vst, "currentSnapshot");
      if (name.equals(current.get("name"))) {
        return;
      }
      GenericKubernetesResource parent =
          "Managed".equals(current.get("type")) && current.get("name") instanceof String p
              ? snapshots.get(ns, p)
              : null;
      if (parent != null) {
        Map<String, Object> pst = Json.copy(status(parent));
        List<Map<String, Object>> children = new ArrayList<>(Json.maps(pst, "children"));
        if (children.stream().noneMatch(c -> name.equals(c.get("name")))) {
          children.add(ref);
          pst.put("children", children);
          Gkr.writeStatus(client, snapshotCtx, parent, pst);
        }
      } else {
        List<Map<String, Object>> roots = new ArrayList<>(Json.maps(vst, "rootSnapshots"));
        if (roots.stream().noneMatch(c -> name.equals(c.get("name")))) {
          roots.add(ref);
          vst.put("rootSnapshots", roots);
        }
      }
      vst.put("currentSnapshot", ref);
      Gkr.writeStatus(client, vmCtx, vm, vst);
    }

    /** Removes a deleted snapshot from the tree: its children move up to its parent. */
    private void unlink(GenericKubernetesResource vm, GenericKubernetesResource snap) {
      String ns = vm.getMetadata().getNamespace();
      String name = snap.getMetadata().getName();
      List<Map<String, Object>> children = Json.maps(status(snap), "children");
      GenericKubernetesResource parent = null;
      for (GenericKubernetesResource s : snapshots.list(ns)) {
        if (Json.maps(status(s), "children").stream().anyMatch(c -> name.equals(c.get("name")))) {
          parent = s;
          break;
        }
      }
      if (parent != null) {
        Map<String, Object> pst = Json.copy(status(parent));
        List<Map<String, Object>> list = new ArrayList<>(Json.maps(pst, "children"));
        list.removeIf(c -> name.equals(c.get("name")));
        for (Map<String, Object> c : children) {
          if (!list.contains(c)) {
            list.add(c);
          }
        }
        if (list.isEmpty()) {
          pst.remove("children");
        } else {
          pst.put("children", list);
        }
        Gkr.writeStatus(client, snapshotCtx, parent, pst);
      }
      Map<String, Object> vst = Json.copy(status(vm));
      List<Map<String, Object>> roots = new ArrayList<>(Json.maps(vst, "rootSnapshots"));
      if (roots.removeIf(c -> name.equals(c.get("name")))) {
        roots.addAll(children);
      }
      if (roots.isEmpty()) {
        vst.remove("rootSnapshots");
      } else {
        vst.put("rootSnapshots", roots);
      }
      if (name.equals(Json.str(vst, "currentSnapshot", "name"))) {
        if (parent != null) {
          vst.put(
              "currentSnapshot",
              Json.obj("type", "Managed", "name", parent.getMetadata().getName()));
        } else {
          vst.remove("currentSnapshot");
        }
      }
      Gkr.writeStatus(client, vmCtx, vm, vst);
    }

    // ================================================================ helpers

    private void event(HasMetadata obj, String type, String reason, String message) {
      if (!events || closed()) {
        return;
      }
      String now = now();
      try {
        client
            .v1()
            .events()
            .inNamespace(obj.getMetadata().getNamespace())
            .resource(
                new EventBuilder()
                    .withNewMetadata()
                    .withName(
                        obj.getMetadata().getName()
                            + "."
                            + Long.toHexString(System.nanoTime())
                            + Integer.toHexString(
                                java.util.concurrent.ThreadLocalRandom.current().nextInt(0x10000)))
                    .withNamespace(obj.getMetadata().getNamespace())
                    .endMetadata()
                    .withNewInvolvedObject()
                    .withApiVersion(obj.getApiVersion())
                    .withKind(obj.getKind())
                    .withName(obj.getMetadata().getName())
                    .withNamespace(obj.getMetadata().getNamespace())
                    .withUid(obj.getMetadata().getUid())
                    .endInvolvedObject()
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource()
                    .withComponent(EVENT_COMPONENT)
                    .endSource()
                    .withReportingComponent(EVENT_COMPONENT)
                    .withReportingInstance(EVENT_COMPONENT)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .build())
            .create();
      } catch (RuntimeException e) {
        log.debug(
            "event {} for {} not written: {}", reason, obj.getMetadata().getName(), e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ static helpers

  private static final String GROUP = VmOperatorResources.GROUP;

  /**
   * Whether a create was refused because the namespace is terminating: its objects are going away,
   * the VM Service among them, so there is nothing to retry.
   */
  private static boolean terminating(RuntimeException e) {
    return Controller.isStatus(e, 403)
        && String.valueOf(e.getMessage()).contains("because it is being terminated");
  }

  /** The message of an API NotFound error, as {@code apierrors.NewNotFound} formats it. */
  private static String notFound(String resource, String name) {
    return resource + " \"" + name + "\" not found";
  }

  private static @Nullable String workload(HasMetadata o) {
    return labels(o).get(Faults.WORKLOAD_LABEL);
  }

  private static Map<String, String> annotations(HasMetadata o) {
    Map<String, String> a = o.getMetadata().getAnnotations();
    return a == null ? Map.of() : a;
  }

  private static @Nullable String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static boolean cloudInit(Map<String, Object> spec) {
    return !Json.map(spec, "bootstrap", "cloudInit").isEmpty();
  }

  private static boolean wantsNetwork(Map<String, Object> spec) {
    return !Boolean.TRUE.equals(Json.bool(spec, "network", "disabled"));
  }

  /** Whether the VM has a readiness probe vm-operator runs (TCP, heartbeat or guestinfo). */
  static boolean hasProbe(Map<String, Object> spec) {
    Map<String, Object> p = Json.map(spec, "readinessProbe");
    return !Json.map(p, "tcpSocket").isEmpty()
        || !Json.map(p, "guestHeartbeat").isEmpty()
        || !Json.maps(p, "guestInfo").isEmpty();
  }

  private static Set<String> bootstrapSecrets(GenericKubernetesResource vm) {
    Map<String, Object> b = Json.map(spec(vm), "bootstrap");
    Set<String> out = new LinkedHashSet<>();
    for (String[] path :
        List.of(
            new String[] {"cloudInit", "rawCloudConfig", "name"},
            new String[] {"sysprep", "rawSysprep", "name"},
            new String[] {"vAppConfig", "rawProperties"})) {
      String s = Json.str(b, path);
      if (s != null) {
        out.add(s);
      }
    }
    for (Map<String, Object> p : Json.maps(b, "vAppConfig", "properties")) {
      String s = Json.str(p, "value", "from", "name");
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private static Set<String> claimNames(GenericKubernetesResource vm) {
    Set<String> out = new LinkedHashSet<>();
    for (Map<String, Object> v : Json.maps(vm.getAdditionalProperties(), "spec", "volumes")) {
      String c = Json.str(v, "persistentVolumeClaim", "claimName");
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private static final Map<String, String> GUEST_NAMES =
      new TreeMap<>(
          Map.of(
              "ubuntu64Guest", "Ubuntu Linux (64-bit)",
              "vmwarePhoton64Guest", "VMware Photon OS (64-bit)",
              "windows2019srvNext_64Guest", "Microsoft Windows Server 2022 (64-bit)",
              "windows2019srv_64Guest", "Microsoft Windows Server 2019 (64-bit)",
              "rhel9_64Guest", "Red Hat Enterprise Linux 9 (64-bit)",
              "otherLinux64Guest", "Other Linux (64-bit)"));

  private static String guestFullName(String guestId) {
    return GUEST_NAMES.getOrDefault(guestId, guestId);
  }
}
