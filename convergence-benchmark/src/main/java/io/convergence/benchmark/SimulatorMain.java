package io.convergence.benchmark;

import io.convergence.spec.DurationText;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The embedded KubeVirt simulator in a process of its own, so that the benchmark's JVM holds only
 * the SDK. Prints {@code KUBECONFIG <path>}, then answers {@code COUNT <user-agent prefix>} with
 * the number of requests the server received from such clients, until its input ends.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  /**
   * Entry point.
   *
   * @param args the simulated step latency, e.g. {@code 200ms}
   * @throws IOException when the input cannot be read
   */
  public static void main(String[] args) throws IOException {
    Duration step = DurationText.parse(args.length > 0 ? args[0] : "200ms").orElseThrow();
    try (EmbeddedKubeVirt cluster =
        EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(step))) {
      System.out.println("KUBECONFIG " + cluster.kubeconfig());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("COUNT ")) {
          System.out.println(cluster.kubernetes().requestCount(line.substring(6)));
          System.out.flush();
        }
      }
    }
  }
}
