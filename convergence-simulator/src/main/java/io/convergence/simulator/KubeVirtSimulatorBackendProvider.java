package io.convergence.simulator;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubevirt.KubeVirtBackendProvider;
import io.convergence.simulator.internal.SimulatedBackend;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.time.Duration;

/**
 * The {@code kubevirt-simulator} backend: the KubeVirt backend, unchanged, against an embedded
 * simulated cluster started for each client (so each client's labs are on a cluster of their own)
 * and stopped when the client closes, the shared client's when the JVM exits.
 *
 * <p>Settings, under {@code convergence.kubevirt-simulator.}: {@code latency} (each simulated step,
 * default 50ms), plus every setting of the KubeVirt backend (e.g. {@code namespace-prefix}) except
 * {@code kubeconfig}, which points at the simulator. The simulator's faults and latencies are
 * reachable through {@code lab.unwrap(EmbeddedKubeVirt.class)}.
 *
 * <p>Priority 0: below the real KubeVirt backend (10), so autodetection prefers a configured
 * cluster, and above the in-memory test backend (-100).
 *
 * @since 0.1.0
 */
public final class KubeVirtSimulatorBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "kubevirt-simulator";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public KubeVirtSimulatorBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return 0;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    return Availability.yes();
  }

  @Override
  public Backend create(BackendContext context) {
    ConvergenceConfig config = context.config();
    Duration latency = config.getDuration("latency", Duration.ofMillis(50));
    EmbeddedKubeVirt cluster = EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(latency));
    try {
      Backend kubevirt =
          new KubeVirtBackendProvider()
              .create(
                  new BackendContext(
                      config.with(
                          "kubeconfig",
                          cluster.kubeconfig().toString(),
                          "the embedded simulator " + cluster),
                      context.clock(),
                      context.scheduler()));
      return new SimulatedBackend(ID, kubevirt, cluster);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }
}
