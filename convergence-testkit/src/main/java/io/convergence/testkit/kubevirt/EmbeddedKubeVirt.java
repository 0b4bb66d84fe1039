package io.convergence.testkit.kubevirt;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An in-process KubeVirt cluster: an {@link EmbeddedKubernetes} API server with a {@link
 * KubeVirtSimulator} running on it, its pod logs served through the API. This is what the demo and
 * the default test tier use when no cluster is configured.
 *
 * <pre>{@code
 * try (EmbeddedKubeVirt kv = EmbeddedKubeVirt.start()) {
 *   KubernetesClient client = kv.client();       // or any client built from kv.kubeconfig()
 *   kv.faults().agentNeverConnects("tester");
 *   ...
 *   long sdkRequests = kv.kubernetes().requestCount("convergence/");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class EmbeddedKubeVirt implements AutoCloseable {

  private final EmbeddedKubernetes kubernetes;
  private final KubeVirtSimulator simulator;

  private EmbeddedKubeVirt(EmbeddedKubernetes kubernetes, KubeVirtSimulator simulator) {
    this.kubernetes = kubernetes;
    this.simulator = simulator;
  }

  /**
   * Starts a cluster with the defaults (20ms per step, no faults, golden images seeded).
   *
   * @return the running cluster
   */
  public static EmbeddedKubeVirt start() {
    return start(EmbeddedKubernetes.builder(), KubeVirtSimulator.builder());
  }

  /**
   * Starts a cluster with these simulator settings.
   *
   * @param simulator the simulator's settings
   * @return the running cluster
   */
  public static EmbeddedKubeVirt start(KubeVirtSimulator.Builder simulator) {
    return start(EmbeddedKubernetes.builder(), simulator);
  }

  /**
   * Starts a cluster with these server and simulator settings.
   *
   * @param kubernetes the server's settings
   * @param simulator the simulator's settings
   * @return the running cluster
   */
  public static EmbeddedKubeVirt start(
      EmbeddedKubernetes.Builder kubernetes, KubeVirtSimulator.Builder simulator) {
    requireNonNull(kubernetes, "kubernetes");
    requireNonNull(simulator, "simulator");
    EmbeddedKubernetes k8s = kubernetes.start();
    try {
      KubeVirtSimulator sim = simulator.start(k8s.newClient(KubeVirtSimulator.USER_AGENT));
      k8s.servePodLogs(sim.kubelet());
      k8s.resetRequests();
      return new EmbeddedKubeVirt(k8s, sim);
    } catch (RuntimeException e) {
      k8s.close();
      throw e;
    }
  }

  /**
   * A client of the cluster (fabric8's default user agent, namespace {@code default}).
   *
   * @return the client, closed with the cluster
   */
  public KubernetesClient client() {
    return kubernetes.client();
  }

  /**
   * A new client with its own user agent, closed with the cluster.
   *
   * @param userAgent e.g. {@code convergence/0.1.0}, or null for fabric8's default
   * @return the client
   */
  public KubernetesClient newClient(@Nullable String userAgent) {
    return kubernetes.newClient(userAgent);
  }

  /**
   * The kubeconfig of the cluster.
   *
   * @return the path
   */
  public Path kubeconfig() {
    return kubernetes.kubeconfig();
  }

  /**
   * The API server (fault injection, request counts and log).
   *
   * @return the server
   */
  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /**
   * The simulators.
   *
   * @return the simulator
   */
  public KubeVirtSimulator simulator() {
    return simulator;
  }

  /**
   * The platform faults (shortcut for {@code simulator().faults()}).
   *
   * @return the faults
   */
  public Faults faults() {
    return simulator.faults();
  }

  /**
   * The platform latencies (shortcut for {@code simulator().latencies()}).
   *
   * @return the latencies
   */
  public Latencies latencies() {
    return simulator.latencies();
  }

  /** Stops the simulators, then the server. */
  @Override
  public void close() {
    try {
      simulator.close();
    } finally {
      kubernetes.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKubeVirt{" + kubernetes.url() + "}";
  }
}
