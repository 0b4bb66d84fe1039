package io.convergence.testkit.kubevirt;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeKubelet;
import io.convergence.testkit.kubernetes.FakeVolumeProvisioner;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A KubeVirt cluster's moving parts for any Kubernetes API reached through a fabric8 client: the
 * {@link FakeKubelet} (scheduler and kubelets), the {@link FakeVolumeProvisioner}, the {@link
 * FakeVirtController}, the {@link FakeCdiController} (with golden-image DataSources) and the {@link
 * FakeSnapshotController}, sharing one {@link Latencies} (default 20ms per step) and one {@link
 * Faults}, plus the {@code KubeVirt} CR ({@code kubevirt.io/v1}, {@code kubevirt/kubevirt}) with
 * the configured feature gates and {@code status.observedKubeVirtVersion: v1.9.0}.
 *
 * <pre>{@code
 * try (KubeVirtSimulator sim = KubeVirtSimulator.builder()
 *         .latency(Duration.ofMillis(10))
 *         .featureGates("EnableVirtioFsStorageVolumes")
 *         .start(config)) {                // its own client, user agent convergence-simulator/...
 *   sim.faults().unschedulable("tester");
 *   ...
 * }
 * }</pre>
 *
 * <p>Every controller is informer-driven with a work queue and named threads ({@code
 * convergence-sim-kubelet-worker-1}, {@code convergence-sim-virt-controller-worker-1}, ...); {@link
 * #close()} stops them all. Objects keep their last state.
 *
 * @since 0.1.0
 */
public final class KubeVirtSimulator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubeVirtSimulator.class);

  /** The user agent of the simulators' own client: {@value}. */
  public static final String USER_AGENT = "convergence-simulator/0.1.0";

  /** The namespace of the KubeVirt CR: {@value}. */
  public static final String KUBEVIRT_NAMESPACE = "kubevirt";

  /** The containerDisk images the kubelet pulls successfully, besides its defaults. */
  public static final List<String> CONTAINER_DISK_IMAGES =
      List.of(
          "quay.io/containerdisks/fedora:41",
          "quay.io/containerdisks/fedora:latest",
          "quay.io/containerdisks/ubuntu:24.04",
          "quay.io/containerdisks/ubuntu:22.04",
          "quay.io/containerdisks/centos-stream:9",
          "quay.io/kubevirt/cirros-container-disk-demo",
          "quay.io/kubevirt/cirros-container-disk-demo:v1.9.0",
          "quay.io/kubevirt/fedora-cloud-container-disk-demo",
          "quay.io/kubevirt/alpine-container-disk-demo");

  private final Faults faults;
  private final Latencies latencies;
  private final @Nullable KubernetesClient ownClient;
  private final KubernetesClient client;
  private final List<AutoCloseable> started = new ArrayList<>();
  private volatile @Nullable FakeVirtController virt;
  private FakeKubelet kubelet;
  private FakeVolumeProvisioner provisioner;
  private FakeCdiController cdi;
  private FakeSnapshotController snapshots;

  private KubeVirtSimulator(Builder b, KubernetesClient client, @Nullable KubernetesClient own) {
    this.faults = b.faults;
    this.latencies = b.latencies;
    this.client = client;
    this.ownClient = own;
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of a {@link KubeVirtSimulator}. */
  public static final class Builder {
    private Latencies latencies = new Latencies(Duration.ofMillis(20));
    private Faults faults = new Faults();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private final List<String> featureGates = new ArrayList<>();
    private final Set<String> knownImages = new LinkedHashSet<>(CONTAINER_DISK_IMAGES);
    private final Map<String, Boolean> guestAgents = new LinkedHashMap<>();
    private boolean defaultGuestAgent = true;
    private @Nullable Duration agentDelay;
    private final Map<String, List<String>> logLines = new LinkedHashMap<>();
    private List<FakeCdiController.GoldenImage> goldenImages =
        FakeCdiController.DEFAULT_GOLDEN_IMAGES;
    private int nodes = 3;
    private boolean kubeVirtCr = true;
    private boolean events = true;

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
     * Watches only these namespaces (default: all). The golden-image namespace is watched for
     * claims regardless.
     *
     * @param namespaces the namespaces
     * @return this builder
     */
    public Builder namespaces(String... namespaces) {
      this.namespaces.addAll(List.of(namespaces));
      return this;
    }

    /**
     * The KubeVirt CR's {@code spec.configuration.developerConfiguration.featureGates} (default:
     * none, as a fresh KubeVirt v1.9 install).
     *
     * @param gates e.g. {@code EnableVirtioFsStorageVolumes}
     * @return this builder
     */
    public Builder featureGates(String... gates) {
      this.featureGates.clear();
      this.featureGates.addAll(List.of(gates));
      return this;
    }

    /**
     * Adds images the kubelet pulls successfully (containers and containerDisks).
     *
     * @param images the images
     * @return this builder
     */
    public Builder knownImages(String... images) {
      this.knownImages.addAll(List.of(images));
      return this;
    }

    /**
     * Whether VMs of a workload have a guest agent (default: yes).
     *
     * @param workload the workload's name
     * @param present whether they do
     * @return this builder
     */
    public Builder guestAgent(String workload, boolean present) {
      this.guestAgents.put(requireNonNull(workload, "workload"), present);
      return this;
    }

    /**
     * Whether VMs have a guest agent unless set per workload (default: yes).
     *
     * @param present whether they do
     * @return this builder
     */
    public Builder defaultGuestAgent(boolean present) {
      this.defaultGuestAgent = present;
      return this;
    }

    /**
     * How long after a VMI runs its guest agent connects (default: one step's latency).
     *
     * @param delay the delay
     * @return this builder
     */
    public Builder agentDelay(Duration delay) {
      this.agentDelay = requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Lines every container of this name writes to its log once it runs.
     *
     * @param container the container's name
     * @param lines the lines
     * @return this builder
     */
    public Builder logLines(String container, String... lines) {
      this.logLines.put(requireNonNull(container, "container"), List.of(lines));
      return this;
    }

    /**
     * The golden images to seed (default {@link FakeCdiController#DEFAULT_GOLDEN_IMAGES}; empty for
     * none).
     *
     * @param images the images
     * @return this builder
     */
    public Builder goldenImages(List<FakeCdiController.GoldenImage> images) {
      this.goldenImages = List.copyOf(images);
      return this;
    }

    /**
     * How many fake nodes (default 3).
     *
     * @param count the count
     * @return this builder
     */
    public Builder nodes(int count) {
      this.nodes = count;
      return this;
    }

    /**
     * Whether to create the KubeVirt CR (and, where missing, its minimal CRD); default true.
     *
     * @param create whether to
     * @return this builder
     */
    public Builder kubeVirtCr(boolean create) {
      this.kubeVirtCr = create;
      return this;
    }

    /**
     * Whether the kubelet writes core/v1 Events (default true).
     *
     * @param events whether it does
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
    public KubeVirtSimulator start(Config config) {
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
     */
    public KubeVirtSimulator start(KubernetesClient client) {
      return start(requireNonNull(client, "client"), null);
    }

    private KubeVirtSimulator start(KubernetesClient client, @Nullable KubernetesClient own) {
      KubeVirtSimulator sim = new KubeVirtSimulator(this, client, own);
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
    if (b.kubeVirtCr) {
      ensureKubeVirtCr(b.featureGates);
    }
    provisioner =
        FakeVolumeProvisioner.start(
            client,
            latencies,
            faults,
            b.namespaces.isEmpty()
                ? Set.of()
                : with(b.namespaces, FakeCdiController.GOLDEN_IMAGE_NAMESPACE));
    started.add(provisioner);
    FakeKubelet.Builder kb =
        FakeKubelet.builder(client)
            .latencies(latencies)
            .faults(faults)
            .nodes(b.nodes)
            .events(b.events)
            .knownImages(b.knownImages)
            .execProbe(this::execProbe);
    if (ns.length > 0) {
      kb.namespaces(ns);
    }
    b.logLines.forEach((c, lines) -> kb.logLines(c, lines.toArray(String[]::new)));
    kubelet = kb.start();
    started.add(kubelet);
    FakeVirtController.Builder vb =
        FakeVirtController.builder(client).latencies(latencies).faults(faults);
    if (ns.length > 0) {
      vb.namespaces(ns);
    }
    FakeVirtController v = vb.start();
    v.defaultGuestAgent(b.defaultGuestAgent);
    if (b.agentDelay != null) {
      v.agentDelay(b.agentDelay);
    }
    b.guestAgents.forEach(v::guestAgent);
    virt = v;
    started.add(v);
    cdi = FakeCdiController.start(client, latencies, faults, b.namespaces);
    started.add(cdi);
    if (!b.goldenImages.isEmpty()) {
      cdi.seedGoldenImages(b.goldenImages);
    }
    snapshots = FakeSnapshotController.start(client, latencies, b.namespaces);
    started.add(snapshots);
    log.debug("KubeVirt simulator started ({} per step)", latencies.step());
  }

  private static Set<String> with(Set<String> set, String extra) {
    Set<String> out = new LinkedHashSet<>(set);
    out.add(extra);
    return out;
  }

  /** Exec readiness probes: {@code virt-probe --guest-agent-ping} passes once the agent is up. */
  private boolean execProbe(Pod pod, String container, List<String> command) {
    if (command.contains("--guest-agent-ping")) {
      FakeVirtController v = virt;
      String vmi = Gkr.labels(pod).get(KubeVirtResources.VM_NAME_LABEL);
      return v != null && vmi != null && v.agentConnected(pod.getMetadata().getNamespace(), vmi);
    }
    return true;
  }

  private void ensureKubeVirtCr(List<String> gates) {
    String crdName = "kubevirts.kubevirt.io";
    if (client.apiextensions().v1().customResourceDefinitions().withName(crdName).get() == null) {
      for (CustomResourceDefinition crd : EmbeddedKubernetes.minimalKubeVirtCrds()) {
        if (crd.getMetadata().getName().equals(crdName)) {
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
      if (!isMock()) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(crdName)
            .waitUntilCondition(
                c ->
                    c != null
                        && c.getStatus() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                x ->
                                    x.getType().equals("Established")
                                        && x.getStatus().equals("True")),
                60,
                TimeUnit.SECONDS);
      }
    }
    if (client.namespaces().withName(KUBEVIRT_NAMESPACE).get() == null) {
      try {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder()
                    .withNewMetadata()
                    .withName(KUBEVIRT_NAMESPACE)
                    .endMetadata()
                    .build())
            .create();
      } catch (RuntimeException e) {
        if (!Controller.isStatus(e, 409)) {
          throw e;
        }
      }
    }
    GenericKubernetesResource kv =
        client
            .genericKubernetesResources(KubeVirtResources.KUBEVIRT)
            .inNamespace(KUBEVIRT_NAMESPACE)
            .withName("kubevirt")
            .get();
    if (kv == null) {
      GenericKubernetesResource cr = new GenericKubernetesResource();
      cr.setApiVersion(KubeVirtResources.apiVersion(KubeVirtResources.KUBEVIRT));
      cr.setKind("KubeVirt");
      cr.setMetadata(
          new ObjectMetaBuilder().withName("kubevirt").withNamespace(KUBEVIRT_NAMESPACE).build());
      cr.setAdditionalProperty(
          "spec",
          Json.obj(
              "certificateRotateStrategy",
              Map.of(),
              "configuration",
              Json.obj("developerConfiguration", Json.obj("featureGates", List.copyOf(gates))),
              "customizeComponents",
              Map.of(),
              "imagePullPolicy",
              "IfNotPresent",
              "workloadUpdateStrategy",
              Map.of()));
      kv =
          client
              .genericKubernetesResources(KubeVirtResources.KUBEVIRT)
              .inNamespace(KUBEVIRT_NAMESPACE)
              .resource(cr)
              .create();
    } else {
      kv = setGates(kv, gates);
    }
    String now = Controller.now();
    Map<String, Object> status =
        Json.obj(
            "phase",
            "Deployed",
            "observedKubeVirtVersion",
            KubeVirtResources.KUBEVIRT_VERSION,
            "targetKubeVirtVersion",
            KubeVirtResources.KUBEVIRT_VERSION,
            "observedKubeVirtRegistry",
            "quay.io/kubevirt",
            "targetKubeVirtRegistry",
            "quay.io/kubevirt",
            "operatorVersion",
            KubeVirtResources.KUBEVIRT_VERSION,
            "defaultArchitecture",
            "amd64",
            "conditions",
            List.of(
                condition("Available", "True", now, "All components are ready."),
                condition("Progressing", "False", now, "All components are ready."),
                condition("Degraded", "False", now, "All components are ready.")));
    Gkr.writeStatus(client, KubeVirtResources.KUBEVIRT, kv, status);
  }

  /** The CRUD mock (plain HTTP here) keeps CRDs without status; a real server establishes them. */
  private boolean isMock() {
    return !client.getMasterUrl().getProtocol().equals("https");
  }

  private static Map<String, Object> condition(String type, String status, String now, String msg) {
    return Json.obj(
        "type",
        type,
        "status",
        status,
        "reason",
        "AllComponentsReady",
        "message",
        msg,
        "lastProbeTime",
        now,
        "lastTransitionTime",
        now);
  }

  private GenericKubernetesResource setGates(GenericKubernetesResource kv, List<String> gates) {
    Map<String, Object> spec = Gkr.spec(kv);
    List<Map<String, Object>> ops = new ArrayList<>();
    if (!spec.containsKey("configuration")) {
      ops.add(
          Gkr.op(
              "add",
              "/spec/configuration",
              Json.obj("developerConfiguration", Json.obj("featureGates", List.copyOf(gates)))));
    } else if (!Json.map(spec, "configuration").containsKey("developerConfiguration")) {
      ops.add(
          Gkr.op(
              "add",
              "/spec/configuration/developerConfiguration",
              Json.obj("featureGates", List.copyOf(gates))));
    } else {
      ops.add(
          Gkr.op(
              "add",
              "/spec/configuration/developerConfiguration/featureGates",
              List.copyOf(gates)));
    }
    return Gkr.jsonPatch(
        client,
        KubeVirtResources.KUBEVIRT,
        kv.getMetadata().getNamespace(),
        kv.getMetadata().getName(),
        ops);
  }

  // ------------------------------------------------------------------ runtime

  /**
   * Replaces the KubeVirt CR's feature gates.
   *
   * @param gates the gates
   * @return this simulator
   */
  public KubeVirtSimulator featureGates(String... gates) {
    GenericKubernetesResource kv =
        client
            .genericKubernetesResources(KubeVirtResources.KUBEVIRT)
            .inNamespace(KUBEVIRT_NAMESPACE)
            .withName("kubevirt")
            .get();
    if (kv == null) {
      throw new IllegalStateException("no KubeVirt CR kubevirt/kubevirt (kubeVirtCr(false)?)");
    }
    setGates(kv, List.of(gates));
    return this;
  }

  /**
   * Sets whether VMs of a workload have a guest agent (from their next start).
   *
   * @param workload the workload's name
   * @param present whether they do
   * @return this simulator
   */
  public KubeVirtSimulator guestAgent(String workload, boolean present) {
    virtController().guestAgent(workload, present);
    return this;
  }

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
   * The kubelet (e.g. for pod logs).
   *
   * @return the kubelet
   */
  public FakeKubelet kubelet() {
    return kubelet;
  }

  /**
   * The virt-controller.
   *
   * @return the controller
   */
  public FakeVirtController virtController() {
    FakeVirtController v = virt;
    if (v == null) {
      throw new IllegalStateException("not started");
    }
    return v;
  }

  /**
   * The CDI controller (e.g. to seed more golden images).
   *
   * @return the controller
   */
  public FakeCdiController cdi() {
    return cdi;
  }

  /**
   * The client the simulators use.
   *
   * @return the client
   */
  public KubernetesClient client() {
    return client;
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
    return "KubeVirtSimulator{" + latencies.step() + " per step}";
  }
}
