package io.convergence.nutanix.prism.internal;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Exponential backoff with jitter, and {@code Retry-After}.
 *
 * <p>The n-th retry (1-based) waits {@code min(max, initial * 2^(n-1))}, scaled by a factor between
 * 0.5 and 1 drawn from the jitter source ("equal jitter": never less than half, so a burst of
 * clients spreads out without retrying at once). A {@code Retry-After} of some seconds replaces the
 * computed pause, cut to {@code maxRetryAfter}.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final Duration maxRetryAfter;
  private final DoubleSupplier jitter;

  /**
   * Creates the policy.
   *
   * @param initial the first pause
   * @param max the longest computed pause
   * @param maxRetryAfter the longest {@code Retry-After} honoured
   * @param jitter a source of numbers in [0, 1)
   */
  public Backoff(Duration initial, Duration max, Duration maxRetryAfter, DoubleSupplier jitter) {
    this.initial = requireNonNull(initial, "initial");
    this.max = requireNonNull(max, "max");
    this.maxRetryAfter = requireNonNull(maxRetryAfter, "maxRetryAfter");
    this.jitter = requireNonNull(jitter, "jitter");
  }

  /**
   * The pause before a retry.
   *
   * @param retry which retry, 1 for the first
   * @param retryAfter the {@code Retry-After} header of the answer, or {@code null}
   * @return the pause
   */
  public Duration pause(int retry, @Nullable String retryAfter) {
    OptionalLong seconds = retryAfterSeconds(retryAfter);
    if (seconds.isPresent()) {
      Duration d = Duration.ofSeconds(seconds.getAsLong());
      return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
    }
    return computed(retry);
  }

  /**
   * The computed pause before a retry, ignoring {@code Retry-After}.
   *
   * @param retry which retry, 1 for the first
   * @return the pause
   */
  public Duration computed(int retry) {
    long initialNanos = initial.toNanos();
    long maxNanos = max.toNanos();
    long base = initialNanos;
    for (int i = 1; i < retry && base < maxNanos; i++) {
      base = base > maxNanos / 2 ? maxNanos : base * 2;
    }
    base = Math.min(base, maxNanos);
    double j = jitter.getAsDouble();
    if (j < 0 || j > 1 || Double.isNaN(j)) {
      j = 1;
    }
    return Duration.ofNanos((long) (base * (0.5 + 0.5 * j)));
  }

  /**
   * Reads a {@code Retry-After} header given in seconds (the HTTP-date form is ignored).
   *
   * @param header the header, or {@code null}
   * @return the seconds, when the header is a non-negative integer
   */
  public static OptionalLong retryAfterSeconds(@Nullable String header) {
    if (header == null) {
      return OptionalLong.empty();
    }
    String h = header.trim();
    if (h.isEmpty() || h.length() > 9 || !h.chars().allMatch(Character::isDigit)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(h));
  }
}
