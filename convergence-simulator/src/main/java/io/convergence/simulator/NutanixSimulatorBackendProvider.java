package io.convergence.simulator;

import io.convergence.config.ConvergenceConfig;
import io.convergence.nutanix.NutanixBackendProvider;
import io.convergence.simulator.internal.SimulatedBackend;
import io.convergence.simulator.internal.SimulatedNutanix;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import java.time.Duration;
import java.util.Map;

/**
 * The {@code nutanix-simulator} backend: the Nutanix backend, unchanged, against the testkit's fake
 * Prism Central (v4 API; cluster {@code lab-cluster-01}, subnet {@code vlan-lab}, images {@code
 * ubuntu-22.04-cloudimg} and {@code win2019-tester}) plus an embedded Kubernetes API server for
 * containers and shared volumes, started for each client and stopped when the client closes.
 * Everything runs in-process, so it is always available.
 *
 * <p>Simulated guests learn addresses in {@code 127.42.0.0/16}, which on Linux is the loopback: a
 * VM's tcp, ssh or winrm probe passes when something on this machine listens on that port of the
 * wildcard address (e.g. {@code new ServerSocket().bind(new InetSocketAddress(5985))}), and waits
 * otherwise. VMs without such probes need nothing.
 *
 * <p>Settings, under {@code convergence.nutanix-simulator.}: {@code latency} (each simulated step:
 * a Prism task step, a guest boot, a Kubernetes step; default 50ms), plus every setting of the
 * Nutanix backend except the ones that point at the simulator ({@code url}, {@code username},
 * {@code password}, {@code api-key}, {@code cluster}, {@code subnet}, {@code kubeconfig}, {@code
 * context}); {@code ca-file} and {@code insecure} have no effect, as the fake speaks plain HTTP.
 *
 * <p>The fake's VMs, categories, tasks, request log and faults are reachable through {@code
 * lab.unwrap(FakePrismCentral.class)}.
 *
 * <p>Priority -2: below the real backends and the other simulators; name it to use it.
 *
 * @since 0.1.0
 */
public final class NutanixSimulatorBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "nutanix-simulator";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public NutanixSimulatorBackendProvider() {}

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
    return Availability.yes();
  }

  @Override
  public Backend create(BackendContext context) {
    ConvergenceConfig config = context.config();
    Duration latency = config.getDuration("latency", Duration.ofMillis(50));
    SimulatedNutanix site = SimulatedNutanix.start(latency);
    try {
      ConvergenceConfig pointed = config;
      for (Map.Entry<String, String> e : site.backendSettings().entrySet()) {
        pointed = pointed.with(e.getKey(), e.getValue(), "the fake Prism Central");
      }
      Backend backend =
          new NutanixBackendProvider()
              .create(new BackendContext(pointed, context.clock(), context.scheduler()));
      return new SimulatedBackend(ID, backend, site, site.prism());
    } catch (RuntimeException e) {
      site.close();
      throw e;
    }
  }
}
