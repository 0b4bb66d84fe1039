package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.Ownership;
import io.convergence.spec.LabSpec;

/**
 * What a backend plans from.
 *
 * @param spec the validated spec; every secret in it is a literal, already read from its
 *     environment variable or file
 * @param ownership the ownership to stamp on every object
 * @since 0.1.0
 */
public record PlanRequest(LabSpec spec, Ownership ownership) {
  /**
   * Checks the components.
   *
   * @param spec the spec
   * @param ownership the ownership
   */
  public PlanRequest {
    requireNonNull(spec, "spec");
    requireNonNull(ownership, "ownership");
  }
}
