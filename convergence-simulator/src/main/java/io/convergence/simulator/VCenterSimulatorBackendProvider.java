package io.convergence.simulator;

import io.convergence.config.ConvergenceConfig;
import io.convergence.simulator.internal.SimulatedBackend;
import io.convergence.simulator.internal.SimulatedVCenter;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.convergence.testkit.vcsim.Vcsim;
import io.convergence.vsphere.vcenter.VCenterBackendProvider;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code vsphere-vcenter-simulator} backend: the classic vCenter backend, unchanged, against
 * govmomi's vcsim (VMs cloned from templates {@code ubuntu-22.04} and {@code windows-2022}) plus an
 * embedded Kubernetes API server for containers and shared volumes, started for each client and
 * stopped when the client closes.
 *
 * <p>vcsim is a Go program, not part of this jar: the backend is available when the system property
 * {@code convergence.vcsim.binary} (or {@code CONVERGENCE_VCSIM_BINARY}) names a vcsim binary, or
 * when the project's shared tool ({@code shared/tools/vcsim/build.sh}, found through {@code
 * convergence.shared.dir}) can build one. Otherwise it reports itself unavailable with the reason,
 * and {@code @ConvergenceLab} classes that name it are skipped (or fail in CI).
 *
 * <p>Settings, under {@code convergence.vsphere-vcenter-simulator.}: {@code latency} (each
 * simulated Kubernetes step, default 50ms), plus every setting of the vCenter backend except the
 * ones that point at the simulator ({@code url}, {@code username}, {@code password}, {@code
 * datacenter}, {@code folder}, {@code template-folder}, {@code resource-pool}, {@code
 * extra-config}, {@code kubeconfig}).
 *
 * <p>Priority -2: below the real backends and the other simulators; name it to use it.
 *
 * @since 0.1.0
 */
public final class VCenterSimulatorBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "vsphere-vcenter-simulator";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public VCenterSimulatorBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return -2;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    return Vcsim.unavailableReason().map(Availability::no).orElse(Availability.yes());
  }

  @Override
  public Backend create(BackendContext context) {
    ConvergenceConfig config = context.config();
    Duration latency = config.getDuration("latency", Duration.ofMillis(50));
    SimulatedVCenter site = SimulatedVCenter.start(latency);
    try {
      ConvergenceConfig pointed = config;
      for (Map.Entry<String, String> e : site.backendSettings().entrySet()) {
        pointed = pointed.with(e.getKey(), e.getValue(), "the vcsim simulator");
      }
      Backend backend =
          new VCenterBackendProvider()
              .create(new BackendContext(pointed, context.clock(), context.scheduler()));
      return new SimulatedBackend(ID, backend, site);
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
  }
}
