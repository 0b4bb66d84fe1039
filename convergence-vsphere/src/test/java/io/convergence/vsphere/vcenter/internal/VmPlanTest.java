package io.convergence.vsphere.vcenter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.GuestMount;
import io.convergence.plan.NativeObject;
import io.convergence.spec.GuestOs;
import io.convergence.spec.VmSpec;
import io.convergence.vsphere.vcenter.VCenterOptions;
import io.convergence.vsphere.vim.ConfigSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class VmPlanTest {

  private static final VCenterSettings SETTINGS =
      VCenterSettings.from(
          ConvergenceConfig.load(
                  Map.of(
                      "convergence.vsphere-vcenter.url", "https://vc/sdk",
                      "convergence.vsphere-vcenter.username", "u",
                      "convergence.vsphere-vcenter.password", "p",
                      "convergence.vsphere-vcenter.datacenter", "DC0",
                      "convergence.vsphere-vcenter.resource-pool", "C0/Resources",
                      "convergence.vsphere-vcenter.extra-config", "SET.guest.ipAddress=10.0.0.9"),
                  new Properties(),
                  Map.of(),
                  null)
              .scoped("vsphere-vcenter"));

  private static final VmSpec VM =
      VmSpec.builder()
          .image("ubuntu-22.04")
          .guestOs(GuestOs.LINUX)
          .cpus(2)
          .memory("1Gi")
          .cloudInit("#cloud-config\npassword: hunter2\n")
          .build();

  @Test
  void theReconfigureSpecSizesTheVmAndCarriesCloudInitAndExtraConfig() {
    ConfigSpec c = VmPlan.config("tester", "tester", VM, SETTINGS.extraConfig(), List.of());
    assertThat(c.numCpus()).hasValue(2);
    assertThat(c.memoryMb()).hasValue(1024);
    assertThat(c.extraConfig())
        .containsEntry("SET.guest.ipAddress", "10.0.0.9")
        .containsEntry("guestinfo.userdata.encoding", "base64")
        .containsKey("guestinfo.metadata");
  }

  @Test
  void thePlanRedactsUserDataAndShowsTheOwnershipAttributes() {
    Ownership o =
        new Ownership("lab-1", "lab", "run", "hash", "me", Instant.ofEpochSecond(1_800_000_000));
    NativeObject rendered =
        VmPlan.render("tester", VM, "DC0/vm/convergence/lab-1", SETTINGS, o, List.of());
    assertThat(rendered.content())
        .doesNotContain("hunter2")
        .contains(NativeObject.REDACTED)
        .contains("moveAllDiskBackingsAndDisallowSharing")
        .contains("pool: DC0/host/C0/Resources")
        .contains("convergence.io/lab-id: \"lab-1\"");
  }

  @Test
  void aSharedVolumeMountIsAddedToTheUserDataWithTheResolvedAddressAndTheSecretStaysOut() {
    GuestMount mount =
        new GuestMount(
            "results",
            "/results",
            false,
            GuestMount.Kind.SMB,
            "<address of LoadBalancer Service results-smb-lb>",
            "results",
            "lab",
            "Cv-share-secret");
    NativeObject rendered =
        VmPlan.render(
            "tester",
            VM,
            "f",
            SETTINGS,
            new Ownership("l", "l", "r", "h", "o", Instant.EPOCH),
            List.of(mount));
    assertThat(rendered.content())
        .contains("source: //<address of LoadBalancer Service results-smb-lb>/results")
        .doesNotContain("Cv-share-secret");

    ConfigSpec c =
        VmPlan.config("tester", "tester", VM, Map.of(), List.of(mount.withServer("10.200.0.2")));
    String userData =
        new String(
            Base64.getDecoder().decode(c.extraConfig().get("guestinfo.userdata")),
            StandardCharsets.UTF_8);
    assertThat(userData)
        .contains("//10.200.0.2/results")
        .contains("/results")
        .contains("password: hunter2")
        .doesNotContain("<address");
  }

  @Test
  void aLinuxVmWithoutUserDataGetsSomeOnlyForItsMounts() {
    VmSpec bare = VmSpec.builder().image("ubuntu-22.04").guestOs(GuestOs.LINUX).build();
    assertThat(VmPlan.config("v", "v", bare, Map.of(), List.of()).extraConfig())
        .doesNotContainKey("guestinfo.userdata");
    GuestMount m =
        new GuestMount("d", "/d", true, GuestMount.Kind.SMB, "10.0.0.1", "d", "lab", "pw");
    assertThat(VmPlan.config("v", "v", bare, Map.of(), List.of(m)).extraConfig())
        .containsKey("guestinfo.userdata");
  }

  @Test
  void aLinkedCloneIsAskedForOnlyThroughTheOptions() {
    assertThat(VmPlan.linked(VM)).isFalse();
    VmSpec linked = VM.toBuilder().options(VCenterOptions.linkedClone()).build();
    assertThat(VmPlan.linked(linked)).isTrue();
    assertThat(
            VmPlan.render(
                    "v",
                    linked,
                    "f",
                    SETTINGS,
                    new Ownership("l", "l", "r", "h", "o", Instant.EPOCH),
                    List.of())
                .content())
        .contains("createNewChildDiskBacking");
  }
}
