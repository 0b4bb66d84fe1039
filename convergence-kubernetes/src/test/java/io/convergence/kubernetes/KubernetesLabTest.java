package io.convergence.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, https = false)
class KubernetesLabTest {

  KubernetesClient client;

  private static LabNames names(String labId, Instant expires, Optional<String> fixed) {
    Ownership o = new Ownership(labId, "lab", "run", "hash", "me", expires);
    return LabNames.of(LabSpec.builder("lab").build(), o, fixed);
  }

  private static final ContainerSpec APP =
      ContainerSpec.builder()
          .image("python:3.12-slim")
          .secretEnv("TOKEN", SecretValue.of("t0k3n"))
          .env("MODE", "x")
          .expose(8000)
          .mount("data", "/data")
          .build();

  @Test
  @DisplayName(
      "prepare creates the namespace, its service account and the claims; create is idempotent")
  void prepareAndCreate() {
    LabNames names = names("lab-aaaaaa", Instant.now().plusSeconds(3600), Optional.empty());
    KubernetesLab lab = new KubernetesLab(client, "test", names, List.of());

    lab.prepare(List.of(SharedVolume.named("data")), Optional.of("nfs-rwx"));
    lab.prepare(List.of(SharedVolume.named("data")), Optional.of("nfs-rwx"));
    ContainerPlane containers = new ContainerPlane(lab);
    containers.create("app", APP, UnaryOperator.identity());
    containers.create("app", APP, UnaryOperator.identity());

    assertThat(client.namespaces().withName("cvg-lab-aaaaaa").get().getMetadata().getLabels())
        .containsAllEntriesOf(names.ownership().labels());
    assertThat(client.serviceAccounts().inNamespace("cvg-lab-aaaaaa").withName("default").get())
        .isNotNull();
    var claim =
        client.persistentVolumeClaims().inNamespace("cvg-lab-aaaaaa").withName("shared-data").get();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(claim.getSpec().getStorageClassName()).isEqualTo("nfs-rwx");
    var pod = client.pods().inNamespace("cvg-lab-aaaaaa").withName("app").get();
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getContainers().get(0).getEnv())
        .anySatisfy(
            e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("app-env"));
    assertThat(client.secrets().inNamespace("cvg-lab-aaaaaa").withName("app-env").get().getData())
        .containsEntry("TOKEN", "dDBrM24=");
    assertThat(
            client
                .services()
                .inNamespace("cvg-lab-aaaaaa")
                .withName("app")
                .get()
                .getSpec()
                .getSelector())
        .isEqualTo(names.workloadSelector("app"));
    lab.destroy(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName(
      "destroy removes every labelled object and the namespace, and waits until they are gone")
  void destroy() {
    LabNames names = names("lab-bbbbbb", Instant.now().plusSeconds(3600), Optional.empty());
    KubernetesLab lab = new KubernetesLab(client, "test", names, List.of());
    lab.prepare(List.of(SharedVolume.named("data")), Optional.empty());
    new ContainerPlane(lab).create("app", APP, UnaryOperator.identity());
    client
        .configMaps()
        .inNamespace("cvg-lab-bbbbbb")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("theirs").endMetadata().build())
        .create();

    lab.destroy(Duration.ofSeconds(10));

    assertThat(lab.remaining()).isEmpty();
    assertThat(client.namespaces().withName("cvg-lab-bbbbbb").get()).isNull();
    assertThat(client.pods().inAnyNamespace().withLabels(names.labSelector()).list().getItems())
        .isEmpty();
  }

  @Test
  @DisplayName(
      "in a shared namespace only the lab's labelled objects go, and names carry the lab's suffix")
  void sharedNamespace() {
    LabNames names = names("lab-cccccc", Instant.now().plusSeconds(3600), Optional.of("labs"));
    KubernetesLab lab = new KubernetesLab(client, "test", names, List.of());
    lab.prepare(List.of(), Optional.empty());
    new ContainerPlane(lab)
        .create("app", ContainerSpec.builder().image("busybox").build(), UnaryOperator.identity());
    client
        .configMaps()
        .inNamespace("labs")
        .resource(new ConfigMapBuilder().withNewMetadata().withName("theirs").endMetadata().build())
        .create();

    assertThat(client.pods().inNamespace("labs").withName("app-cccccc").get()).isNotNull();
    lab.destroy(Duration.ofSeconds(10));

    assertThat(client.pods().inNamespace("labs").withName("app-cccccc").get()).isNull();
    assertThat(client.configMaps().inNamespace("labs").withName("theirs").get()).isNotNull();
  }

  @Test
  @DisplayName("sweep finds labs by labels in any namespace and removes only those it matches")
  void sweep() {
    Instant now = Instant.now();
    LabNames expired = names("lab-dddddd", now.minusSeconds(60), Optional.empty());
    LabNames live = names("lab-eeeeee", now.plusSeconds(3600), Optional.empty());
    LabNames expiredShared = names("lab-ffffff", now.minusSeconds(60), Optional.of("labs"));
    for (LabNames n : List.of(expired, live, expiredShared)) {
      KubernetesLab lab = new KubernetesLab(client, "test", n, List.of());
      lab.prepare(List.of(), Optional.empty());
      new ContainerPlane(lab)
          .create(
              "app", ContainerSpec.builder().image("busybox").build(), UnaryOperator.identity());
    }

    SweepReport dry =
        new KubernetesSweeper(client, "test", List.of())
            .sweep(SweepRequest.expired().dryRun(), now, Duration.ofSeconds(10));
    assertThat(dry.labIds()).containsExactlyInAnyOrder("lab-dddddd", "lab-ffffff");
    assertThat(client.namespaces().withName("cvg-lab-dddddd").get()).isNotNull();

    SweepReport report =
        new KubernetesSweeper(client, "test", List.of())
            .sweep(SweepRequest.expired(), now, Duration.ofSeconds(10));

    assertThat(report.labIds()).containsExactlyInAnyOrder("lab-dddddd", "lab-ffffff");
    assertThat(client.namespaces().withName("cvg-lab-dddddd").get()).isNull();
    assertThat(client.pods().inNamespace("labs").withName("app-ffffff").get()).isNull();
    assertThat(client.namespaces().withName("cvg-lab-eeeeee").get()).isNotNull();
    assertThat(report.labs()).allSatisfy(l -> assertThat(l.removed()).isTrue());
    assertThat(Map.of()).isEmpty();
  }
}
