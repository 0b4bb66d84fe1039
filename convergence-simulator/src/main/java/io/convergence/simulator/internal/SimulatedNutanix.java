package io.convergence.simulator.internal;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeContainerCluster;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.prism.FakePrismCentral;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Nutanix lab site in a box: the testkit's fake Prism Central (v4 API over plain HTTP on {@code
 * 127.0.0.1}) seeded with cluster {@value FakePrismCentral#DEFAULT_CLUSTER}, subnet {@value
 * FakePrismCentral#DEFAULT_SUBNET} and images {@value #LINUX_IMAGE} and {@value #WINDOWS_IMAGE},
 * plus an embedded Kubernetes API server with a fake kubelet, volume provisioner and load balancer
 * for the containers and shared volumes (the in-lab Samba server's LoadBalancer Service gets an
 * address the VMs mount from).
 *
 * <p>Guests learn addresses in {@code 127.42.0.0/16}: on Linux every 127/8 address is the loopback,
 * so a VM's TCP probe (ssh 22, winrm 5985, tcp N) succeeds exactly when something listens on that
 * port of the wildcard address on this machine. A VM without TCP probes needs nothing.
 */
public final class SimulatedNutanix implements AutoCloseable {

  /** The Linux image of the image service: {@value}. */
  public static final String LINUX_IMAGE = FakePrismCentral.UBUNTU_IMAGE;

  /** The Windows image of the image service: {@value}. */
  public static final String WINDOWS_IMAGE = FakePrismCentral.WINDOWS_IMAGE;

  /** The network guests learn their IPv4 addresses from: {@value}. */
  public static final String GUEST_NETWORK = "127.42.0.0/16";

  private final FakePrismCentral prism;
  private final FakeContainerCluster cluster;

  private SimulatedNutanix(Duration latency) {
    // Plain HTTP, so the session cookie must not be Secure or the client never sends it back.
    this.prism =
        FakePrismCentral.builder()
            .secureCookie(false)
            .guestNetwork(GUEST_NETWORK)
            .taskStepDelay(latency)
            .bootDelay(latency)
            .build()
            .seedDefaults()
            .start();
    try {
      this.cluster = FakeContainerCluster.start(latency);
    } catch (RuntimeException e) {
      prism.close();
      throw e;
    }
  }

  /**
   * Starts the fake Prism Central and the embedded cluster.
   *
   * @param latency each simulated step: a Prism task step, a guest boot, a Kubernetes step
   * @return the running site
   */
  public static SimulatedNutanix start(Duration latency) {
    return new SimulatedNutanix(latency);
  }

  /**
   * The settings that point the Nutanix backend at this site. {@code api-key} and {@code context}
   * are blanked (a blank setting is unset), so a stray one cannot point the backend elsewhere.
   *
   * @return setting (without the backend prefix) to value
   */
  public Map<String, String> backendSettings() {
    return Map.ofEntries(
        Map.entry("url", prism.baseUri().toString()),
        Map.entry("username", FakePrismCentral.DEFAULT_USERNAME),
        Map.entry("password", FakePrismCentral.DEFAULT_PASSWORD),
        Map.entry("api-key", ""),
        Map.entry("cluster", FakePrismCentral.DEFAULT_CLUSTER),
        Map.entry("subnet", FakePrismCentral.DEFAULT_SUBNET),
        Map.entry("kubeconfig", cluster.kubernetes().kubeconfig().toString()),
        Map.entry("context", ""));
  }

  /** {@return the fake Prism Central: its VMs, categories, tasks, request log and faults} */
  public FakePrismCentral prism() {
    return prism;
  }

  /** {@return the faults of the containers (kubelet, provisioner, load balancer)} */
  public Faults faults() {
    return cluster.faults();
  }

  /** {@return the embedded Kubernetes API server} */
  public EmbeddedKubernetes kubernetes() {
    return cluster.kubernetes();
  }

  @Override
  public void close() {
    closeQuietly(cluster);
    prism.close();
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }

  @Override
  public String toString() {
    return "SimulatedNutanix{" + prism.baseUri() + ", " + cluster.kubernetes().url() + "}";
  }
}
