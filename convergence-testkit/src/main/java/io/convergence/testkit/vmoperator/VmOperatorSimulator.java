package io.convergence.testkit.vmoperator;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.FakeKubelet;
import io.convergence.testkit.kubernetes.FakeVolumeProvisioner;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.convergence.testkit.vmoperator.internal.ApiVersions;
import io.convergence.testkit.vmoperator.internal.Identities;
import io.convergence.testkit.vmoperator.internal.VmConditions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vSphere Supervisor's moving parts for any Kubernetes API reached through a fabric8 client that
 * has the vm-operator CRDs: the {@link FakeVmOperatorController} (VM Service), the {@link
 * FakeVolumeProvisioner} (CNS volumes), and, unless turned off, the {@link FakeKubelet} (vSphere
 * Pods), sharing one {@link Latencies} (default 20ms per step) and one {@link Faults}. It seeds
 * what a vSphere administrator sets up: StorageClasses ({@value #DEFAULT_STORAGE_CLASS}),
 * ClusterVirtualMachineImages from a cluster content library, and, in each vSphere Namespace (every
 * namespace that appears, or those named, or on {@link #seedNamespace}), the VirtualMachineClasses
 * bound to it and VirtualMachineImages from its content library. Images have generated {@code vmi-}
 * names; their display name is in {@code status.name}, with a {@code Ready} condition.
 *
 * <pre>{@code
 * try (VmOperatorSimulator sim = VmOperatorSimulator.builder()
 *         .latency(Duration.ofMillis(10))
 *         .start(config)) {                   // its own client, user agent convergence-simulator/...
 *   sim.seedNamespace("lab-1");
 *   VmOperatorFaults.customizationFails(sim.faults(), "tester", "sysprep failed");
 *   ...
 * }
 * }</pre>
 *
 * <p>Every controller is informer-driven with a work queue and named threads ({@code
 * convergence-sim-vm-operator-worker-1}, ...); {@link #close()} stops them all. Objects keep their
 * last state; seeded objects are not removed.
 *
 * @since 0.1.0
 */
public final class VmOperatorSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(VmOperatorSimulator.class);

  /** The user agent of the simulators' own client: {@value}. */
  public static final String USER_AGENT = "convergence-simulator/0.1.0";

  /** The StorageClass seeded by default: {@value}. */
  public static final String DEFAULT_STORAGE_CLASS = "wcpglobal-storage-profile";

  /** The label on every seeded object: {@value}. */
  public static final String SEEDED_LABEL = "app.kubernetes.io/managed-by";

  /** Namespaces never seeded: the control plane's own. */
  public static final Set<String> SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease");

  /**
   * A VirtualMachineClass to seed: a "t-shirt size".
   *
   * @param name the class name, e.g. {@code best-effort-small}
   * @param cpus the vCPUs ({@code spec.hardware.cpus})
   * @param memory the memory as a quantity ({@code spec.hardware.memory}), e.g. {@code 4Gi}
   */
  public record VmClass(String name, int cpus, String memory) {
    /**
     * Checks the fields.
     *
     * @param name the name
     * @param cpus the vCPUs
     * @param memory the memory
     */
    public VmClass {
      requireNonNull(name, "name");
      requireNonNull(memory, "memory");
      if (cpus <= 0) {
        throw new IllegalArgumentException("cpus must be > 0: " + cpus);
      }
    }
  }

  /**
   * An image to seed, as a content library item becomes one.
   *
   * @param name the display name ({@code status.name}), e.g. {@code ubuntu-22.04}
   * @param clusterScoped true for a ClusterVirtualMachineImage, false for a VirtualMachineImage in
   *     each seeded namespace
   * @param guestId the vSphere guest OS id ({@code status.osInfo.id}), e.g. {@code ubuntu64Guest}
   * @param osType {@code Linux} or {@code Windows} ({@code status.osInfo.type})
   * @param osVersion the OS version ({@code status.osInfo.version})
   * @param hardwareVersion the virtual hardware version ({@code status.hardwareVersion})
   */
  public record VmImage(
      String name,
      boolean clusterScoped,
      String guestId,
      String osType,
      String osVersion,
      int hardwareVersion) {
    /**
     * Checks the fields.
     *
     * @param name the display name
     * @param clusterScoped whether cluster-scoped
     * @param guestId the guest OS id
     * @param osType the OS type
     * @param osVersion the OS version
     * @param hardwareVersion the hardware version
     */
    public VmImage {
      requireNonNull(name, "name");
      requireNonNull(guestId, "guestId");
      requireNonNull(osType, "osType");
      requireNonNull(osVersion, "osVersion");
    }

    /**
     * The generated object name, {@code vmi-} and 17 hex characters of the display name's hash.
     *
     * @return the name
     */
    public String objectName() {
      return "vmi-" + Identities.hex(name, 17);
    }
  }

  /** The VirtualMachineClasses seeded by default (VCF's best-effort sizes). */
  public static final List<VmClass> DEFAULT_CLASSES =
      List.of(
          new VmClass("best-effort-xsmall", 2, "2Gi"),
          new VmClass("best-effort-small", 2, "4Gi"),
          new VmClass("best-effort-medium", 2, "8Gi"),
          new VmClass("best-effort-large", 4, "16Gi"));

  /**
   * The images seeded by default: ubuntu-22.04, ubuntu-24.04, photon-5 cluster-wide, windows-2022
   * per namespace.
   */
  public static final List<VmImage> DEFAULT_IMAGES =
      List.of(
          new VmImage("ubuntu-22.04", true, "ubuntu64Guest", "Linux", "22.04", 19),
          new VmImage("ubuntu-24.04", true, "ubuntu64Guest", "Linux", "24.04", 21),
          new VmImage("photon-5", true, "vmwarePhoton64Guest", "Linux", "5.0", 19),
          new VmImage("windows-2022", false, "windows2019srvNext_64Guest", "Windows", "2022", 21));

  private final Faults faults;
  private final Latencies latencies;
  private final @Nullable KubernetesClient ownClient;
  private final KubernetesClient client;
  private final List<VmClass> classes;
  private final List<VmImage> images;
  private final String emptyMessage;
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Set<String> seeded = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private @Nullable FakeVmOperatorController vmop;
  private @Nullable FakeKubelet kubelet;

  private VmOperatorSimulator(Builder b, KubernetesClient client, @Nullable KubernetesClient own) {
    this.faults = b.faults;
    this.latencies = b.latencies;
    this.client = client;
    this.ownClient = own;
    this.classes = List.copyOf(b.classes);
    this.images = List.copyOf(b.images);
    this.emptyMessage = b.emptyMessage;
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a {@link VmOperatorSimulator}. */
  public static final class Builder {
    private Latencies latencies = new Latencies(Duration.ofMillis(20));
    private Faults faults = new Faults();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private @Nullable String apiVersion;
    private List<VmClass> classes = DEFAULT_CLASSES;
    private List<VmImage> images = DEFAULT_IMAGES;
    private List<String> storageClasses = List.of(DEFAULT_STORAGE_CLASS);
    private boolean seedNewNamespaces = true;
    private boolean containers = true;
    private boolean events = true;
    private int nodes = 3;
    private String emptyMessage = "";

    private Builder() {}

    /**
     * Sets the latency of each step of every simulator (default 20ms).
     *
     * @param step the latency
     * @return this builder
     */
    public Builder latency(Duration step) {
      latencies.step(step);
      return this;
    }

    /**
     * Sets the latency of each step for one workload.
     *
     * @param workload the workload's name
     * @param step the latency
     * @return this builder
     */
    public Builder latency(String workload, Duration step) {
      latencies.step(workload, step);
      return this;
    }

    /**
     * Uses these latencies (shared, e.g. with another simulator).
     *
     * @param latencies the latencies
     * @return this builder
     */
    public Builder latencies(Latencies latencies) {
      this.latencies = requireNonNull(latencies, "latencies");
      return this;
    }

    /**
     * Uses these faults (default: a new, empty set).
     *
     * @param faults the faults
     * @return this builder
     */
    public Builder faults(Faults faults) {
      this.faults = requireNonNull(faults, "faults");
      return this;
    }

    /**
     * Watches and seeds only these namespaces, creating them if missing (default: every namespace,
     * seeded as it appears).
     *
     * @param namespaces the namespaces
     * @return this builder
     */
    public Builder namespaces(String... namespaces) {
      this.namespaces.addAll(List.of(namespaces));
      return this;
    }

    /**
     * Works at this vm-operator version instead of the newest served one.
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
     * The VirtualMachineClasses seeded in each namespace (default {@link #DEFAULT_CLASSES}).
     *
     * @param classes the classes
     * @return this builder
     */
    public Builder classes(List<VmClass> classes) {
      this.classes = List.copyOf(classes);
      return this;
    }

    /**
     * The images seeded (default {@link #DEFAULT_IMAGES}).
     *
     * @param images the images
     * @return this builder
     */
    public Builder images(List<VmImage> images) {
      this.images = List.copyOf(images);
      return this;
    }

    /**
     * The StorageClasses seeded (default {@value #DEFAULT_STORAGE_CLASS}); existing ones are kept.
     *
     * @param names the names
     * @return this builder
     */
    public Builder storageClasses(String... names) {
      this.storageClasses = List.of(names);
      return this;
    }

    /**
     * Whether every namespace that appears is seeded, as a vSphere Namespace set up by an
     * administrator (default true; without {@link #namespaces}).
     *
     * @param seed whether to
     * @return this builder
     */
    public Builder seedNewNamespaces(boolean seed) {
      this.seedNewNamespaces = seed;
      return this;
    }

    /**
     * Whether to run the {@link FakeKubelet} for pods (vSphere Pods), default true.
     *
     * @param run whether to
     * @return this builder
     */
    public Builder containers(boolean run) {
      this.containers = run;
      return this;
    }

    /**
     * How many fake nodes the kubelet registers (default 3).
     *
     * @param count the count
     * @return this builder
     */
    public Builder nodes(int count) {
      this.nodes = count;
      return this;
    }

    /**
     * Writes this instead of an empty condition message, against API servers that refuse empty
     * strings in custom resources (see {@link FakeVmOperatorController.Builder#emptyMessages}).
     *
     * @param placeholder the text written for an empty message
     * @return this builder
     */
    public Builder emptyMessages(String placeholder) {
      this.emptyMessage = requireNonNull(placeholder, "placeholder");
      return this;
    }

    /**
     * Whether the simulators write core/v1 Events (default true).
     *
     * @param events whether they do
     * @return this builder
     */
    public Builder events(boolean events) {
      this.events = events;
      return this;
    }

    /**
     * Starts the simulators with their own client built from the configuration, with the user agent
     * {@value #USER_AGENT}; the client is closed with the simulator.
     *
     * @param config the cluster's configuration (not modified)
     * @return the running simulator
     */
    public VmOperatorSimulator start(Config config) {
      Config copy = new ConfigBuilder(config).withUserAgent(USER_AGENT).build();
      KubernetesClient own = new KubernetesClientBuilder().withConfig(copy).build();
      return start(own, own);
    }

    /**
     * Starts the simulators on a client the caller owns (and closes after the simulator). Give it
     * its own user agent so that its requests can be told apart from the code under test's.
     *
     * @param client the client
     * @return the running simulator
     * @throws IllegalStateException when the vm-operator CRDs are not served
     */
    public VmOperatorSimulator start(KubernetesClient client) {
      return start(requireNonNull(client, "client"), null);
    }

    private VmOperatorSimulator start(KubernetesClient client, @Nullable KubernetesClient own) {
      VmOperatorSimulator sim = new VmOperatorSimulator(this, client, own);
      try {
        sim.startAll(this);
      } catch (RuntimeException e) {
        sim.close();
        throw e;
      }
      return sim;
    }
  }

  private void startAll(Builder b) {
    String[] ns = b.namespaces.toArray(String[]::new);
    FakeVmOperatorController.Builder vb =
        FakeVmOperatorController.builder(client)
            .latencies(latencies)
            .faults(faults)
            .events(b.events)
            .emptyMessages(b.emptyMessage);
    if (ns.length > 0) {
      vb.namespaces(ns);
    }
    if (b.apiVersion != null) {
      vb.apiVersion(b.apiVersion);
    }
    FakeVmOperatorController c = vb.start();
    vmop = c;
    started.add(c);
    for (String sc : b.storageClasses) {
      seedStorageClass(sc);
    }
    for (VmImage image : images) {
      if (image.clusterScoped()) {
        seedImage(image, null);
      }
    }
    FakeVolumeProvisioner provisioner =
        FakeVolumeProvisioner.start(client, latencies, faults, b.namespaces);
    started.add(provisioner);
    if (b.containers) {
      FakeKubelet.Builder kb =
          FakeKubelet.builder(client)
              .latencies(latencies)
              .faults(faults)
              .nodes(b.nodes)
              .events(b.events);
      if (ns.length > 0) {
        kb.namespaces(ns);
      }
      kubelet = kb.start();
      started.add(kubelet);
    }
    for (String n : b.namespaces) {
      seedNamespace(n);
    }
    if (b.namespaces.isEmpty() && b.seedNewNamespaces) {
      Seeder seeder = new Seeder();
      seeder.start();
      started.add(seeder);
    }
    log.debug(
        "vm-operator simulator started at {} ({} per step)", c.apiVersion(), latencies.step());
  }

  // ------------------------------------------------------------------ seeding

  /**
   * Seeds a namespace as a vSphere Namespace: creates it if missing, then the VirtualMachineClasses
   * and the namespace-scoped images (existing objects of the same names are kept). Idempotent.
   *
   * @param namespace the namespace
   * @return this simulator
   */
  public VmOperatorSimulator seedNamespace(String namespace) {
    requireNonNull(namespace, "namespace");
    Namespace n = client.namespaces().withName(namespace).get();
    if (n == null) {
      try {
        n =
            client
                .namespaces()
                .resource(
                    new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .endMetadata()
                        .build())
                .create();
      } catch (RuntimeException e) {
        if (!Controller.isStatus(e, 409)) {
          throw e;
        }
        n = client.namespaces().withName(namespace).get();
      }
    }
    for (VmClass c : classes) {
      seedClass(c, namespace);
    }
    for (VmImage image : images) {
      if (!image.clusterScoped()) {
        seedImage(image, namespace);
      }
    }
    if (n != null && n.getMetadata().getUid() != null) {
      seeded.add(n.getMetadata().getUid());
    }
    return this;
  }

  private String version() {
    return controller().version();
  }

  private void seedStorageClass(String name) {
    if (client.storage().v1().storageClasses().withName(name).get() != null) {
      return;
    }
    StorageClass sc =
        new StorageClassBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels(SEEDED_LABEL, "convergence-simulator")
            .endMetadata()
            .withProvisioner("csi.vsphere.vmware.com")
            .addToParameters("storagePolicyID", Identities.uuid("storage-policy/" + name))
            .withReclaimPolicy("Delete")
            .withVolumeBindingMode("Immediate")
            .withAllowVolumeExpansion(true)
            .build();
    try {
      client.storage().v1().storageClasses().resource(sc).create();
    } catch (RuntimeException e) {
      if (!Controller.isStatus(e, 409)) {
        throw e;
      }
    }
  }

  private void seedClass(VmClass c, String namespace) {
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setApiVersion(VmOperatorResources.apiVersion(version()));
    o.setKind("VirtualMachineClass");
    o.setMetadata(
        new ObjectMetaBuilder()
            .withName(c.name())
            .withNamespace(namespace)
            .addToLabels(SEEDED_LABEL, "convergence-simulator")
            .build());
    o.setAdditionalProperty(
        "spec",
        Json.obj(
            "controllerName",
            VmOperatorResources.CLASS_CONTROLLER_NAME,
            "description",
            c.cpus() + " vCPUs, " + c.memory() + " memory, no reservation",
            "hardware",
            Json.obj("cpus", c.cpus(), "memory", c.memory())));
    create(VmOperatorResources.virtualMachineClasses(version()), o, null);
  }

  private void seedImage(VmImage image, @Nullable String namespace) {
    boolean cluster = namespace == null;
    ResourceDefinitionContext ctx =
        cluster
            ? VmOperatorResources.clusterVirtualMachineImages(version())
            : VmOperatorResources.virtualMachineImages(version());
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setApiVersion(VmOperatorResources.apiVersion(version()));
    o.setKind(cluster ? "ClusterVirtualMachineImage" : "VirtualMachineImage");
    ObjectMetaBuilder meta =
        new ObjectMetaBuilder()
            .withName(image.objectName())
            .addToLabels(SEEDED_LABEL, "convergence-simulator");
    if (!cluster) {
      meta.withNamespace(namespace);
    }
    o.setMetadata(meta.build());
    String item = "clitem-" + Identities.hex(image.name(), 17);
    o.setAdditionalProperty(
        "spec",
        Json.obj(
            "providerRef",
            Json.obj(
                "apiVersion",
                "imageregistry.vmware.com/v1alpha1",
                "kind",
                cluster ? "ClusterContentLibraryItem" : "ContentLibraryItem",
                "name",
                item)));
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("name", image.name());
    status.put("type", "OVF");
    status.put(
        "osInfo",
        Json.obj("id", image.guestId(), "type", image.osType(), "version", image.osVersion()));
    status.put("firmware", "efi");
    status.put("hardwareVersion", image.hardwareVersion());
    status.put("providerItemID", Identities.uuid("content-library-item/" + image.name()));
    status.put("providerContentVersion", "1");
    VmConditions.set(
        status,
        VmConditions.withEmptyMessage(VmConditions.isTrue("Ready"), emptyMessage),
        Controller.now());
    create(ctx, o, status);
  }

  /** Creates the object unless it exists, then writes the status when it has none. */
  private void create(
      ResourceDefinitionContext ctx,
      GenericKubernetesResource o,
      @Nullable Map<String, Object> status) {
    String ns = o.getMetadata().getNamespace();
    var resources = client.genericKubernetesResources(ctx);
    GenericKubernetesResource current =
        ns == null
            ? resources.withName(o.getMetadata().getName()).get()
            : resources.inNamespace(ns).withName(o.getMetadata().getName()).get();
    if (current == null) {
      try {
        current =
            ns == null
                ? resources.resource(o).create()
                : resources.inNamespace(ns).resource(o).create();
        Gkr.checkNotPruned(
            o.getKind() + " " + o.getMetadata().getName() + " spec",
            Gkr.spec(o),
            Gkr.spec(current));
      } catch (RuntimeException e) {
        if (!Controller.isStatus(e, 409)) {
          throw e;
        }
        return; // someone else created it
      }
    }
    // The namespace seeder and an explicit seedNamespace() may seed the same object at once: a
    // status write that loses the race (409) re-reads, and is done if the other one wrote it.
    for (int attempt = 1; ; attempt++) {
      if (status == null || current == null || !Gkr.status(current).isEmpty()) {
        return;
      }
      GenericKubernetesResource copy = client.getKubernetesSerialization().clone(current);
      copy.setAdditionalProperty("status", status);
      try {
        GenericKubernetesResource written =
            ns == null
                ? resources.resource(copy).updateStatus()
                : resources.inNamespace(ns).resource(copy).updateStatus();
        Gkr.checkNotPruned(
            o.getKind() + " " + o.getMetadata().getName() + " status", status, Gkr.status(written));
        return;
      } catch (RuntimeException e) {
        if (!Controller.isStatus(e, 409) || attempt >= 5) {
          throw e;
        }
        current =
            ns == null
                ? resources.withName(o.getMetadata().getName()).get()
                : resources.inNamespace(ns).withName(o.getMetadata().getName()).get();
      }
    }
  }

  /** Seeds every namespace that appears, once per namespace uid. */
  private final class Seeder extends Controller {
    private final Cache<Namespace> namespaces = new Cache<>();

    Seeder() {
      super("vm-operator-seeder", VmOperatorSimulator.this.client, 1);
    }

    @Override
    protected void startInformers() {
      inform(
          client.namespaces(),
          namespaces,
          n -> List.of(key("ns", null, n.getMetadata().getName())));
    }

    @Override
    protected void reconcile(String key) {
      String name = split(key)[2];
      Namespace n = namespaces.get("", name);
      if (n == null) {
        forget(key);
        return;
      }
      if (SYSTEM_NAMESPACES.contains(name)
          || Gkr.deleting(n)
          || (n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase()))
          || seeded.contains(n.getMetadata().getUid())) {
        return;
      }
      seedNamespace(name);
    }
  }

  // ------------------------------------------------------------------ runtime

  /**
   * The faults of every simulator.
   *
   * @return the faults
   */
  public Faults faults() {
    return faults;
  }

  /**
   * The latencies of every simulator.
   *
   * @return the latencies
   */
  public Latencies latencies() {
    return latencies;
  }

  /**
   * The VM Service controller.
   *
   * @return the controller
   * @throws IllegalStateException when not started
   */
  public FakeVmOperatorController controller() {
    FakeVmOperatorController c = vmop;
    if (c == null) {
      throw new IllegalStateException("not started");
    }
    return c;
  }

  /**
   * The kubelet, unless containers were turned off.
   *
   * @return the kubelet
   */
  public Optional<FakeKubelet> kubelet() {
    return Optional.ofNullable(kubelet);
  }

  /**
   * The client the simulators use.
   *
   * @return the client
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The seeded classes.
   *
   * @return the classes
   */
  public List<VmClass> classes() {
    return classes;
  }

  /**
   * The seeded images.
   *
   * @return the images
   */
  public List<VmImage> images() {
    return images;
  }

  /** Stops every simulator (in reverse order of start) and closes its own client, if any. */
  @Override
  public void close() {
    List<AutoCloseable> reverse = new ArrayList<>(started);
    java.util.Collections.reverse(reverse);
    for (AutoCloseable c : reverse) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("stopping {} failed", c, e);
      }
    }
    started.clear();
    if (ownClient != null) {
      ownClient.close();
    }
  }

  @Override
  public String toString() {
    return "VmOperatorSimulator{" + latencies.step() + " per step}";
  }
}
