package io.convergence.vsphere.vcenter;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.convergence.vsphere.vcenter.internal.VCenterBackend;
import io.convergence.vsphere.vcenter.internal.VCenterSettings;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.Vim25Config;
import io.convergence.vsphere.vim.VimException;
import java.time.Duration;

/**
 * Provides the {@code vsphere-vcenter} backend: VMs cloned from vCenter templates through the vim25
 * API, containers as Pods on a Kubernetes cluster. Settings under {@code
 * convergence.vsphere-vcenter.}:
 *
 * <ul>
 *   <li>{@code url} (required): the SDK URL, e.g. {@code https://vc.example.com/sdk};
 *   <li>{@code username}, {@code password} (required; the password is a secret, never logged);
 *   <li>{@code datacenter} (required): the datacenter's name;
 *   <li>{@code folder}: the parent of the per-lab VM folders, below the datacenter's VM folder
 *       (default {@code convergence}; it must exist);
 *   <li>{@code resource-pool}: the pool new VMs go in, below the host folder, e.g. {@code
 *       Cluster1/Resources} (required for labs with VMs);
 *   <li>{@code datastore}: the datastore of new VMs (default: the template's);
 *   <li>{@code template-folder}: where templates are looked up by name, below the VM folder
 *       (default: the VM folder itself);
 *   <li>{@code ca-file} (a PEM file to trust) or {@code insecure=true} (test servers only);
 *   <li>{@code extra-config}: {@code key=value,...} extraConfig entries every VM gets;
 *   <li>{@code connect-timeout}, {@code task-timeout}, {@code teardown-timeout};
 *   <li>{@code kubeconfig} and the other settings of {@link KubernetesConnection}: the cluster
 *       containers run on (required for labs with containers).
 * </ul>
 *
 * @since 0.1.0
 */
public final class VCenterBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "vsphere-vcenter";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public VCenterBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 10;
  }

  /**
   * Whether the settings are complete and vCenter accepts them: logs in and out, bounded by {@code
   * connect-timeout} (default 10 s) per request.
   *
   * @param config the backend's settings
   * @return the availability, naming the setting to fix when not
   */
  @Override
  public Availability availability(ConvergenceConfig config) {
    VCenterSettings settings;
    try {
      settings = VCenterSettings.from(config);
    } catch (IllegalArgumentException e) {
      return Availability.no(e.getMessage());
    }
    Vim25Config client;
    try {
      client =
          settings
              .clientBuilder()
              .requestTimeout(settings.connectTimeout().plus(Duration.ofSeconds(5)))
              .readRetries(1, Duration.ofMillis(100))
              .build();
    } catch (IllegalArgumentException e) {
      return Availability.no(config.describe("ca-file") + ": " + e.getMessage());
    }
    try (Vim25Client vc = Vim25Client.connect(client)) {
      vc.login();
      vc.logout();
      return Availability.yes();
    } catch (VimException e) {
      return Availability.no(
          "cannot log in to "
              + settings.url()
              + " as "
              + settings.username()
              + ": "
              + e.getMessage()
              + " (check "
              + config.describe("url")
              + ", "
              + config.describe("username")
              + ", "
              + config.describe("password")
              + " and the TLS settings ca-file / insecure)");
    }
  }

  @Override
  public Backend create(BackendContext context) {
    return new VCenterBackend(context);
  }
}
