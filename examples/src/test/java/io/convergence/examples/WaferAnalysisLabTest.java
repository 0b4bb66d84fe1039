package io.convergence.examples;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Lab;
import io.convergence.Workload;
import io.convergence.WorkloadStatus;
import io.convergence.junit5.ConvergenceLab;
import io.convergence.junit5.InjectWorkload;
import io.convergence.junit5.LabDefinition;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A converged lab per test class: copy this class into your project with the test-scoped
 * dependencies {@code convergence-junit5} and {@code convergence-simulator}, and it runs on the
 * embedded KubeVirt simulator. Drop {@code backend} to let {@code convergence.backend} (system
 * property, {@code CONVERGENCE_BACKEND}, {@code convergence.properties}) or autodetection choose,
 * e.g. {@code -Dconvergence.backend=kubevirt -Dconvergence.kubevirt.kubeconfig=...} for a real
 * cluster.
 *
 * <p>The lab starts once before the tests and is removed after them, whatever happens; when a test
 * fails, its diagnostics (spec, plan, timeline, each workload's state and logs) land in {@code
 * target/convergence-reports/}.
 */
@ConvergenceLab(backend = "kubevirt-simulator")
class WaferAnalysisLabTest {

  /** A Windows test-tool VM and a Python analysis container sharing a results volume. */
  @LabDefinition
  static LabSpec lab() {
    return LabSpec.builder("wafer-junit")
        .sharedVolume(SharedVolume.named("results").withSize("5Gi"))
        .vm(
            "tester",
            VmSpec.builder()
                .image("win2019-tester")
                .guestOs(GuestOs.WINDOWS)
                .cpus(2)
                .memory("4Gi")
                // In a real project: SecretValue.fromEnv("TESTER_UNATTEND_XML") or fromFile(...)
                .sysprep(SecretValue.of(SampleLabs.DEMO_UNATTEND))
                .guestAgent(true)
                .expose(PortSpec.tcp(5985, "winrm"))
                .mount("results", "R:")
                .probe(Probe.winRm())
                .timeout(Stage.GUEST, Duration.ofMinutes(30))
                .build())
        .container(
            "analysis",
            ContainerSpec.builder()
                .image("python:3.12-slim")
                .command("python", "-m", "http.server", "8000")
                .env("WSMAN_URL", "http://" + ref("tester").address(5985) + "/wsman")
                .expose(8000)
                .mount("results", "/data")
                .probe(Probe.http(8000, "/"))
                .build())
        .ttl(Duration.ofHours(2))
        .build();
  }

  @InjectWorkload("tester")
  static Workload tester;

  @Test
  void everyWorkloadIsReady(Lab lab) {
    assertThat(lab.workloads())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
    assertThat(tester.stageTimings()).containsKeys(Stage.GUEST, Stage.PROBE);
  }

  @Test
  void theAnalysisContainerFindsTheTester(@InjectWorkload("analysis") Workload analysis) {
    ContainerSpec resolved = (ContainerSpec) analysis.spec();
    assertThat(resolved.env().get("WSMAN_URL"))
        .as("the reference to the tester, resolved once the tester was ready")
        .isEqualTo(EnvValue.plain("http://" + tester.host() + ":5985/wsman"));
  }
}
