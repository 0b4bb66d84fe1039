package io.convergence.testkit.kubevirt;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.cloudInitSecret;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.containerDiskVm;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.parse;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.printable;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.vms;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Per-workload latencies, thread names and a clean stop. */
class SimulatorLifecycleTest {

  private static List<String> simulatorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("convergence-sim-"))
        .toList();
  }

  @Test
  @DisplayName("a workload's own latency slows only it; close stops every named controller thread")
  void latencyOverrideAndCleanStop() {
    Map<String, String> order = new ConcurrentHashMap<>();
    try (EmbeddedKubeVirt kv =
        EmbeddedKubeVirt.start(
            KubeVirtSimulator.builder()
                .latency(Duration.ofMillis(5))
                .latency("slow", Duration.ofMillis(250)))) {
      assertThat(simulatorThreads())
          .contains(
              "convergence-sim-kubelet-worker-1",
              "convergence-sim-virt-controller-worker-1",
              "convergence-sim-cdi-controller-worker-1",
              "convergence-sim-snapshot-controller-worker-1",
              "convergence-sim-volume-provisioner-worker-1");
      KubernetesClient client = kv.client();
      for (String name : List.of("slow", "fast")) {
        client
            .secrets()
            .inNamespace("lifecycle")
            .resource(
                client
                    .getKubernetesSerialization()
                    .unmarshal(cloudInitSecret("lifecycle", name), Secret.class))
            .create();
        vms(client, "lifecycle")
            .resource(
                parse(
                    client,
                    containerDiskVm(
                        "lifecycle", name, "quay.io/containerdisks/fedora:41", "Always")))
            .create();
      }
      await(
          () -> {
            for (String name : List.of("slow", "fast")) {
              var vm = vms(client, "lifecycle").withName(name).get();
              if (vm != null && printable(vm).equals("Running")) {
                order.putIfAbsent(name, String.valueOf(order.size()));
              }
            }
            return order.size() == 2;
          },
          "both running");
      assertThat(order).containsEntry("fast", "0").containsEntry("slow", "1");
    }
    await(() -> simulatorThreads().isEmpty(), "controller threads stopped: " + simulatorThreads());
  }
}
