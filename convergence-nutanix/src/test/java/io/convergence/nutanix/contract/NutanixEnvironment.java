package io.convergence.nutanix.contract;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeContainerCluster;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.prism.FakePrismCentral;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake Prism Central (seeded with {@code lab-cluster-01}, subnet {@code vlan-lab} and two images)
 * whose guests learn loopback addresses of {@code 127.42.0.0/16}, plus the embedded Kubernetes API
 * server with the fake kubelet, volume provisioner and load balancer for containers and shared
 * volumes. {@link #listen(int)} binds a port on the wildcard address, so a VM's TCP probe to its
 * learned address reaches it.
 */
public final class NutanixEnvironment implements AutoCloseable {

  /** The fake Prism Central. */
  public final FakePrismCentral prism;

  /** The embedded Kubernetes API server. */
  public final EmbeddedKubernetes kubernetes;

  /** Faults of the fake kubelet, provisioner and load balancer. */
  public final Faults faults;

  private final FakeContainerCluster cluster;
  private final List<ServerSocket> listeners = new ArrayList<>();

  private NutanixEnvironment(Duration taskStep, Duration boot) {
    prism =
        FakePrismCentral.builder()
            .secureCookie(false)
            .guestNetwork("127.42.0.0/16")
            .taskStepDelay(taskStep)
            .bootDelay(boot)
            .start()
            .seedDefaults();
    cluster = FakeContainerCluster.start(Duration.ofMillis(15));
    kubernetes = cluster.kubernetes();
    faults = cluster.faults();
  }

  /**
   * Starts the fakes with task steps of 20 ms and a boot of 50 ms.
   *
   * @return the environment
   */
  public static NutanixEnvironment start() {
    return new NutanixEnvironment(
        FakePrismCentral.DEFAULT_TASK_STEP_DELAY, FakePrismCentral.DEFAULT_BOOT_DELAY);
  }

  /**
   * Accepts (and closes) connections on this port of every local address, until closed; 0 picks a
   * free port.
   *
   * @param port the port
   * @return the port bound
   * @throws IOException when it cannot be bound
   */
  public synchronized int listen(int port) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(port));
    listeners.add(s);
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket ignored = s.accept()) {
                  // accept and close: enough for a TCP probe
                } catch (IOException e) {
                  return;
                }
              }
            },
            "guest-port-" + s.getLocalPort());
    t.setDaemon(true);
    t.start();
    return s.getLocalPort();
  }

  @Override
  public synchronized void close() throws Exception {
    for (ServerSocket s : listeners) {
      s.close();
    }
    cluster.close();
    prism.close();
  }
}
