package io.convergence.vsphere.vcenter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.plan.NativeObject;
import io.convergence.spec.GuestOs;
import io.convergence.spec.VmSpec;
import io.convergence.vsphere.vcenter.VCenterOptions;
import io.convergence.vsphere.vim.ConfigSpec;
import java.time.Instant;
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
    ConfigSpec c = VmPlan.config("tester", "tester", VM, SETTINGS.extraConfig());
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
    NativeObject rendered = VmPlan.render("tester", VM, "DC0/vm/convergence/lab-1", SETTINGS, o);
    assertThat(rendered.content())
        .doesNotContain("hunter2")
        .contains(NativeObject.REDACTED)
        .contains("moveAllDiskBackingsAndDisallowSharing")
        .contains("pool: DC0/host/C0/Resources")
        .contains("convergence.io/lab-id: \"lab-1\"");
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
                    new Ownership("l", "l", "r", "h", "o", Instant.EPOCH))
                .content())
        .contains("createNewChildDiskBacking");
  }
}
