package io.convergence.nutanix.prism;

import io.convergence.nutanix.prism.internal.Pacer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A clock that only moves when the client sleeps; records every sleep. */
final class FakePacer implements Pacer {
  private volatile long now = 1_000_000_000L;
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleep(Duration pause) {
    sleeps.add(pause);
    now += pause.toNanos();
  }

  List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
