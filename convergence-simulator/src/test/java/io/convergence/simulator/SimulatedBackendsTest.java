package io.convergence.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.VmSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each simulated backend, found by id, runs a converged lab and leaves nothing behind. */
class SimulatedBackendsTest {

  @ParameterizedTest
  @CsvSource({
    "kubevirt-simulator, fedora-41, io.convergence.testkit.kubevirt.EmbeddedKubeVirt",
    "vsphere-supervisor-simulator, ubuntu-22.04, io.convergence.testkit.vmoperator.EmbeddedVmOperator",
    "nutanix-simulator, ubuntu-22.04-cloudimg, io.convergence.simulator.internal.SimulatedNutanix"
  })
  void aConvergedLabRunsOnTheSimulatorAndLeavesNothing(
      String backend, String linuxImage, Class<?> simulator) {
    try (Convergence client = Convergence.builder().backend(backend).build()) {
      LabSpec spec =
          LabSpec.builder("sim-" + backend.replace("-simulator", ""))
              .vm(
                  "tester",
                  VmSpec.builder().image(linuxImage).guestOs(GuestOs.LINUX).expose(22).build())
              .container("app", ContainerSpec.builder().image("python:3.12-slim").build())
              .ttl(Duration.ofHours(1))
              .build();
      String id;
      try (Lab lab = client.start(spec)) {
        id = lab.id();
        assertThat(lab.backendId()).isEqualTo(backend);
        assertThat(lab.workloads())
            .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
        assertThat(lab.unwrap(simulator)).as("the simulator behind the backend").isNotNull();
      }
      assertThat(client.sweep(SweepRequest.lab(id).dryRun()).labIds())
          .as("labs left on " + backend)
          .isEmpty();
    }
  }

  @Test
  void anUnknownSimulatedReleaseIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(
            () ->
                Convergence.builder()
                    .backend(SupervisorSimulatorBackendProvider.ID)
                    .property("vsphere-supervisor-simulator.release", "vcf-8.0")
                    .build())
        .hasMessageContaining("vcf-8.0")
        .hasMessageContaining("vcf-9.0.1")
        .hasMessageContaining("upstream-main");
  }

  @Test
  void releaseIdsReadLikeVcfVersions() {
    assertThat(
            SupervisorSimulatorBackendProvider.releaseId(
                io.convergence.testkit.vmoperator.VcfRelease.VCF_9_0_1))
        .isEqualTo("vcf-9.0.1");
  }
}
