package io.convergence.simulator.internal;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeKubelet;
import io.convergence.testkit.kubernetes.FakeLoadBalancer;
import io.convergence.testkit.kubernetes.FakeVolumeProvisioner;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
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
  private final EmbeddedKubernetes kubernetes;
  private final Faults faults = new Faults();
  private final FakeKubelet kubelet;
  private final FakeVolumeProvisioner provisioner;
  private final FakeLoadBalancer loadBalancer;

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
    EmbeddedKubernetes k = null;
    FakeKubelet kl = null;
    FakeVolumeProvisioner pr = null;
    try {
      k = EmbeddedKubernetes.start();
      Latencies latencies = new Latencies(latency);
      kl =
          FakeKubelet.builder(k.newClient("fake-kubelet"))
              .faults(faults)
              .latencies(latencies)
              .start();
      k.servePodLogs(kl);
      pr = FakeVolumeProvisioner.start(k.newClient("fake-provisioner"), latencies, faults);
      this.loadBalancer =
          FakeLoadBalancer.start(k.newClient("fake-load-balancer"), latencies, faults);
    } catch (RuntimeException e) {
      closeQuietly(pr);
      closeQuietly(kl);
      closeQuietly(k);
      prism.close();
      throw e;
    }
    this.kubernetes = k;
    this.kubelet = kl;
    this.provisioner = pr;
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
        Map.entry("kubeconfig", kubernetes.kubeconfig().toString()),
        Map.entry("context", ""));
  }

  /** {@return the fake Prism Central: its VMs, categories, tasks, request log and faults} */
  public FakePrismCentral prism() {
    return prism;
  }

  /** {@return the faults of the containers (kubelet, provisioner, load balancer)} */
  public Faults faults() {
    return faults;
  }

  /** {@return the embedded Kubernetes API server} */
  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  @Override
  public void close() {
    closeQuietly(loadBalancer);
    closeQuietly(provisioner);
    closeQuietly(kubelet);
    closeQuietly(kubernetes);
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
    return "SimulatedNutanix{" + prism.baseUri() + ", " + kubernetes.url() + "}";
  }
}
