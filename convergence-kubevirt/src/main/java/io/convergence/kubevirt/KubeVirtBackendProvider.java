package io.convergence.kubevirt;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubevirt.internal.KubeVirtBackend;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Provides the {@code kubevirt} backend: available when a cluster is configured (see {@link
 * KubernetesConnection}) that answers and serves {@code kubevirt.io/v1}.
 *
 * @since 0.1.0
 */
public final class KubeVirtBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "kubevirt";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public KubeVirtBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 10;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    Availability reachable = KubernetesConnection.probe(config);
    if (!reachable.available()) {
      return reachable;
    }
    Config c = KubernetesConnection.config(config);
    c.setRequestTimeout(5000);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
      var resources = client.getApiResources("kubevirt.io/v1");
      if (resources == null
          || resources.getResources().stream()
              .noneMatch(r -> r.getName().equals("virtualmachines"))) {
        return Availability.no(
            "the cluster "
                + c.getMasterUrl()
                + " does not serve kubevirt.io/v1 VirtualMachines;"
                + " install KubeVirt or point "
                + config.describe("kubeconfig")
                + " at a cluster that has it");
      }
      return Availability.yes();
    } catch (KubernetesClientException e) {
      return Availability.no(
          "cannot read the API groups of " + c.getMasterUrl() + ": " + e.getMessage());
    }
  }

  @Override
  public Backend create(BackendContext context) {
    return new KubeVirtBackend(context);
  }
}
