package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.internal.Cache;
import io.convergence.testkit.kubernetes.internal.Controller;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives Services of type {@code LoadBalancer} an address, as a load-balancer implementation does
 * (MetalLB, kube-vip, NSX, AVI): one {@linkplain Latencies latency} after such a Service appears,
 * {@code status.loadBalancer.ingress} gets one IP, {@code spec.loadBalancerIP} if set, else the
 * next free one of {@code 10.200.0.0/16}, written through the {@code /status} subresource. A
 * Service the {@link Faults} withhold ({@link Faults#noLoadBalancerAddress}) stays without one, as
 * on a cluster with no load-balancer implementation. Services of other types are left alone.
 *
 * <p>What it does not simulate: traffic (nothing listens on the address), {@code hostname} ingress
 * (AWS-style), {@code loadBalancerClass}, node ports, address pools running out.
 *
 * @since 0.1.0
 */
public final class FakeLoadBalancer implements AutoCloseable {

  private final Balancer controller;
  private final Faults faults;
  private final Latencies latencies;
  private final AtomicLong next = new AtomicLong();
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  private FakeLoadBalancer(KubernetesClient client, Latencies latencies, Faults faults) {
    this.faults = faults;
    this.latencies = latencies;
    this.controller = new Balancer(client);
  }

  /**
   * Starts a load balancer watching Services in every namespace.
   *
   * @param client the client it reads and writes with
   * @param latencies the latencies (shared with the other simulators)
   * @param faults the faults (shared with the other simulators)
   * @return the running load balancer
   */
  public static FakeLoadBalancer start(
      KubernetesClient client, Latencies latencies, Faults faults) {
    FakeLoadBalancer b =
        new FakeLoadBalancer(
            requireNonNull(client, "client"),
            requireNonNull(latencies, "latencies"),
            requireNonNull(faults, "faults"));
    b.controller.start();
    return b;
  }

  /** Stops watching; Services keep their status. */
  @Override
  public void close() {
    controller.close();
  }

  private final class Balancer extends Controller {
    private final Cache<Service> services = new Cache<>();

    Balancer(KubernetesClient client) {
      super("load-balancer", client, 2);
    }

    @Override
    protected void startInformers() {
      inform(client.services().inAnyNamespace(), services, s -> List.of(key("svc", s)));
    }

    @Override
    protected void reconcile(String key) {
      String[] k = split(key);
      Service svc = services.get(k[1], k[2]);
      if (svc == null) {
        forget(key);
        return;
      }
      if (svc.getMetadata().getDeletionTimestamp() != null
          || svc.getSpec() == null
          || !"LoadBalancer".equals(svc.getSpec().getType())
          || (svc.getStatus() != null
              && svc.getStatus().getLoadBalancer() != null
              && svc.getStatus().getLoadBalancer().getIngress() != null
              && !svc.getStatus().getLoadBalancer().getIngress().isEmpty())) {
        return;
      }
      Map<String, String> labels = svc.getMetadata().getLabels();
      String workload = labels == null ? null : labels.get(Faults.WORKLOAD_LABEL);
      if (faults.withholdsLoadBalancer(workload, svc.getMetadata().getName())) {
        return;
      }
      String uid = svc.getMetadata().getUid();
      if (!due(key, uid, "address", latencies.of(workload))) {
        return;
      }
      String requested = svc.getSpec().getLoadBalancerIP();
      String ip =
          requested != null && !requested.isEmpty()
              ? requested
              : addresses.computeIfAbsent(
                  uid,
                  u -> {
                    long n = next.getAndIncrement();
                    return "10.200." + (n / 250 % 250) + "." + (2 + n % 250);
                  });
      Service copy = client.getKubernetesSerialization().clone(svc);
      copy.setStatus(
          new ServiceStatusBuilder()
              .withNewLoadBalancer()
              .withIngress(new LoadBalancerIngressBuilder().withIp(ip).build())
              .endLoadBalancer()
              .build());
      client.services().inNamespace(k[1]).resource(copy).updateStatus();
      done(key, uid, "address");
    }
  }

  @Override
  public String toString() {
    return "FakeLoadBalancer{" + latencies.step() + "}";
  }
}
