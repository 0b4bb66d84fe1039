package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the demo as the README's first command does: a fresh JVM with the module's classpath. */
class DemoLabIT {

  private static String run(String mode) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java, "-cp", System.getProperty("java.class.path"), DemoLab.class.getName(), mode)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("demo finished").isTrue();
    assertThat(p.exitValue()).as("exit code; output:%n%s", output).isZero();
    return output;
  }

  @Test
  @DisplayName(
      "the demo prints every workload reaching every stage, then tears the lab down completely")
  void demo() throws IOException, InterruptedException {
    String output = run("run");

    for (String workload : List.of("tester", "prober", "analysis")) {
      for (String stage : List.of("created", "scheduled", "running", "network", "probe")) {
        assertThat(output).contains(workload + " reached " + stage);
      }
      assertThat(output).contains(workload + " ready");
    }
    assertThat(output)
        .contains("tester reached guest", "prober reached guest")
        .doesNotContain("analysis reached guest");
    assertThat(output)
        .containsPattern(
            "tester +VM +host 10\\.88\\.\\d+\\.\\d+ +ports \\[5985 -> 127\\.0\\.0\\.1:\\d+]");
    assertThat(output).contains("mounts [results at R:]", "mounts [results at /data]");
    assertThat(output).contains("output 2", "tearing down lab", "is gone", "0 of its objects left");
    assertThat(output).doesNotContain("demo-only");
  }

  @Test
  @DisplayName("the demo's plan mode prints the native objects with the sysprep answer redacted")
  void plan() throws IOException, InterruptedException {
    String output = run("plan");

    assertThat(output)
        .contains("kind: VirtualMachine", "kind: Container", "kind: Secret", "<redacted>");
    assertThat(output).doesNotContain("demo-only");
  }
}
