package io.convergence.benchmark;

import io.convergence.spec.DurationText;
import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeContainerCluster;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import io.convergence.testkit.prism.FakePrismCentral;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The platform the benchmark measures against, in a process of its own, so that the benchmark's JVM
 * holds only the SDK.
 *
 * <ul>
 *   <li>{@code kubevirt <step>}: the embedded KubeVirt simulator. Prints {@code KUBECONFIG <path>}.
 *   <li>{@code nutanix <step>}: the testkit's fake Prism Central (plain HTTP, session cookie
 *       without {@code Secure} so the client reuses it, guests on {@code 127.42.0.0/16}, every task
 *       step and a guest's boot taking {@code step}) plus a fake container cluster (embedded API
 *       server, fake kubelet, provisioner and load balancer, each step taking {@code step}). Prints
 *       {@code PRISM <base URI>} and {@code KUBECONFIG <path>}.
 * </ul>
 *
 * <p>Then prints {@code READY} and answers, until its input ends, {@code COUNT <user-agent prefix>}
 * with the number of requests the Kubernetes API server received from such clients and {@code
 * PRISM_COUNT} with the number of requests the fake Prism Central received (every one is the SDK's:
 * nothing else talks to it), each as a line of digits. A single argument {@code <step>} is the
 * KubeVirt mode, as before.
 */
public final class SimulatorMain {

  private SimulatorMain() {}

  /**
   * Entry point.
   *
   * @param args {@code [kubevirt|nutanix] <step>}, e.g. {@code nutanix 200ms}
   * @throws IOException when the input cannot be read
   */
  public static void main(String[] args) throws IOException {
    String mode = args.length > 1 ? args[0] : "kubevirt";
    String stepText = args.length > 1 ? args[1] : args.length > 0 ? args[0] : "200ms";
    Duration step = DurationText.parse(stepText).orElseThrow();
    switch (mode) {
      case "kubevirt" -> kubevirt(step);
      case "nutanix" -> nutanix(step);
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static void kubevirt(Duration step) throws IOException {
    try (EmbeddedKubeVirt cluster =
        EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(step))) {
      System.out.println("KUBECONFIG " + cluster.kubeconfig());
      serve(cluster.kubernetes(), null);
    }
  }

  private static void nutanix(Duration step) throws IOException {
    try (FakePrismCentral prism =
            FakePrismCentral.builder()
                .secureCookie(false)
                .guestNetwork("127.42.0.0/16")
                .taskStepDelay(step)
                .bootDelay(step)
                .start()
                .seedDefaults();
        FakeContainerCluster cluster = FakeContainerCluster.start(step)) {
      System.out.println("PRISM " + prism.baseUri());
      System.out.println("KUBECONFIG " + cluster.kubernetes().kubeconfig());
      serve(cluster.kubernetes(), prism);
    }
  }

  private static void serve(EmbeddedKubernetes kubernetes, @Nullable FakePrismCentral prism)
      throws IOException {
    System.out.println("READY");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("COUNT ")) {
        System.out.println(kubernetes.requestCount(line.substring(6)));
      } else if (line.equals("PRISM_COUNT")) {
        System.out.println(prism == null ? 0 : prism.requests().size());
      }
      System.out.flush();
    }
  }
}
