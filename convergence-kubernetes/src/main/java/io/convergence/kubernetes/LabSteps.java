package io.convergence.kubernetes;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The background steps of one lab of a backend whose VMs are built and polled outside Kubernetes
 * (vCenter clones, Prism Central tasks): blocking steps run on the backend's shared work pool,
 * pauses wait on the client's shared scheduler, and closing the lab cancels them all. The lab holds
 * no thread of its own, so many open labs cost no threads.
 *
 * @since 0.1.0
 */
public final class LabSteps {

  private final ExecutorService work;
  private final ScheduledExecutorService scheduler;
  private final Set<Future<?>> pending = ConcurrentHashMap.newKeySet();
  private final AtomicInteger running = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Steps on these executors.
   *
   * @param work where blocking steps run (see {@link #workPool})
   * @param scheduler where pauses wait; never blocked
   */
  public LabSteps(ExecutorService work, ScheduledExecutorService scheduler) {
    this.work = requireNonNull(work, "work");
    this.scheduler = requireNonNull(scheduler, "scheduler");
  }

  /**
   * A backend's pool for blocking steps: a thread is made only when every thread is busy, up to
   * {@code threads} daemon threads named {@code <prefix>-<n>}; more work waits in a queue; idle
   * threads end after 30 s. (A plain fixed pool would make all its threads at the first steps.)
   *
   * @param prefix the threads' name prefix, e.g. the backend id
   * @param threads the most threads
   * @return the pool; the backend shuts it down when it closes
   */
  public static ExecutorService workPool(String prefix, int threads) {
    AtomicInteger n = new AtomicInteger();
    GrowFirstQueue queue = new GrowFirstQueue();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            threads,
            30,
            TimeUnit.SECONDS,
            queue,
            r -> {
              Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            (r, p) -> {
              if (p.isShutdown()) {
                throw new RejectedExecutionException("the pool is shut down");
              }
              queue.force(r); // every thread exists and is busy: wait for one
            });
    queue.pool = pool;
    return pool;
  }

  /**
   * Refuses a task (so the pool makes a thread) while the pool is below its maximum and no thread
   * is idle; queues it otherwise.
   */
  private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
    private static final long serialVersionUID = 1L;
    private transient volatile @Nullable ThreadPoolExecutor pool;

    @Override
    public boolean offer(Runnable r) {
      ThreadPoolExecutor p = pool;
      if (p != null
          && p.getPoolSize() < p.getMaximumPoolSize()
          && p.getActiveCount() + size() >= p.getPoolSize()) {
        return false;
      }
      return super.offer(r);
    }

    void force(Runnable r) {
      super.offer(r);
    }
  }

  /**
   * Runs a blocking step on the work pool; nothing once closed.
   *
   * @param step the step
   */
  public void run(Runnable step) {
    if (closed) {
      return;
    }
    pending.removeIf(Future::isDone);
    try {
      pending.add(
          work.submit(
              () -> {
                running.incrementAndGet();
                try {
                  if (!closed) {
                    step.run();
                  }
                } finally {
                  running.decrementAndGet();
                }
              }));
    } catch (RejectedExecutionException e) {
      // the backend is closing
    }
  }

  /**
   * Runs a blocking step on the work pool after a pause; nothing once closed.
   *
   * @param delayMillis the pause
   * @param step the step
   */
  public void runAfter(long delayMillis, Runnable step) {
    if (closed) {
      return;
    }
    try {
      pending.add(scheduler.schedule(() -> run(step), delayMillis, TimeUnit.MILLISECONDS));
    } catch (RejectedExecutionException e) {
      // the client is closing
    }
  }

  /**
   * Whether {@link #close} was called.
   *
   * @return whether closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Stops: no new step runs, pending ones are cancelled (running ones interrupted), and waits up to
   * {@code wait} for running ones to end, so that a request in flight ends before the lab's objects
   * are deleted.
   *
   * @param wait how long to wait at most (capped at 30 s)
   */
  public void close(Duration wait) {
    closed = true;
    pending.forEach(f -> f.cancel(true));
    pending.clear();
    long deadline = System.nanoTime() + Math.min(wait.toMillis(), 30_000) * 1_000_000L;
    while (running.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
