package io.convergence.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that follows the system clock plus an offset that a test moves forward, e.g. to make labs
 * expire.
 *
 * @since 0.1.0
 */
public final class MutableClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  /** A clock at system time. */
  public MutableClock() {}

  /**
   * Moves the clock forward.
   *
   * @param amount how far
   */
  public void advance(Duration amount) {
    offset = offset.plus(amount);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }
}
