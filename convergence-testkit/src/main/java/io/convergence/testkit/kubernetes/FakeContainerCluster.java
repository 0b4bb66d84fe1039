package io.convergence.testkit.kubernetes;

import java.time.Duration;

/**
 * The container side of a converged lab without a cluster: the {@link EmbeddedKubernetes} API
 * server with a {@link FakeKubelet} (pods, logs), a {@link FakeVolumeProvisioner} (claims) and a
 * {@link FakeLoadBalancer} (LoadBalancer Services), all sharing one {@link Faults} and one {@link
 * Latencies}. The simulators and contract tests of backends whose VMs live elsewhere (vCenter,
 * Nutanix) pair it with their VM platform's fake.
 *
 * <pre>{@code
 * try (FakeContainerCluster cluster = FakeContainerCluster.start(Duration.ofMillis(15))) {
 *   Path kubeconfig = cluster.kubernetes().kubeconfig();
 *   cluster.faults().failAt("analysis", Stage.RUNNING, "ErrImagePull", "no such image");
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FakeContainerCluster implements AutoCloseable {

  private final EmbeddedKubernetes kubernetes;
  private final Faults faults = new Faults();
  private final Latencies latencies;
  private final FakeKubelet kubelet;
  private final FakeVolumeProvisioner provisioner;
  private final FakeLoadBalancer loadBalancer;

  private FakeContainerCluster(Duration latency) {
    latencies = new Latencies(latency);
    EmbeddedKubernetes k = EmbeddedKubernetes.start();
    FakeKubelet kl = null;
    FakeVolumeProvisioner pr = null;
    try {
      kl =
          FakeKubelet.builder(k.newClient("fake-kubelet"))
              .faults(faults)
              .latencies(latencies)
              .start();
      k.servePodLogs(kl);
      pr = FakeVolumeProvisioner.start(k.newClient("fake-provisioner"), latencies, faults);
      loadBalancer = FakeLoadBalancer.start(k.newClient("fake-load-balancer"), latencies, faults);
    } catch (RuntimeException e) {
      if (pr != null) {
        pr.close();
      }
      if (kl != null) {
        kl.close();
      }
      k.close();
      throw e;
    }
    kubernetes = k;
    kubelet = kl;
    provisioner = pr;
    kubernetes.resetRequests();
  }

  /**
   * Starts the API server and the fake controllers.
   *
   * @param latency each simulated step (a pod's stage, a claim's binding, an address)
   * @return the running cluster
   */
  public static FakeContainerCluster start(Duration latency) {
    return new FakeContainerCluster(latency);
  }

  /**
   * The API server: its kubeconfig, clients, request log and request faults.
   *
   * @return the API server
   */
  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /**
   * The faults of the kubelet, provisioner and load balancer.
   *
   * @return the faults
   */
  public Faults faults() {
    return faults;
  }

  /**
   * The latencies of the kubelet, provisioner and load balancer, changeable per workload.
   *
   * @return the latencies
   */
  public Latencies latencies() {
    return latencies;
  }

  /**
   * The fake kubelet.
   *
   * @return the kubelet
   */
  public FakeKubelet kubelet() {
    return kubelet;
  }

  /** Stops the controllers, then the API server. */
  @Override
  public void close() {
    loadBalancer.close();
    provisioner.close();
    kubelet.close();
    kubernetes.close();
  }
}
