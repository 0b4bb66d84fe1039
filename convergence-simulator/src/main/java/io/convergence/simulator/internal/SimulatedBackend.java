package io.convergence.simulator.internal;

import io.convergence.Feature;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A real backend bound to the simulated platform it runs against: reports the simulated backend's
 * id, unwraps to the simulator too, and stops the simulator after the backend.
 */
public final class SimulatedBackend implements Backend {

  private final String id;
  private final Backend delegate;
  private final AutoCloseable simulator;

  /**
   * Binds a backend to its simulator.
   *
   * @param id the simulated backend's id
   * @param delegate the real backend
   * @param simulator the simulator it runs against
   */
  public SimulatedBackend(String id, Backend delegate, AutoCloseable simulator) {
    this.id = id;
    this.delegate = delegate;
    this.simulator = simulator;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<Feature> features() {
    return delegate.features();
  }

  @Override
  public BackendPlan plan(PlanRequest request) {
    return delegate.plan(request);
  }

  @Override
  public LabDriver open(BackendPlan plan) {
    return delegate.open(plan);
  }

  @Override
  public SweepReport sweep(SweepRequest request, Instant now) {
    SweepReport r = delegate.sweep(request, now);
    return new SweepReport(id, r.labs());
  }

  @Override
  public <T> Optional<T> unwrap(Class<T> type) {
    if (type.isInstance(simulator)) {
      return Optional.of(type.cast(simulator));
    }
    return delegate.unwrap(type);
  }

  @Override
  public List<Class<?>> unwrapTypes() {
    List<Class<?>> types = new ArrayList<>(delegate.unwrapTypes());
    types.add(simulator.getClass());
    return types;
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      try {
        simulator.close();
      } catch (Exception e) {
        throw new IllegalStateException("stopping the simulator " + simulator + " failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return id + " (" + delegate + " on " + simulator + ")";
  }
}
