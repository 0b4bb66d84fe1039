package io.convergence.vsphere.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.BackendException;
import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VcfRelease;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SupervisorSnapshotsTest {

  private static EmbeddedVmOperator start(VcfRelease release) {
    return EmbeddedVmOperator.start(
        release,
        VmOperatorSimulator.builder()
            .latency(Duration.ofMillis(10))
            .namespaces(SupervisorContractTarget.NAMESPACE));
  }

  private static LabSpec lab(String name) {
    return LabSpec.builder(name)
        .vm("tester", VmSpec.builder().image("ubuntu-22.04").build())
        .container("app", ContainerSpec.builder().image("busybox").build())
        .build();
  }

  @Test
  @DisplayName("a VM is snapshotted, listed and reverted, is ready again, and nothing is left")
  void snapshotAndRevert() {
    try (EmbeddedVmOperator sv = start(VcfRelease.UPSTREAM_MAIN)) {
      SupervisorContractTarget target = new SupervisorContractTarget(sv, Duration.ofSeconds(3));
      String labId;
      try (Convergence client = target.connect(Clock.systemUTC());
          Lab lab = client.start(lab("snap"))) {
        labId = lab.id();
        Snapshots snapshots = lab.capability(Snapshots.class).orElseThrow();

        snapshots.snapshot("tester", "clean");
        snapshots.snapshot("tester", "later");
        assertThat(snapshots.list("tester")).containsExactly("clean", "later");
        snapshots.revert("tester", "clean");

        assertThat(lab.workload("tester").status()).isEqualTo(WorkloadStatus.READY);
        assertThat(target.objects())
            .filteredOn(o -> o.labId().equals(labId))
            .extracting(PlatformObject::kind)
            .contains("VirtualMachineSnapshot");
        assertThatThrownBy(() -> snapshots.revert("tester", "dirty"))
            .hasMessageContaining("no snapshot 'dirty'");
        assertThatThrownBy(() -> snapshots.snapshot("app", "x")).hasMessageContaining("not a VM");

        sv.simulator().controller().failSnapshots("tester", "quiesce timed out");
        assertThatThrownBy(() -> snapshots.snapshot("tester", "broken"))
            .isInstanceOf(BackendException.class)
            .hasMessageContaining("quiesce timed out");
      }
      assertThat(target.objects())
          .as("objects left after close, snapshots included")
          .filteredOn(o -> o.labId().equals(labId))
          .isEmpty();
    }
  }

  @Test
  @DisplayName("VCF 9.0 serves no VirtualMachineSnapshot: no snapshots capability")
  void noSnapshotsOnVcf90() {
    try (EmbeddedVmOperator sv = start(VcfRelease.VCF_9_0);
        Convergence client =
            new SupervisorContractTarget(sv, Duration.ofSeconds(3)).connect(Clock.systemUTC());
        Lab lab = client.start(lab("nosnap"))) {
      assertThat(lab.capability(Snapshots.class)).isEmpty();
    }
  }
}
