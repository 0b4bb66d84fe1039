package io.convergence.internal.runtime;

import io.convergence.WorkloadFailure;
import io.convergence.event.LabEvent;
import io.convergence.spec.DurationText;
import io.convergence.spec.Readiness;
import io.convergence.spec.Stage;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One workload's way through its readiness stages: accepts the backend's reports in any order,
 * fills in implied stages, times each stage against its own timeout, and completes when the last
 * stage is reached or fails with the stage that could not be reached.
 */
final class WorkloadProgress implements StageObserver {

  /** Why a workload failed, before diagnostics are attached. */
  record Failure(Stage stage, String reason, String message, String hint, boolean timeout) {}

  private final String name;
  private final List<Stage> stages;
  private final Readiness readiness;
  private final ScheduledExecutorService scheduler;
  private final EventBus events;
  private final BiConsumer<WorkloadProgress, Stage> onTimeout;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private final Map<Stage, Duration> timings = new EnumMap<>(Stage.class);

  private int next;
  private Instant lastMark;
  private @Nullable ScheduledFuture<?> timer;
  private @Nullable Failure failure;

  WorkloadProgress(
      PlannedWorkload planned,
      ScheduledExecutorService scheduler,
      EventBus events,
      BiConsumer<WorkloadProgress, Stage> onTimeout) {
    this.name = planned.name();
    this.stages = planned.stages();
    this.readiness = planned.spec().readiness();
    this.scheduler = scheduler;
    this.events = events;
    this.onTimeout = onTimeout;
    this.lastMark = events.clock().instant();
  }

  String name() {
    return name;
  }

  CompletableFuture<Void> done() {
    return done;
  }

  /** Starts the clock of the first stage (CREATED), just before the create call. */
  synchronized void start() {
    lastMark = events.clock().instant();
    arm();
  }

  private void arm() {
    Stage stage = stages.get(next);
    Duration timeout = readiness.timeout(stage);
    timer =
        scheduler.schedule(
            () -> onTimeout.accept(this, stage), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void disarm() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** The stage the workload is waiting for, or null when it is done. */
  synchronized @Nullable Stage pendingStage() {
    return done.isDone() || next >= stages.size() ? null : stages.get(next);
  }

  @Override
  public void reached(Stage stage, String detail) {
    boolean ready;
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      int index = stages.indexOf(stage);
      if (index < next) {
        return; // a repeated or unplanned report
      }
      Instant now = events.clock().instant();
      disarm();
      for (int i = next; i <= index; i++) {
        Stage s = stages.get(i);
        Duration took = i == next ? Duration.between(lastMark, now) : Duration.ZERO;
        timings.put(s, took);
        String message = i == index ? detail : "implied by " + stage.id();
        events.workload(LabEvent.Type.STAGE_REACHED, name, s, took, message);
      }
      lastMark = now;
      next = index + 1;
      ready = next == stages.size();
      if (!ready) {
        arm();
      }
    }
    if (ready) {
      Duration total = timings.values().stream().reduce(Duration.ZERO, Duration::plus);
      events.workload(
          LabEvent.Type.WORKLOAD_READY,
          name,
          stages.get(stages.size() - 1),
          total,
          "after " + DurationText.format(Duration.ofMillis(total.toMillis())));
      done.complete(null);
    }
  }

  @Override
  public void failed(Stage stage, String reason, String message, String hint) {
    fail(new Failure(stage, reason, message, hint, false));
  }

  void timedOut(Stage stage, String message) {
    fail(
        new Failure(
            stage,
            "Timeout",
            message,
            "the stage's timeout is "
                + DurationText.format(readiness.timeout(stage))
                + "; raise readiness.timeouts."
                + stage.id()
                + " if the platform is just slow",
            true));
  }

  void cancel(String why) {
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      disarm();
    }
    done.cancel(false);
  }

  private void fail(Failure f) {
    synchronized (this) {
      if (done.isDone()) {
        return;
      }
      disarm();
      failure = f;
    }
    events.workload(
        LabEvent.Type.WORKLOAD_FAILED,
        name,
        f.stage(),
        Duration.ZERO,
        f.reason() + ": " + f.message());
    done.completeExceptionally(new StageFailedException(name, f));
  }

  synchronized @Nullable Failure failure() {
    return failure;
  }

  synchronized Map<Stage, Duration> timings() {
    return Collections.unmodifiableMap(new EnumMap<>(timings));
  }

  WorkloadFailure toWorkloadFailure(List<String> diagnostics) {
    Failure f = failure();
    if (f == null) {
      throw new IllegalStateException(name + " has not failed");
    }
    return new WorkloadFailure(name, f.stage(), f.reason(), f.message(), f.hint(), diagnostics);
  }

  /** Completes a workload's future when it fails. */
  static final class StageFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    StageFailedException(String workload, Failure failure) {
      super(
          workload + " did not reach " + failure.stage().id() + ": " + failure.reason(),
          null,
          false,
          false);
      this.failure = failure;
    }

    Failure failure() {
      return failure;
    }
  }
}
