package io.convergence.nutanix.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.Ownership;
import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.GuestMount;
import io.convergence.nutanix.prism.VmCreateSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.VmSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NutanixVmPlanTest {

  private static final Ownership OWNER =
      new Ownership("lab-1a2b", "lab", "run-7", "hash", "me", Instant.ofEpochSecond(1_800_000_000));

  @Test
  void theOwnershipWrittenIntoTheDescriptionIsReadBackForSweep() {
    String d = NutanixVmPlan.description(OWNER, "tester");
    assertThat(NutanixVmPlan.ownership(d)).contains(OWNER);
    assertThat(NutanixVmPlan.ownership("a VM someone made by hand")).isEmpty();
    assertThat(NutanixVmPlan.ownership(null)).isEmpty();
  }

  @Test
  void aLinuxVmGetsItsUserDataWithTheMountsAndTheSharePasswordStaysOutOfToString() {
    VmSpec vm =
        VmSpec.builder()
            .image("ubuntu-22.04")
            .guestOs(GuestOs.LINUX)
            .cpus(2)
            .memory("2Gi")
            .cloudInit("#cloud-config\npassword: hunter2\n")
            .build();
    GuestMount m =
        new GuestMount(
            "results",
            "/results",
            false,
            GuestMount.Kind.SMB,
            "10.200.0.2",
            "results",
            "lab",
            "Cv-secret");
    assertThat(NutanixVmPlan.userData(vm, List.of(m)).orElseThrow())
        .contains("//10.200.0.2/results", "password: hunter2");
    VmCreateSpec spec =
        NutanixVmPlan.create(
            "tester-1a2b",
            vm,
            OWNER,
            "tester",
            new NutanixBackend.Placement("cluster-1", "subnet-1"),
            "category-1",
            "image-1",
            null,
            List.of(m));
    assertThat(spec.toString()).doesNotContain("hunter2").doesNotContain("Cv-secret");
  }

  @Test
  void settingsNameTheMissingCredentials() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
                Map.of("nutanix.url", "https://pc.example.com:9440"),
                new java.util.Properties(),
                Map.of(),
                getClass().getClassLoader())
            .scoped("nutanix");
    assertThatThrownBy(() -> NutanixSettings.from(config))
        .hasMessageContaining("convergence.nutanix.username")
        .hasMessageContaining("api-key");
  }

  private ConvergenceConfig config(Map<String, String> extra) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    all.put("nutanix.url", "https://pc.example.com:9440");
    all.put("nutanix.username", "admin");
    all.put("nutanix.password", "pw");
    all.putAll(extra);
    return ConvergenceConfig.load(
            all, new java.util.Properties(), Map.of(), getClass().getClassLoader())
        .scoped("nutanix");
  }

  @Test
  void filesSettingsNeedServerAndShareTogetherAndKeepTheSmbPasswordOut() {
    assertThat(NutanixSettings.from(config(Map.of())).files()).isEmpty();
    assertThatThrownBy(
            () -> NutanixSettings.from(config(Map.of("nutanix.files.server", "files01"))))
        .hasMessageContaining("convergence.nutanix.files.share");
    assertThatThrownBy(
            () ->
                NutanixSettings.from(
                    config(
                        Map.of("nutanix.files.server", "files01", "nutanix.files.share", "a/b"))))
        .hasMessageContaining("one share");
    assertThatThrownBy(
            () ->
                NutanixSettings.from(
                    config(
                        Map.of(
                            "nutanix.files.server",
                            "files01",
                            "nutanix.files.share",
                            "labs",
                            "nutanix.files.smb-user",
                            "LAB\\svc"))))
        .hasMessageContaining("files.smb-password");
    NutanixSettings s =
        NutanixSettings.from(
            config(
                Map.of(
                    "nutanix.files.server", "files01",
                    "nutanix.files.share", "\\labs\\",
                    "nutanix.files.smb-user", "LAB\\svc",
                    "nutanix.files.smb-password", "Sm8-secret")));
    assertThat(s.files().orElseThrow().share()).isEqualTo("labs");
    assertThat(s.files().orElseThrow().exportPath()).isEqualTo("/labs");
    assertThat(s.toString()).contains("files01").doesNotContain("Sm8-secret");
  }
}
