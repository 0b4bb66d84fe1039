package io.convergence.kubevirt;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubevirt.internal.KubeVirtWireFixtures;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.schema.StoredObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the backend sends, sent to a REAL kube-apiserver with KubeVirt's and CDI's real CRD schemas:
 * every object is accepted, and what the server stores holds every field sent, unchanged (nothing
 * pruned).
 */
class KubeVirtWireFormatIT {

  private static KubeApiServer server;

  @BeforeAll
  static void start() throws Exception {
    Path shared =
        KubeApiServer.sharedDir()
            .orElseThrow(() -> new IllegalStateException("../shared not found"));
    server =
        KubeApiServer.start(
                Files.createTempDirectory("convergence-wire-"),
                shared.resolve("data/kubevirt-crds"),
                shared.resolve("data/cdi-crds"))
            .orSkip();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @DisplayName(
      "the VMs, containers, claims, secrets and services of a converged lab are stored exactly as sent")
  void storedAsSent() {
    KubernetesClient client = server.client();
    Ownership ownership =
        new Ownership(
            "wire-abc123", "wire", "run", "hash", "it", Instant.parse("2030-01-01T00:00:00Z"));
    LabNames names =
        LabNames.of(LabSpec.builder("wire").build(), ownership, Optional.of("wire-test"));
    server.createNamespace("wire-test");
    List<HasMetadata> objects =
        new ArrayList<>(
            KubeVirtWireFixtures.vmObjects(
                names,
                ConvergenceConfig.load(Map.of(), new Properties(), Map.of(), null)
                    .scoped("kubevirt")));
    ContainerSpec analysis =
        ContainerSpec.builder()
            .image("python:3.12-slim")
            .command("python", "-m", "http.server", "8000")
            .env("TESTER_HOST", "tester.wire-test.svc")
            .secretEnv("API_TOKEN", SecretValue.of("t0ken"))
            .resources("500m", "512Mi")
            .expose(8000)
            .mount("results", "/data")
            .probe(Probe.http(8000, "/"))
            .build();
    objects.addAll(ContainerPlane.objects("analysis", analysis, names, UnaryOperator.identity()));
    objects.add(
        SharedVolumeToClaim.claim(
            SharedVolume.named("results").withSize("1Gi"), names, Optional.empty()));
    assertThat(ref("x").host().expression()).isNotEmpty();

    List<String> problems = new ArrayList<>();
    for (HasMetadata sent : objects) {
      HasMetadata stored;
      if (sent instanceof GenericKubernetesResource g) {
        var kind =
            KubeVirtResources.LAB_KINDS.stream()
                .filter(k -> k.getKind().equals(g.getKind()))
                .findFirst()
                .orElseThrow();
        stored =
            client.genericKubernetesResources(kind).inNamespace("wire-test").resource(g).create();
      } else {
        stored = client.resource(sent).inNamespace("wire-test").create();
      }
      StoredObjects.prunedOrChanged(sent, stored)
          .forEach(
              p -> problems.add(sent.getKind() + "/" + sent.getMetadata().getName() + " " + p));
    }
    assertThat(problems).as("fields the server dropped or changed").isEmpty();
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains("VirtualMachine", "Pod", "Secret", "Service", "PersistentVolumeClaim");
  }
}
