package io.convergence.testkit.inmemory;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.BackendOptions;
import io.convergence.spec.Stage;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-workload options of the in-memory backend: stage latencies that differ from the platform's,
 * e.g. to make one workload the slow one. In YAML: {@code options: {inmemory: {latency: {running:
 * 2s}}}}.
 *
 * @since 0.1.0
 */
public final class InMemoryOptions implements BackendOptions {

  private final Map<Stage, Duration> latencies;

  private InMemoryOptions(Map<Stage, Duration> latencies) {
    this.latencies = Collections.unmodifiableMap(new EnumMap<>(latencies));
  }

  /**
   * Options with latency overrides.
   *
   * @param latencies stage to latency
   * @return the options
   */
  public static InMemoryOptions latencies(Map<Stage, Duration> latencies) {
    EnumMap<Stage, Duration> copy = new EnumMap<>(Stage.class);
    latencies.forEach((s, d) -> copy.put(requireNonNull(s, "stage"), requireNonNull(d, "latency")));
    return new InMemoryOptions(copy);
  }

  /**
   * Options that set one stage's latency.
   *
   * @param stage the stage
   * @param latency its latency for this workload
   * @return the options
   */
  public static InMemoryOptions latency(Stage stage, Duration latency) {
    return latencies(Map.of(stage, latency));
  }

  @Override
  public String backendId() {
    return InMemoryBackendProvider.ID;
  }

  /**
   * The latency overrides.
   *
   * @return stage to latency
   */
  public Map<Stage, Duration> latencies() {
    return latencies;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InMemoryOptions other && latencies.equals(other.latencies);
  }

  @Override
  public int hashCode() {
    return Objects.hash(latencies);
  }

  @Override
  public String toString() {
    return "InMemoryOptions{latencies=" + latencies + "}";
  }
}
