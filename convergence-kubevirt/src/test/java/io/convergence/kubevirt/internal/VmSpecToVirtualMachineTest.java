package io.convergence.kubevirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubevirt.KubeVirtOptions;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.schema.CrdSchemas;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VmSpecToVirtualMachineTest {

  static final CrdSchemas SCHEMAS =
      CrdSchemas.load(Golden.shared("data/kubevirt-crds"), Golden.shared("data/cdi-crds"));
  static final Ownership OWNER =
      new Ownership(
          "lab-abc123",
          "lab",
          "run1",
          "0123456789abcdef",
          "ci",
          Instant.parse("2030-01-01T00:00:00Z"));
  static final KubeVirtSettings SETTINGS =
      KubeVirtSettings.from(
          ConvergenceConfig.load(Map.of(), new Properties(), Map.of(), null).scoped("kubevirt"));
  static final LabNames NAMES =
      LabNames.of(LabSpec.builder("lab").build(), OWNER, Optional.empty());

  private static String yaml(List<HasMetadata> objects) {
    StringBuilder s = new StringBuilder();
    for (HasMetadata o : objects) {
      s.append(Serialization.asYaml(o));
    }
    return s.toString();
  }

  private static String secretValue(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName(
      "a Linux containerDisk VM with cloud-init, virtiofs mount and a probe is valid KubeVirt")
  void linuxVm() throws Exception {
    VmSpec vm =
        VmSpec.builder()
            .image(VmImage.registry("quay.io/containerdisks/fedora:41"))
            .cpus(2)
            .memory("4Gi")
            .cloudInit("#cloud-config\npackages: [git]\n")
            .guestAgent(true)
            .disk("scratch", "10Gi")
            .expose(22)
            .probe(Probe.ssh())
            .label("role", "prober")
            .build();
    GuestMount mount =
        new GuestMount(
            "results", "/mnt/results", false, GuestMount.Kind.VIRTIOFS, "vol-results", "", "", "");

    var objects = VmSpecToVirtualMachine.toObjects("prober", vm, NAMES, SETTINGS, List.of(mount));

    assertThat(SCHEMAS.check(objects.virtualMachine())).isEmpty();
    Map<String, Object> spec = spec(objects.virtualMachine().getAdditionalProperties());
    assertThat(spec).containsEntry("runStrategy", "Always").doesNotContainKey("running");
    assertThat(Maps.at(spec, "template", "metadata", "labels"))
        .get()
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
        .containsEntry(Ownership.LAB_ID_KEY, "lab-abc123")
        .containsEntry(Ownership.WORKLOAD_KEY, "prober")
        .containsEntry("role", "prober");
    assertThat(objects.services()).hasSize(1);
    String userData = secretValue(objects.secrets().get(0), "userdata");
    assertThat(userData)
        .startsWith("Content-Type: multipart/mixed")
        .contains("packages: [git]", "[mount, -t, virtiofs, -o, rw, vol-results, '/mnt/results']");
    Golden.assertMatches("linux-vm.yaml", yaml(objects.all()));
  }

  @Test
  @DisplayName(
      "a Windows VM from a DataSource gets sysprep as a CD-ROM, Hyper-V features and the SMB drive mapping")
  void windowsVm() throws Exception {
    VmSpec vm =
        VmSpec.builder()
            .image("win2019-tester")
            .guestOs(GuestOs.WINDOWS)
            .cpus(4)
            .memory("8Gi")
            .sysprep(
                "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"><settings pass=\"specialize\"/></unattend>")
            .expose(5985)
            .probe(Probe.winRm())
            .build();
    GuestMount smb =
        new GuestMount(
            "results",
            "R:",
            false,
            GuestMount.Kind.SMB,
            "results-smb.cvg-lab-abc123.svc.cluster.local",
            "results",
            "lab",
            "Cv0123456789");

    var objects = VmSpecToVirtualMachine.toObjects("tester", vm, NAMES, SETTINGS, List.of(smb));

    assertThat(SCHEMAS.check(objects.virtualMachine())).isEmpty();
    Map<String, Object> spec = spec(objects.virtualMachine().getAdditionalProperties());
    assertThat(Maps.text(spec, "dataVolumeTemplates")).isPresent();
    assertThat(Maps.list(spec, "dataVolumeTemplates").get(0))
        .extracting(t -> Maps.at(t, "spec", "sourceRef").orElseThrow())
        .isEqualTo(
            Map.of(
                "kind", "DataSource", "name", "win2019-tester", "namespace", "kubevirt-os-images"));
    String unattend = secretValue(objects.secrets().get(0), "autounattend.xml");
    assertThat(unattend)
        .contains(
            "<settings pass=\"specialize\"/>",
            "pass=\"oobeSystem\"",
            "net use R: \\\\results-smb.cvg-lab-abc123.svc.cluster.local\\results Cv0123456789 /user:lab");
    Golden.assertMatches("windows-vm.yaml", yaml(List.of(objects.virtualMachine())));
  }

  @Test
  @DisplayName("typed options: an instancetype replaces CPUs and memory; the modifier runs last")
  void options() {
    VmSpec vm =
        VmSpec.builder()
            .image(VmImage.url("https://images.example.com/disk.qcow2"))
            .options(
                KubeVirtOptions.builder()
                    .instancetype("u1.medium")
                    .preference("fedora")
                    .rootDiskSize("40Gi")
                    .storageClass("fast")
                    .nodeSelector(Map.of("disk", "ssd"))
                    .modifyVirtualMachine(
                        v -> {
                          v.getMetadata().setAnnotations(Map.of("team", "qa"));
                          return v;
                        })
                    .build())
            .build();

    var objects = VmSpecToVirtualMachine.toObjects("v", vm, NAMES, SETTINGS, List.of());

    assertThat(SCHEMAS.check(objects.virtualMachine())).isEmpty();
    Map<String, Object> spec = spec(objects.virtualMachine().getAdditionalProperties());
    assertThat(Maps.at(spec, "template", "spec", "domain", "cpu")).isEmpty();
    assertThat(Maps.at(spec, "instancetype", "name")).contains("u1.medium");
    assertThat(Maps.at(spec, "template", "spec", "nodeSelector")).contains(Map.of("disk", "ssd"));
    var dv = Maps.list(spec, "dataVolumeTemplates").get(0);
    assertThat(Maps.at(dv, "spec", "source", "http", "url"))
        .contains("https://images.example.com/disk.qcow2");
    assertThat(Maps.at(dv, "spec", "storage", "resources", "requests", "storage")).contains("40Gi");
    assertThat(Maps.at(dv, "spec", "storage", "storageClassName")).contains("fast");
    assertThat(objects.virtualMachine().getMetadata().getAnnotations()).containsEntry("team", "qa");
  }

  @Test
  @DisplayName("the schema check catches what a real API server would prune or reject")
  void schemaCheckCatchesTypos() {
    VmSpec vm =
        VmSpec.builder().image(VmImage.registry("quay.io/containerdisks/fedora:41")).build();
    var objects = VmSpecToVirtualMachine.toObjects("v", vm, NAMES, SETTINGS, List.of());
    Map<String, Object> spec = spec(objects.virtualMachine().getAdditionalProperties());
    @SuppressWarnings("unchecked")
    Map<String, Object> domain =
        (Map<String, Object>) Maps.at(spec, "template", "spec", "domain").orElseThrow();
    domain.put("memroy", Map.of("guest", "1Gi"));
    spec.put("runStrategy", 7);

    assertThat(SCHEMAS.check(objects.virtualMachine()))
        .anyMatch(p -> p.startsWith(".spec.template.spec.domain.memroy: unknown field"))
        .anyMatch(p -> p.startsWith(".spec.runStrategy: expected a string"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> additional) {
    return (Map<String, Object>) additional.get("spec");
  }
}
