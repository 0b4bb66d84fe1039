package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * One problem of a spec: the path of the field and what is wrong with it and what would be valid,
 * e.g. {@code workloads[tester].vm.memory: "8GB" is not a quantity; use e.g. 8Gi}.
 *
 * @param path the field path, e.g. {@code workloads[tester].vm.memory}; empty for the spec as a
 *     whole
 * @param message what is wrong and what would be valid
 * @since 0.1.0
 */
public record SpecProblem(String path, String message) {
  /**
   * Checks the components.
   *
   * @param path the field path
   * @param message the description
   */
  public SpecProblem {
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  /** {@code path: message}. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
