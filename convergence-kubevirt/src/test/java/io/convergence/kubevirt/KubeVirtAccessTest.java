package io.convergence.kubevirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Interactive access on the simulator: what the embedded API server can serve (logs), and honest
 * refusals.
 */
class KubeVirtAccessTest {

  @Test
  @DisplayName(
      "logs come from the pod's log subresource; a VM has no exec; log-line probes follow the output")
  void access() {
    try (EmbeddedKubeVirt cluster =
            EmbeddedKubeVirt.start(
                KubeVirtSimulator.builder()
                    .latency(Duration.ofMillis(10))
                    .logLines("analysis", "Serving HTTP on 0.0.0.0 port 8000"));
        Convergence client =
            Convergence.builder()
                .backend(KubeVirtBackendProvider.ID)
                .property("kubevirt.kubeconfig", cluster.kubeconfig().toString())
                .build();
        Lab lab =
            client.start(
                LabSpec.builder("access")
                    .container(
                        "analysis",
                        ContainerSpec.builder()
                            .image("python:3.12-slim")
                            .expose(8000)
                            .probe(Probe.tcp(8000))
                            .probe(Probe.logLine("Serving HTTP on .* port 8000"))
                            .build())
                    .vm("tester", VmSpec.builder().image("fedora-41").build())
                    .build())) {
      assertThat(lab.workload("analysis").logs()).contains("Serving HTTP on 0.0.0.0 port 8000");
      assertThat(lab.events())
          .anySatisfy(e -> assertThat(e.message()).isEqualTo("log lines matched"));
      assertThatThrownBy(() -> lab.workload("tester").exec("uname"))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("KubeVirt has no API to run commands in a guest");
      assertThatThrownBy(() -> lab.workload("tester").copyTo(Path.of("pom.xml"), "/tmp/pom.xml"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> lab.workload("analysis").endpoint(9999))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("exposes 8000");
    }
  }
}
