package io.convergence.testkit.kubernetes;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fake kubelet, scheduler and volume provisioner against the embedded mock API server. */
class FakeKubeletTest {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static EmbeddedKubernetes embedded;
  private static KubernetesClient client;
  private static FakeKubelet kubelet;
  private static FakeVolumeProvisioner provisioner;
  private static final Faults faults = new Faults();
  private static final Latencies latencies = new Latencies(Duration.ofMillis(10));

  private String ns;

  @BeforeAll
  static void start() {
    embedded = EmbeddedKubernetes.start();
    client = embedded.client();
    KubernetesClient sim = embedded.newClient("convergence-simulator/test");
    kubelet =
        FakeKubelet.builder(sim)
            .latencies(latencies)
            .faults(faults)
            .logLines("app", "listening on :8080", "ready")
            .start();
    embedded.servePodLogs(kubelet);
    provisioner = FakeVolumeProvisioner.start(sim, latencies, faults);
  }

  @AfterAll
  static void stop() {
    provisioner.close();
    kubelet.close();
    embedded.close();
  }

  @BeforeEach
  void namespace() {
    ns = "kubelet-test-" + COUNTER.incrementAndGet();
  }

  private static String phase(Pod p) {
    if (p.getStatus() == null) {
      return "new";
    }
    StringBuilder sb = new StringBuilder(String.valueOf(p.getStatus().getPhase()));
    for (String type : List.of("PodScheduled", "Ready")) {
      condition(p, type)
          .ifPresent(c -> sb.append(' ').append(type).append('=').append(c.getStatus()));
    }
    for (ContainerStatus s : p.getStatus().getContainerStatuses()) {
      sb.append(' ').append(s.getName()).append(':');
      if (s.getState().getWaiting() != null) {
        sb.append(s.getState().getWaiting().getReason());
      } else if (s.getState().getRunning() != null) {
        sb.append("running");
      } else if (s.getState().getTerminated() != null) {
        sb.append("exit").append(s.getState().getTerminated().getExitCode());
      }
    }
    return sb.toString();
  }

  private static Optional<PodCondition> condition(Pod p, String type) {
    return p.getStatus() == null
        ? Optional.empty()
        : p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static boolean ready(Pod p) {
    return condition(p, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private Pod pod(String name, String image, int port, Integer probePort) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .addToLabels(Faults.WORKLOAD_LABEL, name)
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage(image)
            .addNewPort()
            .withContainerPort(port)
            .withName("http")
            .endPort()
            .endContainer()
            .endSpec();
    Pod p = b.build();
    if (probePort != null) {
      p.getSpec()
          .getContainers()
          .get(0)
          .setReadinessProbe(
              new io.fabric8.kubernetes.api.model.ProbeBuilder()
                  .withNewTcpSocket()
                  .withPort(new IntOrString(probePort))
                  .endTcpSocket()
                  .withPeriodSeconds(1)
                  .build());
    }
    return p;
  }

  private List<Event> events(String involved) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  private void awaitEvent(String involved, String reason) {
    await(
        () -> events(involved).stream().anyMatch(e -> reason.equals(e.getReason())),
        "event " + reason + " for " + involved);
  }

  @Test
  @DisplayName("a pod with a readiness probe on a declared port is scheduled, runs, then is ready")
  void podBecomesReady() {
    try (Recorder<Pod> rec =
        Recorder.of(client.pods().inNamespace(ns), "web", FakeKubeletTest::phase)) {
      client.pods().inNamespace(ns).resource(pod("web", "nginx:1.27", 8080, 8080)).create();
      Pod p = rec.await(FakeKubeletTest::ready, "web ready");
      rec.assertSequence(
          "Pending PodScheduled=True",
          "Pending PodScheduled=True Ready=False app:ContainerCreating",
          "Running PodScheduled=True Ready=False app:running",
          "Running PodScheduled=True Ready=True app:running");
      assertThat(p.getSpec().getNodeName()).isIn(kubelet.nodeNames());
      assertThat(p.getStatus().getPodIP()).matches("10\\.244\\.\\d+\\.\\d+");
      assertThat(p.getStatus().getPodIPs())
          .extracting(ip -> ip.getIp())
          .containsExactly(p.getStatus().getPodIP());
      assertThat(p.getStatus().getHostIP()).startsWith("192.168.58.");
      assertThat(p.getStatus().getStartTime()).isNotNull();
      ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
      assertThat(cs.getState().getRunning().getStartedAt()).isNotNull();
      assertThat(cs.getReady()).isTrue();
      assertThat(condition(p, "ContainersReady").orElseThrow().getStatus()).isEqualTo("True");
      assertThat(condition(p, "Initialized").orElseThrow().getStatus()).isEqualTo("True");
    }
    awaitEvent("web", "Scheduled");
    awaitEvent("web", "Started");
  }

  @Test
  @DisplayName("the pod log is readable with getLog(), with the configured lines")
  void logs() {
    client.pods().inNamespace(ns).resource(pod("logger", "busybox", 8080, null)).create();
    await(
        () -> {
          Pod p = client.pods().inNamespace(ns).withName("logger").get();
          return p != null && ready(p);
        },
        "logger ready");
    String log = client.pods().inNamespace(ns).withName("logger").getLog();
    assertThat(log).isEqualTo("Started container app\nlistening on :8080\nready\n");
    assertThat(client.pods().inNamespace(ns).withName("logger").tailingLines(1).getLog())
        .isEqualTo("ready\n");
    assertThat(kubelet.logs(ns, "logger"))
        .containsExactly("Started container app", "listening on :8080", "ready");
    assertThat(embedded.requestLog())
        .anySatisfy(
            r ->
                assertThat(r.path())
                    .isEqualTo("/api/v1/namespaces/" + ns + "/pods/logger/log?pretty=false"));
  }

  @Test
  @DisplayName("a probe of an undeclared port never passes: the pod runs but stays Ready=False")
  void probeOfUndeclaredPortNeverPasses() {
    client.pods().inNamespace(ns).resource(pod("refused", "nginx:1.27", 8080, 9090)).create();
    awaitEvent("refused", "Unhealthy");
    Pod p = client.pods().inNamespace(ns).withName("refused").get();
    assertThat(p.getStatus().getPhase()).isEqualTo("Running");
    assertThat(ready(p)).isFalse();
    assertThat(condition(p, "Ready").orElseThrow().getReason()).isEqualTo("ContainersNotReady");
    assertThat(events("refused"))
        .filteredOn(e -> e.getReason().equals("Unhealthy"))
        .first()
        .satisfies(e -> assertThat(e.getMessage()).contains(":9090: connect: connection refused"));
  }

  @Test
  @DisplayName("an unknown image fails with ErrImagePull, then ImagePullBackOff")
  void unknownImage() {
    try (Recorder<Pod> rec =
        Recorder.of(client.pods().inNamespace(ns), "typo", FakeKubeletTest::phase)) {
      client.pods().inNamespace(ns).resource(pod("typo", "ngnix:1.27", 80, null)).create();
      rec.await(p -> phase(p).endsWith("app:ImagePullBackOff"), "back-off");
      rec.assertSequence(
          "Pending PodScheduled=True Ready=False app:ContainerCreating",
          "Pending PodScheduled=True Ready=False app:ErrImagePull",
          "Pending PodScheduled=True Ready=False app:ImagePullBackOff");
      assertThat(rec.states()).noneMatch(s -> s.contains("Running"));
      ContainerStatus cs = rec.last().getStatus().getContainerStatuses().get(0);
      assertThat(cs.getState().getWaiting().getMessage())
          .isEqualTo("Back-off pulling image \"ngnix:1.27\"");
    }
    assertThat(events("typo"))
        .filteredOn(e -> e.getReason().equals("Failed"))
        .first()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("docker.io/library/ngnix:1.27")
                    .contains("not found"));
  }

  @Test
  @DisplayName(
      "an unschedulable fault leaves the pod Pending with PodScheduled=False Unschedulable")
  void unschedulable() {
    faults.unschedulable("big");
    client.pods().inNamespace(ns).resource(pod("big", "busybox", 80, null)).create();
    await(
        () ->
            Optional.ofNullable(client.pods().inNamespace(ns).withName("big").get())
                .flatMap(p -> condition(p, "PodScheduled"))
                .map(c -> c.getStatus().equals("False"))
                .orElse(false),
        "unschedulable");
    Pod p = client.pods().inNamespace(ns).withName("big").get();
    PodCondition c = condition(p, "PodScheduled").orElseThrow();
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(c.getMessage()).isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");
    assertThat(p.getSpec().getNodeName()).isNull();
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    awaitEvent("big", "FailedScheduling");
  }

  @Test
  @DisplayName("a RUNNING fault shows its reason and message on the container")
  void runningFault() {
    faults.failAt("stuck", Stage.RUNNING, "CreateContainerConfigError", "secret \"x\" not found");
    client.pods().inNamespace(ns).resource(pod("stuck", "busybox", 80, null)).create();
    await(
        () -> {
          Pod p = client.pods().inNamespace(ns).withName("stuck").get();
          return p != null && phase(p).endsWith("app:CreateContainerConfigError");
        },
        "config error");
    Pod p = client.pods().inNamespace(ns).withName("stuck").get();
    assertThat(p.getStatus().getContainerStatuses().get(0).getState().getWaiting().getMessage())
        .isEqualTo("secret \"x\" not found");
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
  }

  @Test
  @DisplayName("a crash: Never -> exit 1 and Failed; Always -> CrashLoopBackOff")
  void crash() {
    faults.crash("once").crash("looping");
    Pod once = pod("once", "busybox", 80, null);
    once.getSpec().setRestartPolicy("Never");
    client.pods().inNamespace(ns).resource(once).create();
    client.pods().inNamespace(ns).resource(pod("looping", "busybox", 80, null)).create();
    await(
        () -> {
          Pod p = client.pods().inNamespace(ns).withName("once").get();
          return p != null && p.getStatus() != null && "Failed".equals(p.getStatus().getPhase());
        },
        "failed");
    Pod p = client.pods().inNamespace(ns).withName("once").get();
    assertThat(p.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(1);
    await(
        () -> {
          Pod l = client.pods().inNamespace(ns).withName("looping").get();
          return l != null && phase(l).endsWith("app:CrashLoopBackOff");
        },
        "crash loop");
    ContainerStatus cs =
        client
            .pods()
            .inNamespace(ns)
            .withName("looping")
            .get()
            .getStatus()
            .getContainerStatuses()
            .get(0);
    assertThat(cs.getRestartCount()).isEqualTo(1);
    assertThat(cs.getLastState().getTerminated().getExitCode()).isEqualTo(1);
  }

  @Test
  @DisplayName("a PROBE fault and a hang leave the pod where they say")
  void probeFaultAndHang() {
    faults.failAt("unready", Stage.PROBE, "ProbeFailed", "HTTP probe failed with statuscode: 503");
    faults.hangBefore("frozen", Stage.RUNNING);
    client.pods().inNamespace(ns).resource(pod("unready", "nginx:1.27", 8080, 8080)).create();
    client.pods().inNamespace(ns).resource(pod("frozen", "busybox", 80, null)).create();
    awaitEvent("unready", "Unhealthy");
    assertThat(ready(client.pods().inNamespace(ns).withName("unready").get())).isFalse();
    await(
        () -> {
          Pod p = client.pods().inNamespace(ns).withName("frozen").get();
          return p != null && phase(p).endsWith("app:ContainerCreating");
        },
        "frozen creating");
    // a later pod of another workload runs, so the kubelet is not merely slow
    client.pods().inNamespace(ns).resource(pod("later", "busybox", 80, null)).create();
    await(
        () -> {
          Pod p = client.pods().inNamespace(ns).withName("later").get();
          return p != null && ready(p);
        },
        "later ready");
    assertThat(phase(client.pods().inNamespace(ns).withName("frozen").get()))
        .endsWith("app:ContainerCreating");
  }

  @Test
  @DisplayName(
      "a NETWORK failure leaves the pod ContainerCreating with a FailedCreatePodSandBox event")
  void networkFault() {
    faults.failAt("no-net", Stage.NETWORK, "CNIError", "no IP addresses available in range set");
    client.pods().inNamespace(ns).resource(pod("no-net", "busybox", 80, null)).create();
    awaitEvent("no-net", "FailedCreatePodSandBox");
    Pod p = client.pods().inNamespace(ns).withName("no-net").get();
    assertThat(phase(p)).endsWith("app:ContainerCreating");
    assertThat(p.getStatus().getPodIP()).isNull();
    assertThat(events("no-net"))
        .filteredOn(e -> e.getReason().equals("FailedCreatePodSandBox"))
        .first()
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("CNIError: no IP addresses available in range set"));
  }

  @Test
  @DisplayName("a pod waits for its claim to be bound and for its Secret to exist")
  void waitsForClaimAndSecret() {
    faults.volumeNeverBinds("never-claim");
    client.persistentVolumeClaims().inNamespace(ns).resource(claim("data", Map.of())).create();
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(claim("never-claim", Map.of()))
        .create();
    Pod p = pod("consumer", "busybox", 80, null);
    p.getSpec()
        .getVolumes()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("data")
                .endPersistentVolumeClaim()
                .build());
    p.getSpec()
        .getVolumes()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("config")
                .withNewSecret()
                .withSecretName("consumer-config")
                .endSecret()
                .build());
    client.pods().inNamespace(ns).resource(p).create();
    await(
        () -> {
          PersistentVolumeClaim c =
              client.persistentVolumeClaims().inNamespace(ns).withName("data").get();
          return c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
        },
        "claim bound");
    PersistentVolumeClaim bound =
        client.persistentVolumeClaims().inNamespace(ns).withName("data").get();
    assertThat(bound.getStatus().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(bound.getStatus().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
    awaitEvent("consumer", "FailedMount");
    assertThat(phase(client.pods().inNamespace(ns).withName("consumer").get()))
        .endsWith("app:ContainerCreating");
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("consumer-config")
                .endMetadata()
                .addToStringData("k", "v")
                .build())
        .create();
    await(() -> ready(client.pods().inNamespace(ns).withName("consumer").get()), "consumer ready");
    // a pod on the never-bound claim is never scheduled
    Pod blocked = pod("blocked", "busybox", 80, null);
    blocked
        .getSpec()
        .getVolumes()
        .add(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("never-claim")
                .endPersistentVolumeClaim()
                .build());
    client.pods().inNamespace(ns).resource(blocked).create();
    awaitEvent("blocked", "FailedScheduling");
    Pod b = client.pods().inNamespace(ns).withName("blocked").get();
    assertThat(condition(b, "PodScheduled").orElseThrow().getMessage())
        .isEqualTo("0/3 nodes are available: 3 pod has unbound immediate PersistentVolumeClaims.");
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName("never-claim")
                .get()
                .getStatus())
        .satisfiesAnyOf(
            s -> assertThat(s).isNull(), s -> assertThat(s.getPhase()).isNotEqualTo("Bound"));
  }

  private PersistentVolumeClaim claim(String name, Map<String, String> labels) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteMany")
        .withNewResources()
        .addToRequests("storage", new Quantity("2Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  @Test
  @DisplayName("the fault-injecting dispatcher answers the configured status once, then the store")
  void injectedFaultOnce() {
    embedded.failNext(
        1,
        "POST",
        "/api/v1/namespaces/[^/]+/configmaps",
        422,
        "Invalid",
        "ConfigMap \"c1\" is invalid: data: Too long");
    var cm =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("c1")
            .withNamespace(ns)
            .endMetadata()
            .build();
    assertThatThrownBy(() -> client.configMaps().inNamespace(ns).resource(cm).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getReason()).isEqualTo("Invalid");
              assertThat(e.getStatus().getMessage())
                  .isEqualTo("ConfigMap \"c1\" is invalid: data: Too long");
            });
    assertThat(embedded.pendingFaults()).isZero();
    assertThat(client.configMaps().inNamespace(ns).resource(cm).create().getMetadata().getUid())
        .isNotNull();
  }

  @Test
  @DisplayName("an injected 503 is retried by the fabric8 client itself, as against a real server")
  void injected503IsRetriedByTheClient() {
    String path = "/api/v1/namespaces/" + ns + "/configmaps";
    embedded.inject(
        RequestFault.next(1, "POST", path)
            .withStatus(503, "ServiceUnavailable", "etcd leader changed")
            .withRetryAfter(Duration.ofSeconds(1)));
    var cm =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("c2")
            .withNamespace(ns)
            .endMetadata()
            .build();
    assertThat(client.configMaps().inNamespace(ns).resource(cm).create()).isNotNull();
    assertThat(embedded.requestLog())
        .filteredOn(r -> r.method().equals("POST") && r.path().equals(path))
        .extracting(ApiRequest::status)
        .containsExactly(503, 201);
  }

  @Test
  @DisplayName("requests are counted by user agent; the simulators use their own")
  void countsByUserAgent() {
    long mine = embedded.requestCount("fabric8-kubernetes-client");
    client.pods().inNamespace(ns).resource(pod("counted", "busybox", 80, null)).create();
    await(() -> ready(client.pods().inNamespace(ns).withName("counted").get()), "ready");
    assertThat(embedded.requestCount("convergence-simulator/")).isPositive();
    assertThat(embedded.requestCount("fabric8-kubernetes-client")).isGreaterThan(mine);
    assertThat(embedded.requestCountsByUserAgent()).containsKey("convergence-simulator/test");
    assertThat(embedded.requestLog())
        .anySatisfy(
            r -> {
              assertThat(r.userAgent()).isEqualTo("convergence-simulator/test");
              assertThat(r.method()).isEqualTo("PUT");
              assertThat(r.path()).isEqualTo("/api/v1/namespaces/" + ns + "/pods/counted/status");
            });
  }

  @Test
  @DisplayName("a deleted namespace is Terminating, refuses new objects, and goes once empty")
  void namespaceLifecycle() {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .endMetadata()
                .build())
        .create();
    var held =
        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
            .withNewMetadata()
            .withName("held")
            .withNamespace(ns)
            .withFinalizers("example.com/hold")
            .endMetadata()
            .build();
    client.configMaps().inNamespace(ns).resource(held).create();
    client.pods().inNamespace(ns).resource(pod("doomed", "busybox", 80, null)).create();
    client.namespaces().withName(ns).delete();
    var terminating = client.namespaces().withName(ns).get();
    assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace(ns)
                    .resource(
                        new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                            .withNewMetadata()
                            .withName("late")
                            .endMetadata()
                            .build())
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    await(() -> client.pods().inNamespace(ns).withName("doomed").get() == null, "pod deleted");
    await(
        () ->
            client
                    .configMaps()
                    .inNamespace(ns)
                    .withName("held")
                    .get()
                    .getMetadata()
                    .getDeletionTimestamp()
                != null,
        "held marked");
    assertThat(client.namespaces().withName(ns).get()).isNotNull();
    client
        .configMaps()
        .inNamespace(ns)
        .withName("held")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[]}]");
    await(() -> client.namespaces().withName(ns).get() == null, "namespace gone");
  }

  @Test
  @DisplayName("the kubeconfig works for a client built from it")
  void kubeconfig() throws Exception {
    var config =
        io.fabric8.kubernetes.client.Config.fromKubeconfig(
            java.nio.file.Files.readString(embedded.kubeconfig()));
    try (KubernetesClient other =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
      assertThat(other.getNamespace()).isEqualTo("default");
      assertThat(other.namespaces().withName("default").get()).isNotNull();
    }
  }
}
