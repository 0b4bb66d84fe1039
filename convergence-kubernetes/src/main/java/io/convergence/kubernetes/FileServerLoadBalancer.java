package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LoadBalancer Service through which VMs outside the cluster (vCenter, Nutanix AHV) reach an
 * in-lab file server ({@link SmbFileServer}). The address is known only once the cluster's
 * load-balancer implementation (NSX, AVI, MetalLB, kube-vip) gives one, so plans show {@link
 * #placeholder} and drivers wait with {@link #awaitAddress} before creating the VM.
 *
 * @since 0.1.0
 */
public final class FileServerLoadBalancer {

  private FileServerLoadBalancer() {}

  /**
   * The Service's name.
   *
   * @param names the lab's names
   * @param server the file server workload
   * @return e.g. {@code results-smb-lb}
   */
  public static String name(LabNames names, String server) {
    return names.objectName(server, "lb");
  }

  /**
   * What plans show in place of the address.
   *
   * @param names the lab's names
   * @param server the file server workload
   * @return e.g. {@code <address of LoadBalancer Service results-smb-lb>}
   */
  public static String placeholder(LabNames names, String server) {
    return "<address of LoadBalancer Service " + name(names, server) + ">";
  }

  /**
   * The Service, labelled as the file server's.
   *
   * @param names the lab's names
   * @param server the file server workload
   * @return the Service (port 445)
   */
  public static Service service(LabNames names, String server) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(names, server))
        .withNamespace(names.namespace())
        .withLabels(names.labels(server, Map.of()))
        .endMetadata()
        .withNewSpec()
        .withType("LoadBalancer")
        .withSelector(names.workloadSelector(server))
        .withPorts(
            new ServicePortBuilder()
                .withName("smb")
                .withPort(SmbFileServer.PORT)
                .withTargetPort(new IntOrString(SmbFileServer.PORT))
                .withProtocol("TCP")
                .build())
        .endSpec()
        .build();
  }

  /**
   * A VM's planned guest mounts with each file server's address, waited for once per server (the
   * file server runs, as a prerequisite of the VM, but its Service's address may come later).
   *
   * @param planned the mounts, each with {@link #placeholder} as its server
   * @param client the cluster
   * @param names the lab's names
   * @param timeout how long to wait for each address
   * @param backendId the backend, for the error
   * @param setting the setting that raises the timeout, for the error
   * @return the mounts with their servers' addresses
   * @throws BackendException ({@code NoLoadBalancerAddress}) when an address does not come in time
   */
  public static List<GuestMount> withAddresses(
      List<GuestMount> planned,
      KubernetesClient client,
      LabNames names,
      Duration timeout,
      String backendId,
      String setting) {
    Map<String, String> addresses = new LinkedHashMap<>();
    List<GuestMount> out = new ArrayList<>();
    for (GuestMount m : planned) {
      String address =
          addresses.computeIfAbsent(
              SmbFileServer.workloadName(m.volume()),
              server -> awaitAddress(client, names, server, timeout, backendId, setting));
      out.add(m.withServer(address));
    }
    return out;
  }

  /**
   * Waits until the Service has an address (IP, else host name), polling with backoff.
   *
   * @param client the cluster
   * @param names the lab's names
   * @param server the file server workload
   * @param timeout how long to wait
   * @param backendId the backend, for the error
   * @param setting the setting that raises the timeout, for the error
   * @return the address
   * @throws BackendException ({@code NoLoadBalancerAddress}) when none comes in time
   */
  public static String awaitAddress(
      KubernetesClient client,
      LabNames names,
      String server,
      Duration timeout,
      String backendId,
      String setting) {
    String name = name(names, server);
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 200;
    while (true) {
      Service svc = client.services().inNamespace(names.namespace()).withName(name).get();
      if (svc != null && svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null) {
        for (LoadBalancerIngress i : svc.getStatus().getLoadBalancer().getIngress()) {
          if (i.getIp() != null && !i.getIp().isEmpty()) {
            return i.getIp();
          }
          if (i.getHostname() != null && !i.getHostname().isEmpty()) {
            return i.getHostname();
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new BackendException(
            backendId,
            "read the address of Service " + names.namespace() + "/" + name,
            -1,
            "NoLoadBalancerAddress",
            svc == null
                ? "the file server's LoadBalancer Service " + name + " is gone"
                : "the file server's LoadBalancer Service "
                    + name
                    + " got no address in "
                    + timeout.toSeconds()
                    + "s (status.loadBalancer.ingress is empty)",
            "the cluster needs a load-balancer implementation (NSX, AVI, MetalLB, kube-vip) for"
                + " VMs to reach the in-lab file server; check `kubectl -n "
                + names.namespace()
                + " describe service "
                + name
                + "`, or raise "
                + setting,
            null);
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      pause = Math.min(5000, pause + pause / 2);
    }
  }
}
