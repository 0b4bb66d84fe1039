package io.convergence.nutanix.prism.internal;

import java.time.Duration;

/**
 * The client's clock and sleeps, replaceable so that tests of retries, backoff and task waits run
 * without waiting and without reading the wall clock.
 */
public interface Pacer {
  /** The real clock and {@link Thread#sleep(long)}. */
  Pacer SYSTEM =
      new Pacer() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration pause) throws InterruptedException {
          long millis = pause.toMillis();
          if (millis > 0) {
            Thread.sleep(millis);
          }
        }
      };

  /**
   * A monotonic time in nanoseconds, as {@link System#nanoTime()}.
   *
   * @return the time
   */
  long nanoTime();

  /**
   * Pauses.
   *
   * @param pause how long
   * @throws InterruptedException when interrupted
   */
  void sleep(Duration pause) throws InterruptedException;
}
