package io.convergence.testkit.kubernetes;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake kubelet against a real kube-apiserver: binding, status writes, deletion. */
class FakeKubeletIT {

  @TempDir static Path state;

  private static KubeApiServer api;
  private static KubernetesClient client;
  private static FakeKubelet kubelet;
  private static FakeVolumeProvisioner provisioner;

  @BeforeAll
  static void start() {
    Path shared = KubeApiServer.sharedDir().orElse(Path.of("missing-shared"));
    api =
        KubeApiServer.start(
                state, shared.resolve("data/kubevirt-crds"), shared.resolve("data/cdi-crds"))
            .orSkip();
    client = api.client();
    KubernetesClient sim = api.newClient("convergence-simulator/it");
    Latencies latencies = new Latencies(Duration.ofMillis(10));
    Faults faults = new Faults();
    kubelet =
        FakeKubelet.builder(sim).latencies(latencies).faults(faults).logLines("app", "hi").start();
    provisioner = FakeVolumeProvisioner.start(sim, latencies, faults);
  }

  @AfterAll
  static void stop() {
    if (provisioner != null) {
      provisioner.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private static boolean ready(Pod p) {
    return p != null
        && p.getStatus() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  @Test
  @DisplayName("pods are bound with pods/binding, run, get ready, and are finished off on delete")
  void podLifecycle() {
    api.createNamespace("kubelet-it");
    assertThat(kubelet.bindsWithSubresource()).isTrue();
    assertThat(client.nodes().list().getItems())
        .extracting(n -> n.getMetadata().getName())
        .containsAll(kubelet.nodeNames());
    client
        .persistentVolumeClaims()
        .inNamespace("kubelet-it")
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web")
            .addToLabels(Faults.WORKLOAD_LABEL, "web")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("nginx:1.27")
            .addNewPort()
            .withContainerPort(8080)
            .endPort()
            .withReadinessProbe(
                new ProbeBuilder()
                    .withNewHttpGet()
                    .withPort(new IntOrString(8080))
                    .withPath("/")
                    .endHttpGet()
                    .build())
            .endContainer()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data")
            .endPersistentVolumeClaim()
            .endVolume()
            .endSpec()
            .build();
    client.pods().inNamespace("kubelet-it").resource(pod).create();
    Pod running =
        client
            .pods()
            .inNamespace("kubelet-it")
            .withName("web")
            .waitUntilCondition(FakeKubeletIT::ready, 60, TimeUnit.SECONDS);
    assertThat(running.getSpec().getNodeName()).isIn(kubelet.nodeNames());
    assertThat(running.getStatus().getPodIP()).startsWith("10.244.");
    assertThat(running.getStatus().getContainerStatuses().get(0).getState().getRunning())
        .isNotNull();
    assertThat(kubelet.logs("kubelet-it", "web")).containsExactly("Started container app", "hi");

    client.pods().inNamespace("kubelet-it").withName("web").delete();
    client
        .pods()
        .inNamespace("kubelet-it")
        .withName("web")
        .waitUntilCondition(p -> p == null, 60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("deleting a namespace with running pods completes")
  void namespaceDeletionCompletes() {
    api.createNamespace("kubelet-it-ns");
    for (int i = 0; i < 3; i++) {
      client
          .pods()
          .inNamespace("kubelet-it-ns")
          .resource(
              new PodBuilder()
                  .withNewMetadata()
                  .withName("p" + i)
                  .endMetadata()
                  .withNewSpec()
                  .addNewContainer()
                  .withName("c")
                  .withImage("busybox:1.36")
                  .endContainer()
                  .endSpec()
                  .build())
          .create();
    }
    await(
        () ->
            client.pods().inNamespace("kubelet-it-ns").list().getItems().stream()
                .allMatch(FakeKubeletIT::ready),
        "pods ready");
    client.namespaces().withName("kubelet-it-ns").delete();
    client
        .namespaces()
        .withName("kubelet-it-ns")
        .waitUntilCondition(n -> n == null, 120, TimeUnit.SECONDS);
  }
}
