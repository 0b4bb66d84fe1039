package io.convergence.internal.runtime;

import io.convergence.Lab;
import io.convergence.LabReport;
import io.convergence.Ownership;
import io.convergence.TeardownException;
import io.convergence.Workload;
import io.convergence.codec.LabSpecCodec;
import io.convergence.event.LabEvent;
import io.convergence.plan.Plan;
import io.convergence.spec.LabSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.LabDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running lab, and the teardown shared by {@link #close()} and rollback. */
final class DefaultLab implements Lab {
  private static final Logger log = LoggerFactory.getLogger(DefaultLab.class);

  private final LabSpec spec;
  private final Ownership ownership;
  private final Backend backend;
  private final LabDriver driver;
  private final Plan plan;
  private final EventBus events;
  private final Redactor redactor;
  private final Duration teardownTimeout;
  private final int teardownAttempts;
  private final Duration teardownBackoff;
  private final boolean reusable;
  private volatile boolean kept;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Map<String, DefaultWorkload> workloads = Map.of();

  DefaultLab(
      LabSpec spec,
      Ownership ownership,
      Backend backend,
      LabDriver driver,
      Plan plan,
      EventBus events,
      Redactor redactor,
      Duration teardownTimeout,
      int teardownAttempts,
      Duration teardownBackoff,
      boolean reusable) {
    this.spec = spec;
    this.reusable = reusable;
    this.ownership = ownership;
    this.backend = backend;
    this.driver = driver;
    this.plan = plan;
    this.events = events;
    this.redactor = redactor;
    this.teardownTimeout = teardownTimeout;
    this.teardownAttempts = teardownAttempts;
    this.teardownBackoff = teardownBackoff;
  }

  void ready(Map<String, DefaultWorkload> workloads) {
    this.workloads = Map.copyOf(workloads);
  }

  @Override
  public String id() {
    return ownership.labId();
  }

  @Override
  public String name() {
    return spec.name();
  }

  @Override
  public String backendId() {
    return backend.id();
  }

  @Override
  public LabSpec spec() {
    return spec;
  }

  @Override
  public Ownership ownership() {
    return ownership;
  }

  @Override
  public Plan plan() {
    return plan;
  }

  @Override
  public Workload workload(String name) {
    Workload w = workloads.get(name);
    if (w == null) {
      throw new IllegalArgumentException(
          "lab "
              + id()
              + " has no workload '"
              + name
              + "'; workloads: "
              + String.join(", ", workloadNames()));
    }
    return w;
  }

  private List<String> workloadNames() {
    return plan.steps().stream().flatMap(s -> s.optionalWorkload().stream()).toList();
  }

  @Override
  public List<Workload> workloads() {
    return workloadNames().stream()
        .<Workload>map(workloads::get)
        .filter(java.util.Objects::nonNull)
        .toList();
  }

  @Override
  public List<LabEvent> events() {
    return events.timeline();
  }

  @Override
  public Instant expiresAt() {
    return ownership.expiresAt();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    return driver.capability(type);
  }

  @Override
  public <T> T unwrap(Class<T> type) {
    return BackendProviders.unwrap(backend, type);
  }

  @Override
  public boolean isClosed() {
    return closed.get();
  }

  @Override
  public boolean reusable() {
    return reusable;
  }

  @Override
  public void keep() {
    kept = true;
  }

  @Override
  public LabReport report() {
    List<LabReport.WorkloadReport> reports = new ArrayList<>();
    for (DefaultWorkload w : workloads.values()) {
      reports.add(w.report(redactor));
    }
    return new LabReport(
        id(),
        backend.id(),
        Instant.now(),
        ownership.expiresAt(),
        redactor.scrub(LabSpecCodec.create().writeYaml(spec, true)),
        redactor.scrub(plan.render()),
        events(),
        reports);
  }

  @Override
  public void close() {
    if (reusable || kept) {
      release();
    } else {
      teardown("closing");
    }
  }

  /** Leaves a reusable lab running for a later run, releasing only local resources. */
  private void release() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (DefaultWorkload w : workloads.values()) {
      try {
        w.closeAccess();
      } catch (RuntimeException e) {
        log.debug("Closing access to {} failed: {}", w.name(), e.toString());
      }
    }
    try {
      driver.release();
    } catch (RuntimeException e) {
      log.debug("Releasing lab {} failed: {}", id(), e.toString());
    }
    events.lab(
        reusable ? LabEvent.Type.LAB_RELEASED : LabEvent.Type.LAB_KEPT,
        "lab "
            + id()
            + (reusable ? " left running for reuse until " : " kept for inspection until ")
            + ownership.expiresAt()
            + "; remove it sooner with sweep(SweepRequest.lab(\""
            + id()
            + "\"))");
  }

  /**
   * Removes everything the lab created and waits until it is gone, retrying a failed removal;
   * idempotent.
   *
   * @param why the reason, for the event
   */
  void teardown(String why) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    events.lab(LabEvent.Type.TEARDOWN_STARTED, "tearing down lab " + id() + " (" + why + ")");
    for (DefaultWorkload w : workloads.values()) {
      try {
        w.closeAccess();
      } catch (RuntimeException e) {
        log.debug("Closing access to {} failed: {}", w.name(), e.toString());
      }
    }
    RuntimeException last = null;
    for (int attempt = 1; attempt <= teardownAttempts; attempt++) {
      try {
        driver.destroy(teardownTimeout);
        events.lab(LabEvent.Type.TEARDOWN_FINISHED, "lab " + id() + " is gone");
        return;
      } catch (RuntimeException e) {
        last = e;
        if (attempt < teardownAttempts) {
          events.lab(
              LabEvent.Type.TEARDOWN_RETRY,
              "removing lab "
                  + id()
                  + " failed (attempt "
                  + attempt
                  + " of "
                  + teardownAttempts
                  + "): "
                  + e.getMessage());
          if (!sleep(teardownBackoff.multipliedBy(attempt))) {
            break;
          }
        }
      }
    }
    List<String> remaining;
    try {
      remaining = driver.remainingObjects();
    } catch (RuntimeException e) {
      remaining = List.of();
    }
    events.lab(
        LabEvent.Type.TEARDOWN_FAILED,
        "lab "
            + id()
            + " was not removed completely; what remains expires at "
            + ownership.expiresAt());
    throw new TeardownException(
        id(), backend.id(), remaining, ownership.expiresAt(), redactor.scrub(last));
  }

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return "Lab{"
        + id()
        + " on "
        + backend.id()
        + ", workloads="
        + workloadNames()
        + ", expiresAt="
        + ownership.expiresAt()
        + (reusable ? ", reusable" : "")
        + (closed.get() ? ", closed" : "")
        + "}";
  }
}
