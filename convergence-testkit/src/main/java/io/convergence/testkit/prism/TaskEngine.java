package io.convergence.testkit.prism;

import io.convergence.testkit.prism.Envelopes.AppMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Runs tasks: {@code QUEUED → RUNNING (10%) → RUNNING (50%) → SUCCEEDED | FAILED}, one step per
 * step delay (the configured one, or a {@link PrismFaults#slowTasks} one), on a scheduler. The
 * task's change is applied at the last step, under the store's lock, so the entity appears or
 * changes exactly when the task succeeds. Also runs the other delayed server-side changes (guest
 * boots).
 */
final class TaskEngine {

  private static final Logger LOG = Logger.getLogger(TaskEngine.class.getName());

  private final PrismStore store;
  private final ScheduledExecutorService scheduler;
  private final PrismFaults faults;
  private final Duration stepDelay;
  private final AtomicInteger pending = new AtomicInteger();

  /** How often a waiting step looks its delay up again. */
  private static final Duration RECHECK = Duration.ofMillis(50);

  TaskEngine(
      PrismStore store,
      ScheduledExecutorService scheduler,
      PrismFaults faults,
      Duration stepDelay) {
    this.store = store;
    this.scheduler = scheduler;
    this.faults = faults;
    this.stepDelay = stepDelay;
  }

  /** Creates and schedules a task; the caller holds the store's lock. */
  TaskEntity submit(
      String operation,
      String description,
      List<TaskEntity.Ref> entities,
      TaskEntity.Completion completion) {
    AppMessage failure = faults.takeTaskFailure(operation).orElse(null);
    TaskEntity t =
        new TaskEntity(
            store.newTaskId(), operation, description, store.now(), entities, completion, failure);
    store.tasks.put(t.extId, t);
    schedule(t);
    return t;
  }

  /** Runs {@code change} under the store's lock after {@code delay}. */
  void later(Duration delay, Runnable change) {
    pending.incrementAndGet();
    try {
      scheduler.schedule(
          () -> {
            try {
              synchronized (store) {
                change.run();
              }
            } catch (RuntimeException e) {
              LOG.log(Level.WARNING, "fake Prism Central: a delayed change failed", e);
            } finally {
              pending.decrementAndGet();
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
    }
  }

  /** Whether no task and no delayed change is pending. */
  boolean idle() {
    return pending.get() == 0;
  }

  /**
   * Schedules the task's next step one step delay after now. The delay is looked up again while
   * waiting (at least every {@link #RECHECK}), so slowing or un-slowing tasks through the faults
   * also applies to a step already waiting.
   */
  private void schedule(TaskEntity t) {
    long since = System.nanoTime();
    later(
        Duration.ofNanos(Math.min(currentDelay(t).toNanos(), RECHECK.toNanos())),
        () -> due(t, since));
  }

  private void due(TaskEntity t, long since) {
    long remaining = currentDelay(t).toNanos() - (System.nanoTime() - since);
    if (remaining > 0) {
      later(Duration.ofNanos(Math.min(remaining, RECHECK.toNanos())), () -> due(t, since));
    } else if (t.status.equals("RUNNING") && faults.stalled(t.operation)) {
      later(RECHECK, () -> due(t, System.nanoTime()));
    } else {
      step(t);
    }
  }

  private Duration currentDelay(TaskEntity t) {
    return faults.taskStepDelay(t.operation).orElse(stepDelay);
  }

  private void step(TaskEntity t) {
    switch (t.status) {
      case "QUEUED" -> {
        t.status = "RUNNING";
        t.startedTime = store.now();
        t.progress = 10;
        schedule(t);
      }
      case "RUNNING" -> {
        if (t.progress < 50) {
          t.progress = 50;
          schedule(t);
        } else {
          finish(t);
        }
      }
      default -> {}
    }
  }

  private void finish(TaskEntity t) {
    AppMessage error = t.injectedFailure;
    if (error == null) {
      error = complete(t);
    }
    if (error == null) {
      t.status = "SUCCEEDED";
      t.progress = 100;
    } else {
      t.completion.failed();
      t.status = "FAILED";
      t.errors.add(error);
    }
    t.completedTime = store.now();
  }

  private static @Nullable AppMessage complete(TaskEntity t) {
    try {
      return t.completion.complete(t);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fake Prism Central: task " + t.extId + " failed", e);
      return new AppMessage(
          Namespace.PRISM.code(10500), "INTERNAL_ERROR", "Internal error: " + e.getMessage());
    }
  }
}
