package io.convergence.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A lab's background steps: run on the shared pool, cancelled and waited for on close. */
class LabStepsTest {

  private final ExecutorService work = LabSteps.workPool("test-work", 4);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    work.shutdownNow();
    scheduler.shutdownNow();
  }

  @Test
  void stepsRunOnThePoolAndDelayedOnesAfterTheirPause() throws Exception {
    LabSteps steps = new LabSteps(work, scheduler);
    CountDownLatch done = new CountDownLatch(2);
    AtomicBoolean onPool = new AtomicBoolean(true);
    Runnable step =
        () -> {
          onPool.compareAndSet(true, Thread.currentThread().getName().startsWith("test-work-"));
          done.countDown();
        };
    steps.run(step);
    steps.runAfter(20, step);
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(onPool).isTrue();
  }

  @Test
  void closeCancelsWaitingStepsInterruptsRunningOnesAndWaitsForThem() throws Exception {
    LabSteps steps = new LabSteps(work, scheduler);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean finished = new AtomicBoolean();
    AtomicInteger delayedRuns = new AtomicInteger();
    steps.run(
        () -> {
          started.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
          finished.set(true);
        });
    steps.runAfter(60_000, delayedRuns::incrementAndGet);
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    steps.close(Duration.ofSeconds(10));

    assertThat(interrupted).as("the running step was interrupted").isTrue();
    assertThat(finished).as("close waited for it").isTrue();
    steps.run(delayedRuns::incrementAndGet);
    steps.runAfter(0, delayedRuns::incrementAndGet);
    work.shutdown();
    assertThat(work.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThat(delayedRuns).as("nothing runs after close").hasValue(0);
    assertThat(steps.isClosed()).isTrue();
  }

  @Test
  void thePoolMakesAThreadOnlyWhenEveryThreadIsBusyUpToItsMaximum() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) LabSteps.workPool("grow", 3);
    try {
      for (int i = 0; i < 20; i++) {
        pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.getActiveCount() > 0 && System.nanoTime() < deadline) {
          Thread.onSpinWait(); // the worker marks itself idle just after the step's future ends
        }
      }
      assertThat(pool.getLargestPoolSize()).as("one step at a time needs one thread").isEqualTo(1);

      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(3);
      List<Future<?>> busy = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        busy.add(
            pool.submit(
                () -> {
                  started.countDown();
                  release.await();
                  return null;
                }));
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).as("three run at once").isTrue();
      assertThat(pool.getPoolSize()).as("no more than the maximum").isEqualTo(3);
      assertThat(pool.getQueue()).as("the rest wait").hasSize(2);
      release.countDown();
      for (Future<?> f : busy) {
        f.get(10, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
