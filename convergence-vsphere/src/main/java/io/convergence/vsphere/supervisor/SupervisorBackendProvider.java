package io.convergence.vsphere.supervisor;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.convergence.vsphere.supervisor.internal.SupervisorBackend;
import io.convergence.vsphere.supervisor.internal.VmOperatorApi;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Provides the {@code vsphere-supervisor} backend: VMs through the VCF VM Service (vm-operator
 * VirtualMachines) and containers as Pods, in one vSphere Namespace of a Supervisor. Settings under
 * {@code convergence.vsphere-supervisor.}:
 *
 * <ul>
 *   <li>{@code kubeconfig}, {@code context} and the other connection settings of {@link
 *       KubernetesConnection} (e.g. a kubeconfig written by {@code kubectl vsphere login});
 *   <li>{@code namespace} (required): the vSphere Namespace the labs use; an administrator creates
 *       it, Convergence labels and suffixes each lab's objects in it;
 *   <li>{@code storage-class}: the StorageClass (storage policy) of VM disks and claims; required
 *       for labs with VMs;
 *   <li>{@code smb-server-image}, {@code cluster-domain}: the in-lab Samba server through which VMs
 *       reach shared volumes, and the DNS domain guests resolve it in;
 *   <li>{@code exec-timeout}, {@code teardown-timeout}.
 * </ul>
 *
 * <p>The backend uses the newest vm-operator API version it supports that the Supervisor serves
 * ({@code v1alpha3} to {@code v1alpha6}) and says which in each plan.
 *
 * @since 0.1.0
 */
public final class SupervisorBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "vsphere-supervisor";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public SupervisorBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 20;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    if (config.get("namespace").filter(s -> !s.isBlank()).isEmpty()) {
      return Availability.no(
          config.describe("namespace") + " is not set: name the vSphere Namespace the labs use");
    }
    Availability reachable = KubernetesConnection.probe(config);
    if (!reachable.available()) {
      return reachable;
    }
    Config c = KubernetesConnection.config(config);
    c.setRequestTimeout(5000);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
      if (VmOperatorApi.discover(client).isEmpty()) {
        return Availability.no(
            "the cluster "
                + c.getMasterUrl()
                + " serves none of "
                + VmOperatorApi.GROUP
                + " "
                + String.join(", ", VmOperatorApi.SUPPORTED)
                + "; point "
                + config.describe("kubeconfig")
                + " at a vSphere Supervisor with the VM Service");
      }
      return Availability.yes();
    } catch (KubernetesClientException e) {
      return Availability.no(
          "cannot read the API groups of " + c.getMasterUrl() + ": " + e.getMessage());
    }
  }

  @Override
  public Backend create(BackendContext context) {
    return new SupervisorBackend(context);
  }
}
