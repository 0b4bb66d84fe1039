package io.convergence.nutanix;

import io.convergence.config.ConvergenceConfig;
import io.convergence.nutanix.internal.NutanixBackend;
import io.convergence.nutanix.internal.NutanixSettings;
import io.convergence.nutanix.prism.PrismClient;
import io.convergence.nutanix.prism.PrismException;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;

/**
 * The {@code nutanix} backend: AHV VMs through Prism Central's v4 API, containers on the Kubernetes
 * cluster given by {@code kubeconfig}, e.g. an NKP cluster, shared volumes on a Nutanix Files share
 * or (without one) as claims on that cluster served to VMs by an in-lab file server.
 *
 * <p>Settings under {@code convergence.nutanix.}: {@code url} (Prism Central, e.g. {@code
 * https://pc.example.com:9440}), {@code username} and {@code password} or {@code api-key}, {@code
 * ca-file} / {@code insecure}, {@code cluster} and {@code subnet} (by name; required for labs with
 * VMs), {@code kubeconfig} / {@code context} (required for labs with containers, and for shared
 * volumes without Files), {@code files.server} and {@code files.share} (a Nutanix Files server's
 * FQDN and a multi-protocol share: shared volumes become its directories), {@code files.smb-user}
 * and {@code files.smb-password} (Windows VMs' account for the share), {@code storage-class} (of
 * the shared volumes' ReadWriteMany claims without Files), {@code smb-server-image}, {@code
 * file-server-address-timeout}, {@code task-timeout}, {@code teardown-timeout}.
 *
 * @since 0.1.0
 */
public final class NutanixBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "nutanix";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public NutanixBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 10;
  }

  /**
   * Whether the settings are complete and Prism Central accepts them: lists the clusters once.
   *
   * @param config the backend's settings
   * @return the availability, naming the setting to fix when not
   */
  @Override
  public Availability availability(ConvergenceConfig config) {
    NutanixSettings settings;
    try {
      settings = NutanixSettings.from(config);
    } catch (IllegalArgumentException e) {
      return Availability.no(e.getMessage());
    }
    try (PrismClient prism = PrismClient.create(settings.clientConfig(request -> {}))) {
      prism.listClusters();
      return Availability.yes();
    } catch (PrismException | IllegalArgumentException e) {
      return Availability.no(
          "cannot reach Prism Central "
              + settings.url()
              + ": "
              + e.getMessage()
              + " (check "
              + config.describe("url")
              + ", the credentials and the TLS settings ca-file / insecure)");
    }
  }

  @Override
  public Backend create(BackendContext context) {
    return new NutanixBackend(context);
  }
}
