package io.convergence.testkit.kubernetes.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A work queue of object keys with the semantics of client-go's: a key waiting in the queue is
 * there once however often it is added, and a key is never handed to two workers at once (added
 * while being processed, it is queued again when the worker is done).
 */
final class WorkQueue {

  private final Deque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final Set<String> processing = new HashSet<>();
  private final ScheduledExecutorService timer;
  private boolean shutdown;

  WorkQueue(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  synchronized void add(String key) {
    if (shutdown || !dirty.add(key)) {
      return;
    }
    if (!processing.contains(key)) {
      queue.addLast(key);
      notifyAll();
    }
  }

  void addAfter(String key, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    synchronized (this) {
      if (shutdown) {
        return;
      }
    }
    try {
      timer.schedule(() -> add(key), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // shutting down
    }
  }

  /** The next key, or null once the queue is shut down. */
  synchronized @Nullable String take() throws InterruptedException {
    while (queue.isEmpty() && !shutdown) {
      wait();
    }
    if (shutdown) {
      return null;
    }
    String key = queue.pollFirst();
    dirty.remove(key);
    processing.add(key);
    return key;
  }

  synchronized void done(String key) {
    processing.remove(key);
    if (dirty.contains(key) && !shutdown) {
      queue.addLast(key);
      notifyAll();
    }
  }

  synchronized void shutdown() {
    shutdown = true;
    queue.clear();
    dirty.clear();
    notifyAll();
  }

  synchronized boolean idle() {
    return queue.isEmpty() && processing.isEmpty();
  }
}
