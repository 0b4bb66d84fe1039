package io.convergence.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KubeVirtSnapshotsTest {

  @Test
  @DisplayName(
      "a VM is snapshotted, listed and reverted through snapshot.kubevirt.io, and is ready again")
  void snapshotAndRevert() {
    try (EmbeddedKubeVirt cluster =
            EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(Duration.ofMillis(10)));
        Convergence client =
            Convergence.builder()
                .backend(KubeVirtBackendProvider.ID)
                .property("kubevirt.kubeconfig", cluster.kubeconfig().toString())
                .build();
        Lab lab =
            client.start(
                LabSpec.builder("snap")
                    .vm("tester", VmSpec.builder().image("fedora-41").build())
                    .container("app", ContainerSpec.builder().image("busybox").build())
                    .build())) {
      Snapshots snapshots = lab.capability(Snapshots.class).orElseThrow();

      snapshots.snapshot("tester", "clean");
      assertThat(snapshots.list("tester")).containsExactly("clean");
      snapshots.revert("tester", "clean");

      assertThat(lab.workload("tester").status()).isEqualTo(WorkloadStatus.READY);
      assertThatThrownBy(() -> snapshots.revert("tester", "dirty"))
          .hasMessageContaining("no snapshot 'dirty'");
      assertThatThrownBy(() -> snapshots.snapshot("app", "x")).hasMessageContaining("not a VM");
    }
  }
}
