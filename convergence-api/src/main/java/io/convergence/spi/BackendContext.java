package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.config.ConvergenceConfig;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What a {@link BackendProvider} gets to create a {@link Backend}.
 *
 * @param config settings scoped to the backend ({@code convergence.<id>.})
 * @param clock the clock for expiry and timing
 * @param scheduler a shared scheduler for timers and polling; backends must not block its thread
 * @since 0.1.0
 */
public record BackendContext(
    ConvergenceConfig config, Clock clock, ScheduledExecutorService scheduler) {
  /**
   * Checks the components.
   *
   * @param config settings
   * @param clock the clock
   * @param scheduler the scheduler
   */
  public BackendContext {
    requireNonNull(config, "config");
    requireNonNull(clock, "clock");
    requireNonNull(scheduler, "scheduler");
  }
}
