package io.convergence.vsphere.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.kubernetes.ContainerPlane;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubernetes.SmbFileServer;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.schema.StoredObjects;
import io.convergence.vsphere.supervisor.internal.Catalog;
import io.convergence.vsphere.supervisor.internal.VmOperatorApi;
import io.convergence.vsphere.supervisor.internal.VmSpecToVmOperator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the Supervisor backend sends, sent to a REAL kube-apiserver with vm-operator's real CRD
 * schemas, at the version discovery gives the backend: every object is accepted, and what the
 * server stores holds every field sent, unchanged (nothing pruned).
 */
class SupervisorWireFormatIT {

  private static final String NAMESPACE = "wire-test";
  private static final String STORAGE_CLASS = "wcpglobal-storage-profile";

  private static KubeApiServer server;

  @BeforeAll
  static void start() throws Exception {
    Path shared =
        KubeApiServer.sharedDir()
            .orElseThrow(() -> new IllegalStateException("../shared not found"));
    server =
        KubeApiServer.start(
                Files.createTempDirectory("convergence-wire-"),
                shared.resolve("data/vm-operator-crds"))
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
      "the VMs, VM services, bootstrap secrets, disks, containers, file servers and claims of a"
          + " converged lab are stored exactly as sent")
  void storedAsSent() {
    KubernetesClient client = server.client();
    VmOperatorApi api =
        VmOperatorApi.discover(client).orElseThrow(() -> new AssertionError("no vm-operator API"));
    Ownership ownership =
        new Ownership(
            "wire-abc123", "wire", "run", "hash", "it", Instant.parse("2030-01-01T00:00:00Z"));
    LabNames names =
        LabNames.of(LabSpec.builder("wire").build(), ownership, Optional.of(NAMESPACE));
    server.createNamespace(NAMESPACE);

    String fileServer = SmbFileServer.workloadName("results");
    GuestMount smb =
        new GuestMount(
            "results",
            "/results",
            false,
            GuestMount.Kind.SMB,
            names.serviceHost(fileServer) + ".cluster.local",
            "results",
            SmbFileServer.USER,
            "pw");
    List<HasMetadata> objects = new ArrayList<>();
    VmSpec linux =
        VmSpec.builder()
            .image("ubuntu-22.04")
            .cloudInit("#cloud-config\nruncmd: [echo hi]\n")
            .disk("data", "10Gi")
            .expose(22)
            .probe(Probe.ssh())
            .mount("results", "/results")
            .build();
    objects.addAll(
        VmSpecToVmOperator.toObjects(
                "tester",
                linux,
                names,
                api,
                placement("ClusterVirtualMachineImage", "ubuntu-22.04", "Linux"),
                List.of(smb))
            .all());
    VmSpec windows =
        VmSpec.builder()
            .image("windows-2022")
            .guestOs(GuestOs.WINDOWS)
            .sysprep(
                "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">"
                    + "<settings pass=\"oobeSystem\"/></unattend>")
            .expose(3389)
            .probe(Probe.winRm())
            .mount("results", "/results")
            .build();
    objects.addAll(
        VmSpecToVmOperator.toObjects(
                "win",
                windows,
                names,
                api,
                placement("VirtualMachineImage", "windows-2022", "Windows"),
                List.of(smb))
            .all());
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
    objects.addAll(
        ContainerPlane.objects(
            fileServer,
            SmbFileServer.spec("results", SmbFileServer.DEFAULT_IMAGE, "pw"),
            names,
            UnaryOperator.identity()));
    objects.add(
        SharedVolumeToClaim.claim(
            SharedVolume.named("results").withSize("1Gi"), names, Optional.of(STORAGE_CLASS)));

    List<String> problems = new ArrayList<>();
    for (HasMetadata sent : objects) {
      HasMetadata stored;
      if (sent instanceof GenericKubernetesResource g) {
        var kind =
            switch (g.getKind()) {
              case "VirtualMachine" -> api.virtualMachines();
              case "VirtualMachineService" -> api.virtualMachineServices();
              default -> throw new AssertionError("unexpected kind " + g.getKind());
            };
        stored =
            client.genericKubernetesResources(kind).inNamespace(NAMESPACE).resource(g).create();
      } else {
        stored = client.resource(sent).inNamespace(NAMESPACE).create();
      }
      StoredObjects.prunedOrChanged(sent, stored)
          .forEach(
              p -> problems.add(sent.getKind() + "/" + sent.getMetadata().getName() + " " + p));
    }
    assertThat(problems).as("fields the server dropped or changed").isEmpty();
    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "VirtualMachine",
            "VirtualMachineService",
            "Secret",
            "PersistentVolumeClaim",
            "Pod",
            "Service");
  }

  private static VmSpecToVmOperator.Placement placement(String kind, String image, String os) {
    return new VmSpecToVmOperator.Placement(
        "best-effort-small",
        new Catalog.Image(kind, "vmi-0123456789abcdef0", image, os),
        STORAGE_CLASS);
  }
}
