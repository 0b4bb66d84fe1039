package io.convergence.spec;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * CPU and memory of a container, as Kubernetes quantities. Each value is both what the container is
 * guaranteed and its limit, so that a lab behaves the same on a busy cluster as on an idle one.
 *
 * @param cpu CPU, e.g. {@code 500m} or {@code 2}; {@code null} for the platform's default
 * @param memory memory, e.g. {@code 512Mi}; {@code null} for the platform's default
 * @since 0.1.0
 */
public record ResourceSpec(@Nullable String cpu, @Nullable String memory) {

  /** No requirement: the platform's defaults. */
  public static final ResourceSpec DEFAULT = new ResourceSpec(null, null);

  /**
   * The CPU quantity, if given.
   *
   * @return the CPU quantity
   */
  public Optional<String> optionalCpu() {
    return Optional.ofNullable(cpu);
  }

  /**
   * The memory quantity, if given.
   *
   * @return the memory quantity
   */
  public Optional<String> optionalMemory() {
    return Optional.ofNullable(memory);
  }
}
