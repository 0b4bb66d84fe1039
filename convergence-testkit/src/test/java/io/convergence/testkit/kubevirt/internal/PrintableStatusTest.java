package io.convergence.testkit.kubevirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.kubevirt.internal.PrintableStatus.Facts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** KubeVirt's printableStatus precedence: the first status that applies wins. */
class PrintableStatusTest {

  private static Facts facts(
      boolean vmDeleting,
      boolean vmiExists,
      boolean vmiFinal,
      boolean vmiDeleting,
      boolean stop,
      String phase,
      boolean pvcNotFound,
      boolean dvError,
      boolean unschedulable,
      boolean provisioning,
      boolean binding,
      String sync,
      boolean crashLoop) {
    return new Facts(
        vmDeleting,
        vmiExists,
        vmiFinal,
        vmiDeleting,
        stop,
        phase,
        false,
        pvcNotFound,
        dvError,
        unschedulable,
        provisioning,
        binding,
        sync,
        crashLoop);
  }

  @Test
  @DisplayName("no VMI: Stopped; with a start back-off: CrashLoopBackOff; DataVolumes first")
  void withoutVmi() {
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", false, false, false, false, false, "",
                    false)))
        .isEqualTo("Stopped");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", false, false, false, false, false, "",
                    true)))
        .isEqualTo("CrashLoopBackOff");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", false, false, false, true, false, "",
                    false)))
        .isEqualTo("Provisioning");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", false, true, false, true, false, "",
                    false)))
        .isEqualTo("DataVolumeError");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", true, true, false, true, false, "",
                    false)))
        .isEqualTo("ErrorPvcNotFound");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, false, false, false, false, "", false, false, false, false, true, "",
                    false)))
        .isEqualTo("WaitingForVolumeBinding");
  }

  @Test
  @DisplayName(
      "with a VMI: Terminating > Stopping > Running > ErrorUnschedulable > ErrImagePull > Starting")
  void withVmi() {
    assertThat(
            PrintableStatus.of(
                facts(
                    true, true, false, true, true, "Running", false, false, false, false, false, "",
                    false)))
        .isEqualTo("Terminating");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, true, false, true, false, "Running", false, false, false, false, false,
                    "", false)))
        .isEqualTo("Stopping");
    assertThat(
            PrintableStatus.of(
                facts(
                    false,
                    true,
                    false,
                    false,
                    true,
                    "Scheduling",
                    false,
                    false,
                    false,
                    false,
                    false,
                    "",
                    false)))
        .isEqualTo("Stopping");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, true, false, false, false, "Running", false, true, false, false, false,
                    "", false)))
        .isEqualTo("Running");
    assertThat(
            PrintableStatus.of(
                facts(
                    false,
                    true,
                    false,
                    false,
                    false,
                    "Scheduling",
                    false,
                    false,
                    true,
                    false,
                    false,
                    "ErrImagePull",
                    false)))
        .isEqualTo("ErrorUnschedulable");
    assertThat(
            PrintableStatus.of(
                facts(
                    false,
                    true,
                    false,
                    false,
                    false,
                    "Scheduling",
                    false,
                    false,
                    false,
                    false,
                    false,
                    "ErrImagePull",
                    false)))
        .isEqualTo("ErrImagePull");
    assertThat(
            PrintableStatus.of(
                facts(
                    false,
                    true,
                    false,
                    false,
                    false,
                    "Scheduling",
                    false,
                    false,
                    false,
                    false,
                    false,
                    "ImagePullBackOff",
                    false)))
        .isEqualTo("ImagePullBackOff");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, true, false, false, false, "Pending", false, false, false, false, false,
                    "", false)))
        .isEqualTo("Starting");
    assertThat(
            PrintableStatus.of(
                facts(
                    false, true, true, false, false, "Failed", false, false, false, false, false,
                    "", false)))
        .isEqualTo("Stopped");
  }
}
