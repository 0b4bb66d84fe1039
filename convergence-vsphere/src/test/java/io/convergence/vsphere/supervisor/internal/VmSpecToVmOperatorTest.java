package io.convergence.vsphere.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.schema.CrdSchemas;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VmSpecToVmOperatorTest {

  static final CrdSchemas SCHEMAS =
      CrdSchemas.load(
          Path.of(System.getProperty("convergence.shared.dir", "../../shared"))
              .resolve("data/vm-operator-crds"));
  static final Ownership OWNER =
      new Ownership(
          "lab-abc123",
          "lab",
          "run1",
          "0123456789abcdef",
          "ci",
          Instant.parse("2030-01-01T00:00:00Z"));
  static final LabNames NAMES =
      LabNames.of(LabSpec.builder("lab").build(), OWNER, Optional.of("team-a"));
  static final GuestMount SMB =
      new GuestMount(
          "results",
          "/results",
          false,
          GuestMount.Kind.SMB,
          "results-smb-abc123.team-a.svc.cluster.local",
          "results",
          "lab",
          "pw");

  static VmOperatorApi api(String version) {
    return new VmOperatorApi(version, List.of(version), false);
  }

  static VmSpecToVmOperator.Placement placement(String kind) {
    return new VmSpecToVmOperator.Placement(
        "best-effort-small",
        new Catalog.Image(kind, "vmi-0123456789abcdef0", "ubuntu-22.04", "Linux"),
        "wcpglobal-storage-profile");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1alpha3", "v1alpha4", "v1alpha5", "v1alpha6"})
  @DisplayName("a Linux VM with user data, a disk, a port and a TCP probe passes the CRD schemas")
  void linuxVm(String version) {
    VmSpec vm =
        VmSpec.builder()
            .image("ubuntu-22.04")
            .cloudInit("#cloud-config\nruncmd: [echo hi]\n")
            .disk("data", "10Gi")
            .expose(22)
            .probe(Probe.ssh())
            .mount("results", "/results")
            .build();

    VmSpecToVmOperator.VmObjects o =
        VmSpecToVmOperator.toObjects(
            "tester",
            vm,
            NAMES,
            api(version),
            placement("ClusterVirtualMachineImage"),
            List.of(SMB));

    GenericKubernetesResource machine = o.virtualMachine();
    assertThat(machine.getApiVersion()).isEqualTo("vmoperator.vmware.com/" + version);
    assertThat(SCHEMAS.check(machine)).as("schema problems of the VirtualMachine").isEmpty();
    assertThat(SCHEMAS.check(o.service().orElseThrow()))
        .as("schema problems of the VirtualMachineService")
        .isEmpty();
    assertThat(machine.getMetadata().getName()).isEqualTo("tester-abc123");
    assertThat(machine.getMetadata().getLabels())
        .containsAllEntriesOf(OWNER.labels())
        .containsEntry(Ownership.WORKLOAD_KEY, "tester");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) machine.getAdditionalProperties().get("spec");
    assertThat(spec)
        .containsEntry("className", "best-effort-small")
        .containsEntry("imageName", "vmi-0123456789abcdef0")
        .containsEntry(
            "image", Map.of("kind", "ClusterVirtualMachineImage", "name", "vmi-0123456789abcdef0"))
        .containsEntry("storageClass", "wcpglobal-storage-profile")
        .containsEntry("powerState", "PoweredOn");
    assertThat(spec.get("bootstrap"))
        .isEqualTo(
            Map.of(
                "cloudInit",
                Map.of(
                    "rawCloudConfig",
                    Map.of("name", "tester-abc123-bootstrap", "key", "user-data"))));
    assertThat(spec.get("volumes"))
        .isEqualTo(
            List.of(
                Map.of(
                    "name",
                    "disk-data",
                    "persistentVolumeClaim",
                    Map.of("claimName", "tester-abc123-disk-data"))));
    assertThat(spec.get("readinessProbe"))
        .isEqualTo(
            Map.of(
                "tcpSocket",
                Map.of("port", 22),
                "periodSeconds",
                (int) vm.readiness().probeInterval().toSeconds()));
    String userData =
        new String(
            Base64.getDecoder().decode(o.secrets().get(0).getData().get("user-data")),
            StandardCharsets.UTF_8);
    assertThat(userData)
        .as("the user's data and the SMB mount")
        .contains("runcmd: [echo hi]", "mount, -t, cifs", "//" + SMB.server() + "/results");
    assertThat(o.claims())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getSpec().getStorageClassName()).isEqualTo("wcpglobal-storage-profile");
              assertThat(c.getSpec().getResources().getRequests().get("storage").toString())
                  .isEqualTo("10Gi");
            });
    @SuppressWarnings("unchecked")
    Map<String, Object> svc =
        (Map<String, Object>) o.service().orElseThrow().getAdditionalProperties().get("spec");
    assertThat(o.service().orElseThrow().getMetadata().getName())
        .as("the Service vm-operator makes carries this name: the workload's DNS name")
        .isEqualTo(NAMES.objectName("tester"));
    assertThat(svc)
        .containsEntry("type", "ClusterIP")
        .containsEntry("selector", NAMES.workloadSelector("tester"));
    assertThat(o.all())
        .as("creation order: bootstrap Secret, disk claims, VM, service")
        .extracting(h -> h.getKind())
        .containsExactly(
            "Secret", "PersistentVolumeClaim", "VirtualMachine", "VirtualMachineService");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1alpha3", "v1alpha6"})
  @DisplayName("a Windows VM gets its answer file through rawSysprep and passes the CRD schema")
  void windowsVm(String version) {
    String unattend =
        "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><settings pass=\"oobeSystem\"/></unattend>";
    VmSpec vm =
        VmSpec.builder().image("windows-2022").guestOs(GuestOs.WINDOWS).sysprep(unattend).build();

    VmSpecToVmOperator.VmObjects o =
        VmSpecToVmOperator.toObjects(
            "win", vm, NAMES, api(version), placement("VirtualMachineImage"), List.of());

    assertThat(SCHEMAS.check(o.virtualMachine())).isEmpty();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>) o.virtualMachine().getAdditionalProperties().get("spec");
    assertThat(spec.get("bootstrap"))
        .isEqualTo(
            Map.of(
                "sysprep",
                Map.of("rawSysprep", Map.of("name", "win-abc123-bootstrap", "key", "unattend"))));
    assertThat(spec).doesNotContainKeys("readinessProbe", "volumes");
    assertThat(o.service()).as("no ports, no VirtualMachineService").isEmpty();
  }
}
