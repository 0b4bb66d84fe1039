package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the demo as the README's first command does: a fresh JVM with the module's classpath. */
class DemoLabIT {

  private static String run(List<String> jvmArgs, String mode)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
    command.addAll(jvmArgs);
    command.add(DemoLab.class.getName());
    command.add(mode);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("demo finished").isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
    return output;
  }

  @Test
  @DisplayName(
      "on the embedded simulator the demo shows every workload reach every stage, then removes the lab")
  void embedded() throws IOException, InterruptedException {
    String output = run(List.of(), "run");

    assertThat(output).contains("running on the embedded KubeVirt simulator");
    for (String workload : List.of("tester", "prober", "analysis", "results-smb")) {
      for (String stage : List.of("created", "scheduled", "running", "network", "probe")) {
        assertThat(output).contains(workload + " reached " + stage);
      }
      assertThat(output).contains(workload + " ready");
    }
    assertThat(output).contains("tester reached guest").doesNotContain("analysis reached guest");
    assertThat(output)
        .containsPattern("tester +VM +host tester\\.cvg-wafer-analysis-[a-z0-9]+\\.svc");
    assertThat(output).contains("mounts [results at R:]", "mounts [results at /data]", "over SMB");
    assertThat(output).contains("tearing down lab", "is gone", "0 of its pods and namespaces left");
    assertThat(output).doesNotContain("demo-only", "Exception");
  }

  @Test
  @DisplayName("the demo's plan mode prints the native objects with the sysprep answer redacted")
  void plan() throws IOException, InterruptedException {
    String output = run(List.of(), "plan");

    assertThat(output)
        .contains(
            "kind: \"VirtualMachine\"",
            "kind: \"Pod\"",
            "kind: \"Secret\"",
            "<redacted>",
            "runStrategy: \"Always\"");
    assertThat(output).doesNotContain("demo-only", "running:");
  }

  @Test
  @DisplayName(
      "given a kubeconfig, the demo runs on that cluster: a real kube-apiserver with KubeVirt's CRDs")
  void realApiServer() throws Exception {
    Path shared =
        KubeApiServer.sharedDir()
            .orElseThrow(() -> new IllegalStateException("../shared not found"));
    try (KubeApiServer server =
            KubeApiServer.start(
                    Files.createTempDirectory("convergence-demo-"),
                    shared.resolve("data/kubevirt-crds"),
                    shared.resolve("data/cdi-crds"))
                .orSkip();
        KubeVirtSimulator simulator =
            KubeVirtSimulator.builder()
                .latency(Duration.ofMillis(20))
                .start(server.newClient(KubeVirtSimulator.USER_AGENT))) {
      String output =
          run(List.of("-Dconvergence.kubevirt.kubeconfig=" + server.kubeconfig()), "run");

      assertThat(output).doesNotContain("embedded KubeVirt simulator");
      assertThat(output).contains("lab wafer-analysis-", " ready: ", "is gone");
      assertThat(
              server
                  .client()
                  .namespaces()
                  .withLabel("convergence.io/lab", "wafer-analysis")
                  .list()
                  .getItems())
          .as("lab namespaces left on the API server")
          .isEmpty();
      assertThat(
              server
                  .client()
                  .pods()
                  .inAnyNamespace()
                  .withLabel("convergence.io/lab", "wafer-analysis")
                  .list()
                  .getItems())
          .as("lab pods left on the API server")
          .isEmpty();
    }
  }
}
