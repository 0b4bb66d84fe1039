package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.Faults.StageFault;
import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Images;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Does for Pods what a scheduler and kubelets would, on any Kubernetes API reached through a
 * fabric8 client (the {@linkplain EmbeddedKubernetes embedded mock} or a {@linkplain KubeApiServer
 * real API server} without nodes). It watches pods and moves each through the steps a real cluster
 * takes, one {@linkplain Latencies latency} apart, writing status through the {@code /status}
 * subresource:
 *
 * <ol>
 *   <li>Scheduling: binds the pod to one of its fake nodes with the {@code pods/binding}
 *       subresource (a JSON patch of {@code spec.nodeName} only where the server has no binding,
 *       i.e. the CRUD mock), giving {@code PodScheduled=True}. A pod whose claims are missing or
 *       unbound stays {@code PodScheduled=False}, reason {@code Unschedulable}, until they are
 *       bound.
 *   <li>Creating: {@code Initialized=True}, {@code hostIP}, {@code startTime}, containers waiting
 *       {@code ContainerCreating}. A pod whose Secret or ConfigMap volumes do not exist stays there
 *       (event {@code FailedMount}) until they do.
 *   <li>Running: images are pulled; an image not in the known set fails as a real kubelet does
 *       ({@code ErrImagePull}, then {@code ImagePullBackOff}). Otherwise containers run ({@code
 *       state.running.startedAt}), {@code phase: Running}, {@code podIP}/{@code podIPs}, log line
 *       {@code Started container <name>} plus the lines configured for the container's name.
 *   <li>Readiness: a container without a readiness probe is ready when it runs. One with a probe
 *       becomes ready one step later only if the probe can pass: an exec probe (answered by the
 *       {@link ExecProbe}, default: passes), or a tcpSocket/httpGet/grpc probe of a port the
 *       container declares in {@code ports[]}. A probe of an undeclared port never passes: the pod
 *       stays {@code Ready=False} for ever, as with a real "connection refused".
 *   <li>Deletion: a pod bound to a fake node whose deletion was requested is finished off the way a
 *       kubelet does, with a DELETE of grace period 0 (on a real API server pods otherwise stay
 *       Terminating, and so does their namespace).
 * </ol>
 *
 * <p>Faults come from {@link Faults}, by the pod's {@value Faults#WORKLOAD_LABEL} label. It also
 * writes core/v1 Events ({@code Scheduled}, {@code FailedScheduling}, {@code Pulled}, {@code
 * Failed}, {@code BackOff}, {@code Started}, {@code Unhealthy}, {@code FailedMount}).
 *
 * <p>What it does not simulate: resource accounting on nodes (every pod fits unless a fault says
 * otherwise), init containers beyond marking them completed, liveness and startup probes, container
 * restarts other than the crash fault, exec/attach/port-forward, volume contents, preemption, node
 * failures. Logs are only the lines described above.
 *
 * @since 0.1.0
 */
public final class FakeKubelet implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FakeKubelet.class);

  /** The virt-launcher image the fake virt-controller puts in launcher pods: {@value}. */
  public static final String VIRT_LAUNCHER_IMAGE = "quay.io/kubevirt/virt-launcher:v1.9.0";

  /** Images every kubelet knows, so pods using them start. */
  public static final List<String> DEFAULT_KNOWN_IMAGES =
      List.of(
          "python:3.12-slim",
          "busybox",
          "busybox:1.36",
          "nginx:1.27",
          "registry.k8s.io/volume-nfs:0.8",
          "dperson/samba",
          VIRT_LAUNCHER_IMAGE);

  /** Answers exec readiness probes. */
  @FunctionalInterface
  public interface ExecProbe {
    /**
     * Whether an exec probe passes now.
     *
     * @param pod the pod
     * @param container the container's name
     * @param command the probe's command
     * @return whether it exits 0
     */
    boolean passes(Pod pod, String container, List<String> command);
  }

  /**
   * What the log subresource answers.
   *
   * @param code the HTTP status
   * @param body the log text (200) or the error message
   */
  record LogReply(int code, String body) {}

  private final Kubelet controller;
  private final Faults faults;
  private final Latencies latencies;
  private final List<String> nodes;
  private final Set<String> knownImages = ConcurrentHashMap.newKeySet();
  private final Map<String, List<String>> configuredLines = new ConcurrentHashMap<>();
  private final Map<String, PodLog> logs = new ConcurrentHashMap<>();
  private final ExecProbe execProbe;
  private final boolean events;

  private FakeKubelet(Builder b) {
    this.faults = b.faults;
    this.latencies = b.latencies;
    this.events = b.events;
    this.execProbe = b.execProbe;
    List<String> n = new ArrayList<>();
    for (int i = 1; i <= b.nodes; i++) {
      n.add(b.nodePrefix + i);
    }
    this.nodes = List.copyOf(n);
    b.knownImages.forEach(i -> knownImages.add(Images.normalize(i)));
    configuredLines.putAll(b.lines);
    this.controller = new Kubelet(b.client, b.namespaces, b.workers);
  }

  /**
   * A builder of a kubelet for the client's cluster.
   *
   * @param client the client it reads and writes with (give it its own user agent, e.g. {@code
   *     convergence-simulator/...}, so its requests can be told apart)
   * @return the builder
   */
  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /**
   * Starts a kubelet with the defaults (20ms per step, no faults, all namespaces, three nodes).
   *
   * @param client the client
   * @return the running kubelet
   */
  public static FakeKubelet start(KubernetesClient client) {
    return builder(client).start();
  }

  /** Settings of a {@link FakeKubelet}. */
  public static final class Builder {
    private final KubernetesClient client;
    private Latencies latencies = new Latencies(Duration.ofMillis(20));
    private Faults faults = new Faults();
    private final Set<String> namespaces = new LinkedHashSet<>();
    private int nodes = 3;
    private String nodePrefix = "sim-node-";
    private final Set<String> knownImages = new LinkedHashSet<>(DEFAULT_KNOWN_IMAGES);
    private final Map<String, List<String>> lines = new LinkedHashMap<>();
    private ExecProbe execProbe = (pod, container, command) -> true;
    private boolean events = true;
    private int workers = 4;

    private Builder(KubernetesClient client) {
      this.client = requireNonNull(client, "client");
    }

    /**
     * Shares latencies with other simulators.
     *
     * @param latencies the latencies
     * @return this builder
     */
    public Builder latencies(Latencies latencies) {
      this.latencies = requireNonNull(latencies, "latencies");
      return this;
    }

    /**
     * Sets the default latency of each step (default 20ms).
     *
     * @param step the latency
     * @return this builder
     */
    public Builder latency(Duration step) {
      this.latencies = new Latencies(step);
      return this;
    }

    /**
     * Shares faults with other simulators.
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
     * Sets how many fake nodes there are (default 3), named {@code sim-node-1} and so on.
     *
     * @param count the number of nodes
     * @return this builder
     */
    public Builder nodes(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("count must be >= 1: " + count);
      }
      this.nodes = count;
      return this;
    }

    /**
     * Adds images that pull successfully, besides {@link #DEFAULT_KNOWN_IMAGES}.
     *
     * @param images image references ({@code busybox} and {@code docker.io/library/busybox:latest}
     *     are the same image)
     * @return this builder
     */
    public Builder knownImages(Collection<String> images) {
      this.knownImages.addAll(images);
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
      this.lines.put(requireNonNull(container, "container"), List.of(lines));
      return this;
    }

    /**
     * Answers exec readiness probes (default: they pass).
     *
     * @param execProbe the answer
     * @return this builder
     */
    public Builder execProbe(ExecProbe execProbe) {
      this.execProbe = requireNonNull(execProbe, "execProbe");
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
     * Sets how many pods are worked on at once (default 4).
     *
     * @param workers the number of worker threads
     * @return this builder
     */
    public Builder workers(int workers) {
      this.workers = Math.max(1, workers);
      return this;
    }

    /**
     * Registers the nodes, starts watching and returns once the caches are filled.
     *
     * @return the running kubelet
     */
    public FakeKubelet start() {
      FakeKubelet k = new FakeKubelet(this);
      k.registerNodes();
      k.controller.start();
      return k;
    }
  }

  // ------------------------------------------------------------------ public API

  /**
   * The log of a pod: every line of every container, in the order written.
   *
   * @param namespace the pod's namespace
   * @param pod the pod's name
   * @return the lines, empty when the pod has not run
   */
  public List<String> logs(String namespace, String pod) {
    PodLog l = logs.get(namespace + "/" + pod);
    return l == null ? List.of() : List.copyOf(l.all);
  }

  /**
   * The log of one container of a pod.
   *
   * @param namespace the pod's namespace
   * @param pod the pod's name
   * @param container the container's name
   * @return the lines, empty when it has not run
   */
  public List<String> logs(String namespace, String pod, String container) {
    PodLog l = logs.get(namespace + "/" + pod);
    List<String> lines = l == null ? null : l.byContainer.get(container);
    return lines == null ? List.of() : List.copyOf(lines);
  }

  /**
   * Sets the lines containers of this name write once they run (for pods started later).
   *
   * @param container the container's name
   * @param lines the lines
   * @return this kubelet
   */
  public FakeKubelet logLines(String container, String... lines) {
    configuredLines.put(requireNonNull(container, "container"), List.of(lines));
    return this;
  }

  /**
   * Adds images that pull successfully.
   *
   * @param images the images
   * @return this kubelet
   */
  public FakeKubelet addKnownImages(String... images) {
    for (String i : images) {
      knownImages.add(Images.normalize(i));
    }
    return this;
  }

  /**
   * Whether an image pulls successfully.
   *
   * @param image the image reference
   * @return whether it is known
   */
  public boolean isKnownImage(String image) {
    return knownImages.contains(Images.normalize(image));
  }

  /**
   * The faults this kubelet applies.
   *
   * @return the faults
   */
  public Faults faults() {
    return faults;
  }

  /**
   * The latencies this kubelet uses.
   *
   * @return the latencies
   */
  public Latencies latencies() {
    return latencies;
  }

  /**
   * The fake nodes' names.
   *
   * @return the names
   */
  public List<String> nodeNames() {
    return nodes;
  }

  /**
   * Whether pods are bound through the {@code pods/binding} subresource (a real API server), or
   * with a JSON patch of {@code spec.nodeName} (the CRUD mock, which has no binding).
   *
   * @return whether the subresource is used
   */
  public boolean bindsWithSubresource() {
    return controller.bindingSupported;
  }

  /** Stops watching; pods keep their last status. */
  @Override
  public void close() {
    controller.close();
  }

  @Override
  public String toString() {
    return "FakeKubelet{nodes=" + nodes + "}";
  }

  // ------------------------------------------------------------------ logs subresource

  /** What {@code GET .../pods/{pod}/log} answers, as the real API server would. */
  LogReply readLog(
      String namespace, String podName, @Nullable String container, @Nullable Integer tail) {
    Pod pod = controller.pods.get(namespace, podName);
    if (pod == null) {
      return new LogReply(404, "pods \"" + podName + "\" not found");
    }
    List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
    String c = container;
    if (c == null || c.isEmpty()) {
      if (names.size() != 1) {
        return new LogReply(
            400,
            "a container name must be specified for pod "
                + podName
                + ", choose one of: ["
                + String.join(" ", names)
                + "]");
      }
      c = names.get(0);
    }
    if (!names.contains(c)) {
      return new LogReply(400, "container " + c + " is not valid for pod " + podName);
    }
    if (pod.getSpec().getNodeName() == null) {
      return new LogReply(400, "pod " + podName + " does not have a host assigned");
    }
    Optional<ContainerStatus> cs = containerStatus(pod, c);
    if (cs.isEmpty() || cs.get().getState() == null || cs.get().getState().getWaiting() != null) {
      String reason =
          cs.map(ContainerStatus::getState)
              .map(ContainerState::getWaiting)
              .map(w -> w.getReason())
              .orElse("ContainerCreating");
      String why =
          reason.equals("ErrImagePull") || reason.equals("ImagePullBackOff")
              ? "trying and failing to pull image"
              : reason;
      if (cs.map(s -> s.getRestartCount() != null && s.getRestartCount() > 0).orElse(false)) {
        // a crash-looping container still has the log of its last run
        why = null;
      }
      if (why != null) {
        return new LogReply(
            400, "container \"" + c + "\" in pod \"" + podName + "\" is waiting to start: " + why);
      }
    }
    List<String> lines = logs(namespace, podName, c);
    if (tail != null && tail >= 0 && tail < lines.size()) {
      lines = lines.subList(lines.size() - tail, lines.size());
    }
    StringBuilder sb = new StringBuilder();
    lines.forEach(l -> sb.append(l).append('\n'));
    return new LogReply(200, sb.toString());
  }

  private static final class PodLog {
    final String uid;
    final List<String> all = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> byContainer = new ConcurrentHashMap<>();

    PodLog(String uid) {
      this.uid = uid;
    }

    void add(String container, String line) {
      all.add(line);
      byContainer.computeIfAbsent(container, k -> new CopyOnWriteArrayList<>()).add(line);
    }
  }

  // ------------------------------------------------------------------ nodes

  private void registerNodes() {
    KubernetesClient client = controller.client();
    for (int i = 0; i < nodes.size(); i++) {
      String name = nodes.get(i);
      Node node =
          new NodeBuilder()
              .withNewMetadata()
              .withName(name)
              .addToLabels("kubernetes.io/hostname", name)
              .addToLabels("kubernetes.io/os", "linux")
              .addToLabels("kubernetes.io/arch", "amd64")
              .addToLabels("kubevirt.io/schedulable", "true")
              .endMetadata()
              .build();
      try {
        if (client.nodes().withName(name).get() == null) {
          client.nodes().resource(node).create();
        }
        Node current = client.nodes().withName(name).get();
        if (current != null
            && (current.getStatus() == null || current.getStatus().getConditions().isEmpty())) {
          current.setStatus(
              new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                  .addNewCondition()
                  .withType("Ready")
                  .withStatus("True")
                  .withReason("KubeletReady")
                  .withMessage("kubelet is posting ready status")
                  .withLastHeartbeatTime(Controller.now())
                  .withLastTransitionTime(Controller.now())
                  .endCondition()
                  .addNewAddress()
                  .withType("InternalIP")
                  .withAddress(hostIp(name))
                  .endAddress()
                  .addNewAddress()
                  .withType("Hostname")
                  .withAddress(name)
                  .endAddress()
                  .addToCapacity("cpu", new Quantity("16"))
                  .addToCapacity("memory", new Quantity("64Gi"))
                  .addToCapacity("pods", new Quantity("110"))
                  .addToAllocatable("cpu", new Quantity("16"))
                  .addToAllocatable("memory", new Quantity("64Gi"))
                  .addToAllocatable("pods", new Quantity("110"))
                  .withNewNodeInfo()
                  .withKubeletVersion("v1.20.2")
                  .withContainerRuntimeVersion("containerd://1.7.0")
                  .withOperatingSystem("linux")
                  .withArchitecture("amd64")
                  .withOsImage("Convergence simulated node")
                  .withKernelVersion("6.1.0")
                  .withKubeProxyVersion("v1.20.2")
                  .withMachineID(sha(name).substring(0, 32))
                  .withSystemUUID(sha(name + "uuid").substring(0, 32))
                  .withBootID(sha(name + "boot").substring(0, 32))
                  .endNodeInfo()
                  .build());
          client.nodes().resource(current).updateStatus();
        }
      } catch (RuntimeException e) {
        // Nodes are a courtesy (a backend may list them); pods run without them.
        log.warn("could not register node {}: {}", name, e.getMessage());
      }
    }
  }

  private String hostIp(String node) {
    return "192.168.58." + (10 + nodes.indexOf(node) + 1);
  }

  // ------------------------------------------------------------------ the controller

  private final class Kubelet extends Controller {

    final Cache<Pod> pods = new Cache<>();
    final Cache<PersistentVolumeClaim> claims = new Cache<>();
    final Cache<Secret> secrets = new Cache<>();
    final Cache<ConfigMap> configMaps = new Cache<>();
    private final Set<String> namespaces;
    private volatile boolean bindingSupported;
    private final AtomicLong ipCounter = new AtomicLong();
    private final AtomicInteger nextNode = new AtomicInteger();
    private final Map<String, String> podIps = new ConcurrentHashMap<>();
    private final Set<String> emitted = ConcurrentHashMap.newKeySet();

    Kubelet(KubernetesClient client, Set<String> namespaces, int workers) {
      super("kubelet", client, workers);
      this.namespaces = Set.copyOf(namespaces);
    }

    KubernetesClient client() {
      return client;
    }

    @Override
    protected void startInformers() {
      bindingSupported = detectBinding();
      if (namespaces.isEmpty()) {
        inform(client.pods().inAnyNamespace(), pods, p -> List.of(key("pod", p)));
        inform(
            client.persistentVolumeClaims().inAnyNamespace(), claims, this::podsWaitingInNamespace);
        inform(client.secrets().inAnyNamespace(), secrets, this::podsWaitingInNamespace);
        inform(client.configMaps().inAnyNamespace(), configMaps, this::podsWaitingInNamespace);
      } else {
        for (String ns : namespaces) {
          inform(client.pods().inNamespace(ns), pods, p -> List.of(key("pod", p)));
          inform(
              client.persistentVolumeClaims().inNamespace(ns),
              claims,
              this::podsWaitingInNamespace);
          inform(client.secrets().inNamespace(ns), secrets, this::podsWaitingInNamespace);
          inform(client.configMaps().inNamespace(ns), configMaps, this::podsWaitingInNamespace);
        }
      }
    }

    private boolean detectBinding() {
      try {
        APIResourceList l = client.getApiResources("v1");
        return l != null
            && l.getResources().stream().map(APIResource::getName).anyMatch("pods/binding"::equals);
      } catch (RuntimeException e) {
        return false;
      }
    }

    /** Pods of the namespace that wait for a claim, a Secret or a ConfigMap. */
    private Collection<String> podsWaitingInNamespace(HasMetadata changed) {
      List<String> keys = new ArrayList<>();
      for (Pod p : pods.list(changed.getMetadata().getNamespace())) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if (phase == null || phase.equals("Pending")) {
          keys.add(key("pod", p));
        }
      }
      return keys;
    }

    @Override
    protected void onDeleted(HasMetadata obj) {
      if (obj instanceof Pod p) {
        String k = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
        PodLog l = logs.get(k);
        if (l != null && l.uid.equals(p.getMetadata().getUid())) {
          logs.remove(k);
        }
        podIps.remove(p.getMetadata().getUid());
        emitted.removeIf(e -> e.startsWith(p.getMetadata().getUid()));
      }
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      String ns = k[1];
      String name = k[2];
      Pod pod = pods.get(ns, name);
      if (pod == null) {
        forget(key);
        return;
      }
      String uid = pod.getMetadata().getUid();
      String workload = labels(pod).get(Faults.WORKLOAD_LABEL);
      Duration latency = latencies.of(workload);
      String node = pod.getSpec().getNodeName();
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        if (node != null && nodes.contains(node) && due(key, uid, "terminate", latency)) {
          client.pods().inNamespace(ns).withName(name).withGracePeriod(0).delete();
          done(key, uid, "terminate");
        }
        return;
      }
      if (node == null || node.isEmpty()) {
        schedule(key, pod, workload, latency);
        return;
      }
      if (!nodes.contains(node)) {
        return; // another kubelet's pod
      }
      PodStatus status = pod.getStatus();
      String phase = status == null ? null : status.getPhase();
      if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
        return;
      }
      if (status == null || status.getContainerStatuses().isEmpty()) {
        if (due(key, uid, "create", latency)) {
          writeCreating(pod, node);
          done(key, uid, "create");
        }
        return;
      }
      if (!"Running".equals(phase)) {
        startContainers(key, pod, workload, latency);
        return;
      }
      running(key, pod, workload, latency);
    }

    // ---------------------------------------------------------------- scheduling

    private void schedule(String key, Pod pod, @Nullable String workload, Duration latency) {
      String uid = pod.getMetadata().getUid();
      Optional<StageFault> fault = faults.at(workload, Stage.SCHEDULED);
      if (fault.isPresent() && fault.get().hang()) {
        return;
      }
      String unschedulable = fault.map(StageFault::message).orElse(null);
      if (unschedulable == null) {
        unschedulable = claimProblem(pod);
      }
      if (unschedulable != null) {
        String step = "unschedulable:" + unschedulable;
        if (due(key, uid, step, latency)) {
          markUnschedulable(pod, unschedulable);
          done(key, uid, step);
        }
        return;
      }
      if (!due(key, uid, "schedule", latency)) {
        return;
      }
      String node = nodes.get(Math.floorMod(nextNode.getAndIncrement(), nodes.size()));
      bind(pod, node);
      done(key, uid, "schedule");
      event(
          pod,
          "Normal",
          "Scheduled",
          "Successfully assigned "
              + pod.getMetadata().getNamespace()
              + "/"
              + pod.getMetadata().getName()
              + " to "
              + node,
          "default-scheduler",
          null);
    }

    private @Nullable String claimProblem(Pod pod) {
      String ns = pod.getMetadata().getNamespace();
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getPersistentVolumeClaim() == null) {
          continue;
        }
        String claim = v.getPersistentVolumeClaim().getClaimName();
        PersistentVolumeClaim pvc = claims.get(ns, claim);
        if (pvc == null) {
          return "0/"
              + nodes.size()
              + " nodes are available: persistentvolumeclaim \""
              + claim
              + "\" not found.";
        }
        if (pvc.getMetadata().getDeletionTimestamp() != null) {
          return "0/"
              + nodes.size()
              + " nodes are available: persistentvolumeclaim \""
              + claim
              + "\" is being deleted.";
        }
        if (pvc.getStatus() == null || !"Bound".equals(pvc.getStatus().getPhase())) {
          return "0/"
              + nodes.size()
              + " nodes are available: "
              + nodes.size()
              + " pod has unbound immediate PersistentVolumeClaims.";
        }
      }
      return null;
    }

    private void markUnschedulable(Pod pod, String message) {
      Pod copy = client.getKubernetesSerialization().clone(pod);
      PodStatus st = copy.getStatus() == null ? new PodStatus() : copy.getStatus();
      st.setPhase("Pending");
      st.setConditions(
          mergeConditions(
              st.getConditions(),
              List.of(condition("PodScheduled", false, "Unschedulable", message))));
      copy.setStatus(st);
      client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
      event(pod, "Warning", "FailedScheduling", message, "default-scheduler", null);
    }

    private void bind(Pod pod, String node) {
      String ns = ns(pod);
      String name = pod.getMetadata().getName();
      if (bindingSupported) {
        var binding =
            new BindingBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .withUid(pod.getMetadata().getUid())
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(node)
                .endTarget()
                .build();
        String url =
            client.getMasterUrl().toString().replaceAll("/+$", "")
                + "/api/v1/namespaces/"
                + ns
                + "/pods/"
                + name
                + "/binding";
        try {
          client.raw(url, "POST", binding);
        } catch (RuntimeException e) {
          if (!isStatus(e, 409)) {
            throw e;
          }
        }
        return;
      }
      // The CRUD mock has no binding subresource: set what binding would have set.
      client
          .pods()
          .inNamespace(ns)
          .withName(name)
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"add\",\"path\":\"/spec/nodeName\",\"value\":\"" + node + "\"}]");
      Pod bound = client.pods().inNamespace(ns).withName(name).get();
      if (bound != null) {
        PodStatus st = bound.getStatus() == null ? new PodStatus() : bound.getStatus();
        st.setPhase("Pending");
        st.setConditions(
            mergeConditions(
                st.getConditions(), List.of(condition("PodScheduled", true, null, null))));
        bound.setStatus(st);
        client.pods().inNamespace(ns).resource(bound).updateStatus();
      }
    }

    // ---------------------------------------------------------------- creating, running

    private void writeCreating(Pod pod, String node) {
      Pod copy = client.getKubernetesSerialization().clone(pod);
      PodStatus st = copy.getStatus() == null ? new PodStatus() : copy.getStatus();
      st.setPhase("Pending");
      st.setHostIP(hostIp(node));
      st.setStartTime(Controller.now());
      st.setQosClass(qosClass(pod));
      boolean hasInit = !pod.getSpec().getInitContainers().isEmpty();
      st.setConditions(
          mergeConditions(
              st.getConditions(),
              List.of(
                  condition("Initialized", true, null, null),
                  condition("Ready", false, "ContainersNotReady", unready(pod, allNames(pod))),
                  condition(
                      "ContainersReady", false, "ContainersNotReady", unready(pod, allNames(pod))),
                  condition("PodScheduled", true, null, null))));
      if (hasInit) {
        List<ContainerStatus> init = new ArrayList<>();
        for (Container c : pod.getSpec().getInitContainers()) {
          init.add(
              new ContainerStatusBuilder()
                  .withName(c.getName())
                  .withImage(c.getImage())
                  .withImageID(imageId(c.getImage()))
                  .withContainerID(containerId(pod, c.getName()))
                  .withReady(true)
                  .withRestartCount(0)
                  .withState(
                      new ContainerStateBuilder()
                          .withNewTerminated()
                          .withExitCode(0)
                          .withReason("Completed")
                          .withStartedAt(Controller.now())
                          .withFinishedAt(Controller.now())
                          .withContainerID(containerId(pod, c.getName()))
                          .endTerminated()
                          .build())
                  .build());
        }
        st.setInitContainerStatuses(init);
      }
      List<ContainerStatus> cs = new ArrayList<>();
      for (Container c : pod.getSpec().getContainers()) {
        cs.add(waiting(c, "ContainerCreating", null, 0, null));
      }
      st.setContainerStatuses(cs);
      copy.setStatus(st);
      client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
    }

    private void startContainers(String key, Pod pod, @Nullable String workload, Duration latency) {
      String uid = pod.getMetadata().getUid();
      List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
      boolean pullErrors = statuses.stream().anyMatch(s -> "ErrImagePull".equals(waitingReason(s)));
      if (pullErrors) {
        if (due(key, uid, "backoff", latency)) {
          Pod copy = client.getKubernetesSerialization().clone(pod);
          for (ContainerStatus s : copy.getStatus().getContainerStatuses()) {
            if ("ErrImagePull".equals(waitingReason(s))) {
              s.getState().getWaiting().setReason("ImagePullBackOff");
              s.getState()
                  .getWaiting()
                  .setMessage("Back-off pulling image \"" + s.getImage() + "\"");
            }
          }
          client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
          done(key, uid, "backoff");
          event(
              pod,
              "Normal",
              "BackOff",
              "Back-off pulling image",
              "kubelet",
              pod.getSpec().getNodeName());
        }
        return;
      }
      boolean stuck =
          statuses.stream()
              .map(this::waitingReason)
              .anyMatch(r -> r != null && !r.equals("ContainerCreating"));
      if (stuck) {
        return; // ImagePullBackOff or an injected reason: stays until the pod is replaced
      }
      boolean launcher = "virt-launcher".equals(labels(pod).get("kubevirt.io"));
      if (hangs(workload, Stage.RUNNING)) {
        return;
      }
      Optional<StageFault> network =
          launcher ? Optional.empty() : faults.at(workload, Stage.NETWORK);
      if (network.isPresent()) {
        // no sandbox network: the pod stays ContainerCreating, as with a failing CNI plugin
        if (!network.get().hang() && emitted.add(uid + "/FailedCreatePodSandBox")) {
          event(
              pod,
              "Warning",
              "FailedCreatePodSandBox",
              "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup"
                  + " network for sandbox: "
                  + network.get().reason()
                  + ": "
                  + network.get().message(),
              "kubelet",
              pod.getSpec().getNodeName());
        }
        return;
      }
      String mountProblem = mountProblem(pod);
      if (mountProblem != null) {
        if (emitted.add(uid + "/FailedMount/" + mountProblem)) {
          event(
              pod, "Warning", "FailedMount", mountProblem, "kubelet", pod.getSpec().getNodeName());
        }
        return;
      }
      if (!due(key, uid, "run", latency)) {
        return;
      }
      Optional<StageFault> fault = faults.at(workload, Stage.RUNNING).filter(f -> !f.hang());
      if (fault.isPresent()
          && fault.get().reason().equals("CrashLoopBackOff")
          && "Never".equals(pod.getSpec().getRestartPolicy())) {
        // a pod that is never restarted cannot crash-loop: its container exits and it fails
        crash(pod);
        done(key, uid, "run");
        return;
      }
      Pod copy = client.getKubernetesSerialization().clone(pod);
      PodStatus st = copy.getStatus();
      List<ContainerStatus> out = new ArrayList<>();
      List<String[]> pullFailures = new ArrayList<>();
      boolean crashLoop = false;
      List<Container> containers = pod.getSpec().getContainers();
      for (int i = 0; i < containers.size(); i++) {
        Container c = containers.get(i);
        if (i == 0 && fault.isPresent()) {
          StageFault f = fault.get();
          if (f.reason().equals("CrashLoopBackOff")) {
            crashLoop = true;
            out.add(crashLooping(pod, c, f.message(), 1));
          } else {
            out.add(waiting(c, f.reason(), f.message(), 0, null));
            if (f.reason().equals("ErrImagePull")) {
              pullFailures.add(new String[] {c.getImage(), f.message()});
            }
          }
          continue;
        }
        if (!isKnownImage(c.getImage())) {
          String ref = Images.normalize(c.getImage());
          String msg =
              "rpc error: code = NotFound desc = failed to pull and unpack image \""
                  + ref
                  + "\": failed to resolve reference \""
                  + ref
                  + "\": "
                  + ref
                  + ": not found";
          out.add(waiting(c, "ErrImagePull", msg, 0, null));
          pullFailures.add(new String[] {c.getImage(), msg});
          continue;
        }
        out.add(runningStatus(pod, c, c.getReadinessProbe() == null));
      }
      boolean allRunning =
          crashLoop
              || out.stream()
                  .allMatch(s -> s.getState() != null && s.getState().getRunning() != null);
      st.setContainerStatuses(out);
      if (allRunning) {
        String ip = podIps.computeIfAbsent(uid, u -> allocateIp());
        st.setPhase("Running");
        st.setPodIP(ip);
        st.setPodIPs(List.of(new PodIPBuilder().withIp(ip).build()));
      }
      setReadiness(pod, st);
      copy.setStatus(st);
      client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
      done(key, uid, "run");
      String node = pod.getSpec().getNodeName();
      for (String[] failure : pullFailures) {
        event(pod, "Normal", "Pulling", "Pulling image \"" + failure[0] + "\"", "kubelet", node);
        event(
            pod,
            "Warning",
            "Failed",
            "Failed to pull image \"" + failure[0] + "\": " + failure[1],
            "kubelet",
            node);
      }
      if (fault.isPresent() && !fault.get().reason().equals("ErrImagePull")) {
        event(pod, "Warning", fault.get().reason(), fault.get().message(), "kubelet", node);
      }
      for (ContainerStatus s : out) {
        if (s.getState() != null && s.getState().getRunning() != null) {
          PodLog l =
              logs.computeIfAbsent(
                  ns(pod) + "/" + pod.getMetadata().getName(), x -> new PodLog(uid));
          l.add(s.getName(), "Started container " + s.getName());
          configuredLines
              .getOrDefault(s.getName(), List.of())
              .forEach(line -> l.add(s.getName(), line));
          event(pod, "Normal", "Started", "Started container " + s.getName(), "kubelet", node);
        }
      }
    }

    private void running(String key, Pod pod, @Nullable String workload, Duration latency) {
      String uid = pod.getMetadata().getUid();
      List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses();
      if (faults.crashes(workload)) {
        if (statuses.stream()
            .anyMatch(s -> s.getRestartCount() != null && s.getRestartCount() > 0)) {
          return; // crashed already
        }
        if (due(key, uid, "crash", latency)) {
          crash(pod);
          done(key, uid, "crash");
        }
        return;
      }
      if (statuses.stream()
          .anyMatch(s -> s.getState() == null || s.getState().getRunning() == null)) {
        return; // crash-looping
      }
      Optional<StageFault> probeFault = faults.at(workload, Stage.PROBE);
      for (Container c : pod.getSpec().getContainers()) {
        ContainerStatus s = containerStatus(pod, c.getName()).orElse(null);
        if (s == null || Boolean.TRUE.equals(s.getReady()) || c.getReadinessProbe() == null) {
          continue;
        }
        if (probeFault.isPresent()) {
          if (!probeFault.get().hang() && emitted.add(uid + "/Unhealthy/" + c.getName())) {
            event(
                pod,
                "Warning",
                "Unhealthy",
                "Readiness probe failed: " + probeFault.get().message(),
                "kubelet",
                pod.getSpec().getNodeName());
          }
          continue;
        }
        String refusal = probeRefusal(pod, c);
        if (refusal != null) {
          if (emitted.add(uid + "/Unhealthy/" + c.getName())) {
            event(
                pod,
                "Warning",
                "Unhealthy",
                "Readiness probe failed: " + refusal,
                "kubelet",
                pod.getSpec().getNodeName());
          }
          if (c.getReadinessProbe().getExec() != null) {
            // exec probes can start passing later: probe again after a period, as a kubelet does
            enqueueAfter(key, probePeriod(latency));
          }
          continue;
        }
        String step = "probe/" + c.getName();
        if (due(key, uid, step, latency)) {
          Pod copy = client.getKubernetesSerialization().clone(pod);
          containerStatus(copy, c.getName()).ifPresent(cs -> cs.setReady(true));
          setReadiness(pod, copy.getStatus());
          client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
          done(key, uid, step);
        }
        return; // one container at a time; the write's event brings the next
      }
    }

    private Duration probePeriod(Duration latency) {
      Duration min = latency.multipliedBy(4);
      if (min.toMillis() < 50) {
        min = Duration.ofMillis(50);
      }
      return min;
    }

    private void crash(Pod pod) {
      Pod copy = client.getKubernetesSerialization().clone(pod);
      PodStatus st = copy.getStatus();
      String restartPolicy = Objects.requireNonNullElse(pod.getSpec().getRestartPolicy(), "Always");
      List<ContainerStatus> out = new ArrayList<>();
      List<Container> containers = pod.getSpec().getContainers();
      String node = pod.getSpec().getNodeName();
      for (int i = 0; i < containers.size(); i++) {
        Container c = containers.get(i);
        ContainerStatus old = containerStatus(pod, c.getName()).orElse(null);
        String startedAt =
            old != null && old.getState() != null && old.getState().getRunning() != null
                ? old.getState().getRunning().getStartedAt()
                : Controller.now();
        if (restartPolicy.equals("Never")) {
          out.add(
              new ContainerStatusBuilder()
                  .withName(c.getName())
                  .withImage(c.getImage())
                  .withImageID(imageId(c.getImage()))
                  .withContainerID(containerId(pod, c.getName()))
                  .withReady(false)
                  .withStarted(false)
                  .withRestartCount(0)
                  .withState(
                      new ContainerStateBuilder()
                          .withNewTerminated()
                          .withExitCode(i == 0 ? 1 : 0)
                          .withReason(i == 0 ? "Error" : "Completed")
                          .withStartedAt(startedAt)
                          .withFinishedAt(Controller.now())
                          .withContainerID(containerId(pod, c.getName()))
                          .endTerminated()
                          .build())
                  .build());
        } else if (i == 0) {
          out.add(crashLooping(pod, c, null, 1));
        } else if (old != null) {
          out.add(old);
        }
      }
      st.setContainerStatuses(out);
      if (restartPolicy.equals("Never")) {
        st.setPhase("Failed");
      }
      setReadiness(pod, st);
      copy.setStatus(st);
      client.pods().inNamespace(ns(pod)).resource(copy).updateStatus();
      PodLog l = logs.get(ns(pod) + "/" + pod.getMetadata().getName());
      if (l != null && !containers.isEmpty()) {
        l.add(containers.get(0).getName(), "Error: process exited with code 1");
      }
      event(
          pod,
          "Warning",
          "BackOff",
          restartPolicy.equals("Never")
              ? "Container " + containers.get(0).getName() + " exited with code 1"
              : "Back-off restarting failed container " + containers.get(0).getName(),
          "kubelet",
          node);
    }

    private ContainerStatus crashLooping(
        Pod pod, Container c, @Nullable String message, int restarts) {
      String msg =
          message != null && !message.isEmpty()
              ? message
              : "back-off 10s restarting failed container="
                  + c.getName()
                  + " pod="
                  + pod.getMetadata().getName()
                  + "_"
                  + ns(pod)
                  + "("
                  + pod.getMetadata().getUid()
                  + ")";
      ContainerState last =
          new ContainerStateBuilder()
              .withNewTerminated()
              .withExitCode(1)
              .withReason("Error")
              .withStartedAt(Controller.now())
              .withFinishedAt(Controller.now())
              .withContainerID(containerId(pod, c.getName()))
              .endTerminated()
              .build();
      return waiting(c, "CrashLoopBackOff", msg, restarts, last);
    }

    // ---------------------------------------------------------------- probes, mounts

    private @Nullable String probeRefusal(Pod pod, Container c) {
      Probe p = c.getReadinessProbe();
      String ip = pod.getStatus().getPodIP();
      if (p.getExec() != null) {
        List<String> command = p.getExec().getCommand();
        return execProbe.passes(pod, c.getName(), command == null ? List.of() : command)
            ? null
            : "command " + command + " exited with 1";
      }
      IntOrString port = null;
      if (p.getTcpSocket() != null) {
        port = p.getTcpSocket().getPort();
      } else if (p.getHttpGet() != null) {
        port = p.getHttpGet().getPort();
      } else if (p.getGrpc() != null) {
        port = new IntOrString(p.getGrpc().getPort());
      }
      if (port == null) {
        return "probe has no handler";
      }
      for (ContainerPort cp : c.getPorts()) {
        if (port.getIntVal() != null && port.getIntVal().equals(cp.getContainerPort())) {
          return null;
        }
        if (port.getStrVal() != null && port.getStrVal().equals(cp.getName())) {
          return null;
        }
      }
      Object target = port.getIntVal() != null ? port.getIntVal() : port.getStrVal();
      if (p.getHttpGet() != null) {
        return "Get \"http://"
            + ip
            + ":"
            + target
            + Objects.requireNonNullElse(p.getHttpGet().getPath(), "/")
            + "\": dial tcp "
            + ip
            + ":"
            + target
            + ": connect: connection refused";
      }
      return "dial tcp " + ip + ":" + target + ": connect: connection refused";
    }

    private @Nullable String mountProblem(Pod pod) {
      String ns = ns(pod);
      for (Volume v : pod.getSpec().getVolumes()) {
        if (v.getSecret() != null
            && !Boolean.TRUE.equals(v.getSecret().getOptional())
            && secrets.get(ns, v.getSecret().getSecretName()) == null) {
          return "MountVolume.SetUp failed for volume \""
              + v.getName()
              + "\" : secret \""
              + v.getSecret().getSecretName()
              + "\" not found";
        }
        if (v.getConfigMap() != null
            && !Boolean.TRUE.equals(v.getConfigMap().getOptional())
            && configMaps.get(ns, v.getConfigMap().getName()) == null) {
          return "MountVolume.SetUp failed for volume \""
              + v.getName()
              + "\" : configmap \""
              + v.getConfigMap().getName()
              + "\" not found";
        }
      }
      return null;
    }

    // ---------------------------------------------------------------- status pieces

    private void setReadiness(Pod pod, PodStatus st) {
      List<String> unready = new ArrayList<>();
      for (ContainerStatus s : st.getContainerStatuses()) {
        if (!Boolean.TRUE.equals(s.getReady())) {
          unready.add(s.getName());
        }
      }
      boolean ready = unready.isEmpty() && "Running".equals(st.getPhase());
      String msg = ready ? null : unready(pod, unready);
      String reason =
          ready ? null : "Failed".equals(st.getPhase()) ? "PodFailed" : "ContainersNotReady";
      st.setConditions(
          mergeConditions(
              st.getConditions(),
              List.of(
                  condition("Initialized", true, null, null),
                  condition("Ready", ready, reason, msg),
                  condition("ContainersReady", ready, reason, msg),
                  condition("PodScheduled", true, null, null))));
    }

    private String unready(Pod pod, List<String> names) {
      return "containers with unready status: [" + String.join(" ", names) + "]";
    }

    private List<String> allNames(Pod pod) {
      return pod.getSpec().getContainers().stream().map(Container::getName).toList();
    }

    private ContainerStatus waiting(
        Container c,
        String reason,
        @Nullable String message,
        int restarts,
        @Nullable ContainerState lastState) {
      ContainerStatusBuilder b =
          new ContainerStatusBuilder()
              .withName(c.getName())
              .withImage(c.getImage())
              .withImageID("")
              .withReady(false)
              .withStarted(false)
              .withRestartCount(restarts)
              .withState(
                  new ContainerStateBuilder()
                      .withNewWaiting()
                      .withReason(reason)
                      .withMessage(message == null || message.isEmpty() ? null : message)
                      .endWaiting()
                      .build());
      if (lastState != null) {
        b.withLastState(lastState);
      }
      return b.build();
    }

    private ContainerStatus runningStatus(Pod pod, Container c, boolean ready) {
      return new ContainerStatusBuilder()
          .withName(c.getName())
          .withImage(c.getImage())
          .withImageID(imageId(c.getImage()))
          .withContainerID(containerId(pod, c.getName()))
          .withReady(ready)
          .withStarted(true)
          .withRestartCount(0)
          .withState(
              new ContainerStateBuilder()
                  .withNewRunning()
                  .withStartedAt(Controller.now())
                  .endRunning()
                  .build())
          .build();
    }

    private @Nullable String waitingReason(ContainerStatus s) {
      return s.getState() != null && s.getState().getWaiting() != null
          ? s.getState().getWaiting().getReason()
          : null;
    }

    private boolean hangs(@Nullable String workload, Stage stage) {
      return faults.at(workload, stage).map(StageFault::hang).orElse(false);
    }

    private String allocateIp() {
      long n = ipCounter.getAndIncrement();
      return "10.244." + (n / 250 % 250) + "." + (2 + n % 250);
    }

    private void event(
        HasMetadata obj,
        String type,
        String reason,
        String message,
        String component,
        @Nullable String host) {
      if (!events || closed()) {
        return;
      }
      String now = Controller.now();
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
                    .withComponent(component)
                    .withHost(host)
                    .endSource()
                    .withReportingComponent(component)
                    .withReportingInstance(host == null ? component : host)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .build())
            .create();
      } catch (RuntimeException e) {
        // events are best effort, as on a real cluster (e.g. a terminating namespace refuses them)
        log.debug(
            "event {} for {} not written: {}", reason, obj.getMetadata().getName(), e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static String ns(HasMetadata o) {
    return o.getMetadata().getNamespace();
  }

  private static Map<String, String> labels(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  private static Optional<ContainerStatus> containerStatus(Pod pod, String container) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()))
        .findFirst();
  }

  private static PodCondition condition(
      String type, boolean status, @Nullable String reason, @Nullable String message) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status ? "True" : "False")
        .withReason(reason == null || reason.isEmpty() ? null : reason)
        .withMessage(message == null || message.isEmpty() ? null : message)
        .build();
  }

  /** Wanted conditions replace those of their type, keeping transition times when unchanged. */
  private static List<PodCondition> mergeConditions(
      List<PodCondition> previous, List<PodCondition> wanted) {
    Map<String, PodCondition> out = new LinkedHashMap<>();
    for (PodCondition p : previous) {
      out.put(p.getType(), p);
    }
    String now = Controller.now();
    for (PodCondition w : wanted) {
      PodCondition old = out.get(w.getType());
      w.setLastTransitionTime(
          old != null
                  && Objects.equals(old.getStatus(), w.getStatus())
                  && old.getLastTransitionTime() != null
              ? old.getLastTransitionTime()
              : now);
      out.put(w.getType(), w);
    }
    return new ArrayList<>(out.values());
  }

  private static String qosClass(Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (Container c : pod.getSpec().getContainers()) {
      ResourceRequirements r = c.getResources();
      Map<String, Quantity> req = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      Map<String, Quantity> lim = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      if (!req.isEmpty() || !lim.isEmpty()) {
        any = true;
      }
      for (String res : List.of("cpu", "memory")) {
        Quantity l = lim.get(res);
        Quantity q = req.getOrDefault(res, l);
        if (l == null
            || q == null
            || l.getNumericalAmount().compareTo(q.getNumericalAmount()) != 0) {
          guaranteed = false;
        }
      }
    }
    return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
  }

  private static String imageId(String image) {
    String ref = Images.normalize(image);
    int colon = ref.lastIndexOf(':');
    String repo = colon > ref.lastIndexOf('/') ? ref.substring(0, colon) : ref;
    return repo + "@sha256:" + sha(ref);
  }

  private static String containerId(Pod pod, String container) {
    return "containerd://" + sha(pod.getMetadata().getUid() + "/" + container);
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
