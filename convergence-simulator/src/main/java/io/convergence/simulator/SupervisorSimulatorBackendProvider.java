package io.convergence.simulator;

import io.convergence.config.ConvergenceConfig;
import io.convergence.simulator.internal.SimulatedBackend;
import io.convergence.spi.Availability;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VcfRelease;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import io.convergence.vsphere.supervisor.SupervisorBackendProvider;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code vsphere-supervisor-simulator} backend: the VCF Supervisor backend, unchanged, against
 * an embedded vSphere Namespace (the vm-operator simulator: VM classes, images, a storage class, VM
 * Service, CNS volumes and vSphere Pods) started for each client and stopped when the client
 * closes, the shared client's when the JVM exits.
 *
 * <p>Settings, under {@code convergence.vsphere-supervisor-simulator.}: {@code latency} (each
 * simulated step, default 50ms), {@code release} (the VCF release whose vm-operator API versions
 * are served: {@code vcf-9.0}, {@code vcf-9.0.1}, {@code vcf-9.1} or {@code upstream-main}, the
 * default), plus every setting of the Supervisor backend except {@code kubeconfig}, {@code
 * namespace} ({@value #NAMESPACE}) and {@code storage-class}, which point at the simulator. The
 * simulator's faults and latencies are reachable through {@code
 * lab.unwrap(EmbeddedVmOperator.class)}.
 *
 * <p>Priority -1: below the real backends and {@code kubevirt-simulator}. With both simulators on
 * the class path, name the one you want ({@code convergence.backend}).
 *
 * @since 0.1.0
 */
public final class SupervisorSimulatorBackendProvider implements BackendProvider {

  /** The backend id. */
  public static final String ID = "vsphere-supervisor-simulator";

  /** The vSphere Namespace the simulated labs share: {@value}. */
  public static final String NAMESPACE = "convergence-labs";

  /** Creates the provider (found by {@link java.util.ServiceLoader}). */
  public SupervisorSimulatorBackendProvider() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int priority() {
    return -1;
  }

  @Override
  public Availability availability(ConvergenceConfig config) {
    return Availability.yes();
  }

  @Override
  public Backend create(BackendContext context) {
    ConvergenceConfig config = context.config();
    Duration latency = config.getDuration("latency", Duration.ofMillis(50));
    VcfRelease release = release(config);
    EmbeddedVmOperator supervisor =
        EmbeddedVmOperator.start(
            release, VmOperatorSimulator.builder().latency(latency).namespaces(NAMESPACE));
    try {
      ConvergenceConfig pointed =
          config
              .with("kubeconfig", supervisor.kubeconfig().toString(), "the embedded simulator")
              .with("namespace", NAMESPACE, "the embedded simulator")
              .with(
                  "storage-class",
                  VmOperatorSimulator.DEFAULT_STORAGE_CLASS,
                  "the embedded simulator");
      Backend backend =
          new SupervisorBackendProvider()
              .create(new BackendContext(pointed, context.clock(), context.scheduler()));
      return new SimulatedBackend(ID, backend, supervisor);
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /** A release's setting value: {@code VCF_9_0_1} is {@code vcf-9.0.1}. */
  static String releaseId(VcfRelease release) {
    return release.name().toLowerCase(Locale.ROOT).replaceFirst("_", "-").replace('_', '.');
  }

  private static VcfRelease release(ConvergenceConfig config) {
    String name = config.get("release").orElse("upstream-main");
    StringBuilder known = new StringBuilder();
    for (VcfRelease r : VcfRelease.values()) {
      if (releaseId(r).equalsIgnoreCase(name)) {
        return r;
      }
      known.append(known.length() == 0 ? "" : ", ").append(releaseId(r));
    }
    throw new IllegalArgumentException(
        config.describe("release")
            + ": \""
            + name
            + "\" is not a simulated release; use one of "
            + known);
  }
}
