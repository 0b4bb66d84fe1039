package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Lab;
import io.convergence.WorkloadStatus;
import io.convergence.junit5.ConvergenceLab;
import io.convergence.junit5.LabDefinition;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import org.junit.jupiter.api.Test;

/**
 * The sample converged lab on VMware VCF in Supervisor mode: the Windows tester and the Linux
 * prober as VM Service VMs (vm-operator VirtualMachines), the analysis container as a vSphere Pod,
 * the shared volume as a ReadWriteMany claim served to the VMs by the in-lab Samba server. Here it
 * runs on the embedded vSphere Namespace ({@code vsphere-supervisor-simulator}); on a real
 * Supervisor, use {@code backend = "vsphere-supervisor"} with {@code
 * convergence.vsphere-supervisor.kubeconfig} (from {@code kubectl vsphere login}), {@code
 * .namespace} and {@code .storage-class} (README, "Backends").
 */
@ConvergenceLab(backend = "vsphere-supervisor-simulator")
class SupervisorWaferLabTest {

  @LabDefinition
  static LabSpec lab() {
    return SampleLabs.waferAnalysis(
        "wafer-vcf", "windows-2022", "ubuntu-22.04", SecretValue.of(SampleLabs.DEMO_UNATTEND));
  }

  @Test
  void everyWorkloadIsReadyAndTheVolumeIsSharedThroughTheFileServer(Lab lab) {
    assertThat(lab.workloads())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
    assertThat(lab.plan().render())
        .contains("kind: \"VirtualMachine\"", "vmoperator.vmware.com/", "results-smb")
        .doesNotContain("demo-only");
  }
}
