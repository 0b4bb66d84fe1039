package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * When a workload counts as ready: the probes that must pass and the time each {@link Stage} may
 * take.
 *
 * <pre>{@code
 * Readiness.builder().probe(Probe.winRm()).timeout(Stage.GUEST, Duration.ofMinutes(30)).build()
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Readiness {

  /** The default pause between two attempts of a failing probe. */
  public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(2);

  /** No probes, default timeouts. */
  public static final Readiness DEFAULT = builder().build();

  private final List<Probe> probes;
  private final Map<Stage, Duration> timeouts;
  private final Duration probeInterval;

  private Readiness(Builder b) {
    this.probes = List.copyOf(b.probes);
    this.timeouts = Collections.unmodifiableMap(new EnumMap<>(b.timeouts));
    this.probeInterval = b.probeInterval;
  }

  /**
   * A new builder with no probes and default timeouts.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this readiness.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.probes.addAll(probes);
    b.timeouts.putAll(timeouts);
    b.probeInterval = probeInterval;
    return b;
  }

  /**
   * The probes that must all pass, in order.
   *
   * @return the probes, possibly empty
   */
  public List<Probe> probes() {
    return probes;
  }

  /**
   * The timeouts set explicitly; stages not in the map use {@link Stage#defaultTimeout()}.
   *
   * @return the overrides
   */
  public Map<Stage, Duration> timeoutOverrides() {
    return timeouts;
  }

  /**
   * The time a workload may take to reach {@code stage} after the previous stage.
   *
   * @param stage the stage
   * @return the override or the stage's default
   */
  public Duration timeout(Stage stage) {
    return timeouts.getOrDefault(stage, stage.defaultTimeout());
  }

  /**
   * The pause between two attempts of a failing probe.
   *
   * @return the interval
   */
  public Duration probeInterval() {
    return probeInterval;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Readiness r
        && probes.equals(r.probes)
        && timeouts.equals(r.timeouts)
        && probeInterval.equals(r.probeInterval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(probes, timeouts, probeInterval);
  }

  @Override
  public String toString() {
    return "Readiness{probes="
        + probes
        + ", timeouts="
        + timeouts
        + ", probeInterval="
        + probeInterval
        + "}";
  }

  /**
   * Builds a {@link Readiness}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final List<Probe> probes = new ArrayList<>();
    private final Map<Stage, Duration> timeouts = new EnumMap<>(Stage.class);
    private Duration probeInterval = DEFAULT_PROBE_INTERVAL;

    private Builder() {}

    /**
     * Adds a probe that must pass.
     *
     * @param probe the probe
     * @return this builder
     */
    public Builder probe(Probe probe) {
      probes.add(requireNonNull(probe, "probe"));
      return this;
    }

    /**
     * Sets the time a workload may take to reach {@code stage} after the previous stage.
     *
     * @param stage the stage
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Stage stage, Duration timeout) {
      timeouts.put(requireNonNull(stage, "stage"), requireNonNull(timeout, "timeout"));
      return this;
    }

    /**
     * Sets every stage's timeout to {@code timeout}.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeoutForEveryStage(Duration timeout) {
      for (Stage stage : Stage.values()) {
        timeout(stage, timeout);
      }
      return this;
    }

    /**
     * Sets the pause between two attempts of a failing probe.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Builds the readiness.
     *
     * @return the readiness
     */
    public Readiness build() {
      return new Readiness(this);
    }
  }
}
