package io.convergence.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.Convergence;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.ProvisioningException;
import io.convergence.WorkloadFailure;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.Readiness;
import io.convergence.spec.Stage;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadSpec;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a KubeVirt lab can fail on the simulator: each fails with the workload, the stage and
 * the platform's reason, and leaves nothing behind.
 */
class KubeVirtFailurePathsTest {

  private static final AtomicInteger LABS = new AtomicInteger();
  private static EmbeddedKubeVirt cluster;
  private static Convergence client;

  @BeforeAll
  static void start() {
    cluster = EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(Duration.ofMillis(10)));
    client =
        Convergence.builder()
            .backend(KubeVirtBackendProvider.ID)
            .property("kubevirt.kubeconfig", cluster.kubeconfig().toString())
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  @AfterEach
  void clearFaults() {
    cluster.faults().clear();
  }

  private static Readiness readiness(Stage hung, boolean probe) {
    Readiness.Builder r = Readiness.builder().timeoutForEveryStage(Duration.ofSeconds(30));
    if (probe) {
      r.probe(Probe.tcp(22));
    }
    return r.timeout(hung, Duration.ofSeconds(2)).build();
  }

  private static VmSpec vm(Stage hung) {
    return VmSpec.builder()
        .image("fedora-41")
        .guestAgent(true)
        .expose(22)
        .readiness(readiness(hung, true))
        .build();
  }

  private static ContainerSpec container(Stage hung) {
    return ContainerSpec.builder()
        .image("python:3.12-slim")
        .expose(22)
        .readiness(readiness(hung, true))
        .build();
  }

  /** Lab objects of every kind that still carry the lab's id. */
  private static List<String> leftovers(String labId) {
    List<ResourceDefinitionContext> kinds = new ArrayList<>(KubeVirtResources.LAB_KINDS);
    kinds.addAll(io.convergence.kubernetes.KubernetesTeardown.BUILT_IN);
    List<String> left = new ArrayList<>();
    for (ResourceDefinitionContext kind : kinds) {
      cluster
          .client()
          .genericKubernetesResources(kind)
          .inAnyNamespace()
          .withLabels(Map.of("convergence.io/lab-id", labId))
          .list()
          .getItems()
          .forEach(o -> left.add(kind.getKind() + "/" + o.getMetadata().getName()));
    }
    cluster
        .client()
        .namespaces()
        .withLabels(Map.of("convergence.io/lab-id", labId))
        .list()
        .getItems()
        .forEach(n -> left.add("Namespace/" + n.getMetadata().getName()));
    return left;
  }

  private static WorkloadFailure failOn(
      String workload, WorkloadSpec spec, Class<? extends ProvisioningException> type) {
    LabSpec lab =
        LabSpec.builder("fail-" + LABS.incrementAndGet())
            .container("bystander", ContainerSpec.builder().image("busybox").build())
            .workload(workload, spec)
            .build();
    ProvisioningException e = catchThrowableOfType(type, () -> client.start(lab));
    assertThat(e).as("the lab must fail with %s", type.getSimpleName()).isNotNull();
    assertThat(e.failures()).containsKey(workload);
    assertThat(leftovers(e.labId())).as("objects left after the rollback").isEmpty();
    return e.failures().get(workload);
  }

  static Stream<Arguments> vmStalls() {
    // KubeVirt calls a VMI Scheduled once its virt-launcher pod runs, so a launcher pod that never
    // starts its
    // containers leaves the VM before the scheduled stage.
    return Stream.of(
        Arguments.of(Stage.SCHEDULED, Stage.SCHEDULED),
        Arguments.of(Stage.RUNNING, Stage.SCHEDULED),
        Arguments.of(Stage.NETWORK, Stage.NETWORK),
        Arguments.of(Stage.GUEST, Stage.GUEST),
        Arguments.of(Stage.PROBE, Stage.PROBE));
  }

  @ParameterizedTest(name = "VM stalled before {0} times out at {1}")
  @MethodSource("vmStalls")
  @DisplayName("a VM that stalls times out at the stage KubeVirt shows, and is rolled back")
  void vmTimeoutAtEachStage(Stage hung, Stage reported) {
    cluster.faults().hangBefore("stalled", hung);

    WorkloadFailure f = failOn("stalled", vm(reported), ConvergenceTimeoutException.class);

    assertThat(f.stage()).isEqualTo(reported);
    assertThat(f.reason()).isEqualTo("Timeout");
    assertThat(f.diagnostics())
        .anyMatch(l -> l.startsWith("VirtualMachine stalled printableStatus"));
  }

  static Stream<Arguments> containerStalls() {
    // A pod gets its IP before its containers run, so a pod stalled before the network stage shows
    // as not
    // running: Kubernetes reports the sandbox failure (FailedCreatePodSandBox) while the pod is
    // ContainerCreating.
    return Stream.of(
        Arguments.of(Stage.SCHEDULED, Stage.SCHEDULED),
        Arguments.of(Stage.RUNNING, Stage.RUNNING),
        Arguments.of(Stage.NETWORK, Stage.RUNNING),
        Arguments.of(Stage.PROBE, Stage.PROBE));
  }

  @ParameterizedTest(name = "container stalled before {0} times out at {1}")
  @MethodSource("containerStalls")
  @DisplayName(
      "a container that stalls times out at the stage Kubernetes shows, and is rolled back")
  void containerTimeoutAtEachStage(Stage hung, Stage reported) {
    cluster.faults().hangBefore("stalled", hung);
    ContainerSpec spec =
        ContainerSpec.builder()
            .image("python:3.12-slim")
            .expose(22)
            .readiness(readiness(reported, true))
            .build();

    WorkloadFailure f = failOn("stalled", spec, ConvergenceTimeoutException.class);

    assertThat(f.stage()).isEqualTo(reported);
  }

  @Test
  @DisplayName("an unknown containerDisk image fails the VM with ErrImagePull at the running stage")
  void vmImagePull() {
    VmSpec spec = VmSpec.builder().image(VmImage.registry("quay.io/nobody/no-such-disk:1")).build();

    WorkloadFailure f = failOn("puller", spec, ProvisioningException.class);

    assertThat(f.stage()).isEqualTo(Stage.RUNNING);
    assertThat(f.reason()).isIn("ErrImagePull", "ImagePullBackOff");
    assertThat(f.hint()).contains("image");
  }

  @Test
  @DisplayName("an image pull error fails a container fast with the pod's reason and message")
  void containerImagePull() {
    cluster.faults().imagePullFails("puller");

    WorkloadFailure f =
        failOn(
            "puller",
            ContainerSpec.builder().image("python:3.12-slim").build(),
            ProvisioningException.class);

    assertThat(f.stage()).isEqualTo(Stage.RUNNING);
    assertThat(f.reason()).isIn("ErrImagePull", "ImagePullBackOff");
    assertThat(f.message()).contains("403 Forbidden");
  }

  @Test
  @DisplayName(
      "a guest agent that never connects times out at the guest stage and says what to check")
  void agentNeverConnects() {
    cluster.faults().agentNeverConnects("agentless");

    WorkloadFailure f = failOn("agentless", vm(Stage.GUEST), ConvergenceTimeoutException.class);

    assertThat(f.stage()).isEqualTo(Stage.GUEST);
    assertThat(f.diagnostics())
        .contains(
            "guest agent not connected: is qemu-guest-agent installed and running in the image?");
  }

  @Test
  @DisplayName("a failed DataVolume import fails the VM at the scheduled stage with CDI's message")
  void importFails() {
    cluster
        .faults()
        .importFails("imported", "Unable to connect to http data source: 404 Not Found");
    VmSpec spec =
        VmSpec.builder().image(VmImage.url("https://images.example.com/missing.qcow2")).build();

    WorkloadFailure f = failOn("imported", spec, ProvisioningException.class);

    assertThat(f.stage()).isEqualTo(Stage.SCHEDULED);
    assertThat(f.message()).contains("404 Not Found");
  }

  @Test
  @DisplayName("an unschedulable VM fails at the scheduled stage")
  void unschedulable() {
    cluster.faults().unschedulable("big");

    WorkloadFailure f =
        failOn("big", VmSpec.builder().image("fedora-41").build(), ProvisioningException.class);

    assertThat(f.stage()).isEqualTo(Stage.SCHEDULED);
  }
}
