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
 * id, unwraps to the simulator (and to the parts of it named at construction) too, and stops the
 * simulator after the backend.
 */
public final class SimulatedBackend implements Backend {

  private final String id;
  private final Backend delegate;
  private final AutoCloseable simulator;
  private final List<Object> parts;

  /**
   * Binds a backend to its simulator.
   *
   * @param id the simulated backend's id
   * @param delegate the real backend
   * @param simulator the simulator it runs against
   * @param parts parts of the simulator that {@link #unwrap} also returns, e.g. a fake server
   */
  public SimulatedBackend(String id, Backend delegate, AutoCloseable simulator, Object... parts) {
    this.id = id;
    this.delegate = delegate;
    this.simulator = simulator;
    this.parts = List.of(parts);
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
    for (Object part : parts) {
      if (type.isInstance(part)) {
        return Optional.of(type.cast(part));
      }
    }
    return delegate.unwrap(type);
  }

  @Override
  public List<Class<?>> unwrapTypes() {
    List<Class<?>> types = new ArrayList<>(delegate.unwrapTypes());
    types.add(simulator.getClass());
    parts.forEach(p -> types.add(p.getClass()));
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
