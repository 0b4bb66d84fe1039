package io.convergence.kubevirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.LabNames;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.VmSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SharedVolumePlannerTest {

  private static final Ownership OWNER =
      new Ownership(
          "lab-abc123", "lab", "run", "hash", "me", Instant.parse("2030-01-01T00:00:00Z"));

  private static KubeVirtSettings settings(Map<String, String> values) {
    return KubeVirtSettings.from(
        ConvergenceConfig.load(values, new Properties(), Map.of(), null).scoped("kubevirt"));
  }

  private static LabSpec lab(boolean windowsSysprep) {
    VmSpec.Builder win =
        VmSpec.builder().image("win").guestOs(GuestOs.WINDOWS).memory("4Gi").mount("data", "R:");
    if (windowsSysprep) {
      win.sysprep("<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"/>");
    }
    return LabSpec.builder("lab")
        .sharedVolume(SharedVolume.named("data"))
        .vm("win", win.build())
        .vm("lin", VmSpec.builder().image("fedora").mount("data", "/data").build())
        .container("app", ContainerSpec.builder().image("busybox").mount("data", "/data").build())
        .build();
  }

  private static SharedVolumePlanner.Realisation plan(
      LabSpec spec, Map<String, String> settings, boolean virtiofs) {
    LabNames names = LabNames.of(spec, OWNER, Optional.empty());
    return SharedVolumePlanner.plan(
        spec, names, settings(settings), virtiofs, (lab, volume) -> "pw-" + volume);
  }

  @Test
  @DisplayName(
      "with virtiofs: Linux guests share the claim directly, Windows guests get a Samba server")
  void virtiofs() {
    var r = plan(lab(true), Map.of(), true);

    assertThat(r.problems()).isEmpty();
    assertThat(r.mounts().get("lin"))
        .singleElement()
        .extracting(GuestMount::kind)
        .isEqualTo(GuestMount.Kind.VIRTIOFS);
    assertThat(r.mounts().get("win"))
        .singleElement()
        .extracting(GuestMount::kind)
        .isEqualTo(GuestMount.Kind.SMB);
    assertThat(r.fileServers())
        .extracting(SharedVolumePlanner.FileServer::name)
        .containsExactly("data-smb");
    assertThat(r.extraPrerequisites()).containsOnlyKeys("win");
    assertThat(r.notes())
        .singleElement()
        .asString()
        .contains("app mounts the claim", "virtiofs", "over SMB");
  }

  @Test
  @DisplayName("without virtiofs: one Samba server serves Linux (cifs) and Windows guests alike")
  void noVirtiofs() {
    var r = plan(lab(true), Map.of(), false);

    assertThat(r.mounts().get("lin").get(0).kind()).isEqualTo(GuestMount.Kind.SMB);
    assertThat(r.fileServers())
        .extracting(SharedVolumePlanner.FileServer::name)
        .containsExactly("data-smb");
    assertThat(r.extraPrerequisites()).containsOnlyKeys("win", "lin");
    assertThat(r.notes().get(0)).contains("does not enable EnableVirtioFsStorageVolumes");
  }

  @Test
  @DisplayName("linux-file-protocol=nfs adds an NFS server for Linux guests")
  void nfs() {
    var r = plan(lab(true), Map.of("kubevirt.linux-file-protocol", "nfs"), false);

    assertThat(r.fileServers())
        .extracting(SharedVolumePlanner.FileServer::name)
        .containsExactly("data-smb", "data-nfs");
    assertThat(r.mounts().get("lin").get(0).kind()).isEqualTo(GuestMount.Kind.NFS);
  }

  @Test
  @DisplayName(
      "a Windows guest mounting a volume without a sysprep answer file is a plan-time problem")
  void windowsWithoutSysprep() {
    var r = plan(lab(false), Map.of(), true);

    assertThat(r.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("workloads[win].vm.mounts[data]");
              assertThat(p.message()).contains("sysprep");
            });
  }

  @Test
  @DisplayName("shared-volumes=virtiofs on a cluster without the gate is a plan-time problem")
  void virtiofsRequired() {
    var r = plan(lab(true), Map.of("kubevirt.shared-volumes", "virtiofs"), false);

    assertThat(r.problems())
        .extracting(p -> p.path())
        .containsExactly("workloads[lin].vm.mounts[data]");
  }
}
