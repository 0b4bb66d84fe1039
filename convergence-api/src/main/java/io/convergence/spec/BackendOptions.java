package io.convergence.spec;

/**
 * Typed options of one backend attached to a workload: the escape hatch for what the portable model
 * does not cover (a node selector, a VM class, a Prism cluster), usually with a last-mile modifier
 * of the native object.
 *
 * <p>Each backend publishes its own implementation (e.g. {@code KubeVirtOptions}); other backends
 * ignore it and log that at DEBUG. A spec that uses options is no longer portable, and the plan
 * says which options were used.
 *
 * <p>Implementations are immutable and implement {@code equals}; options that carry a modifier
 * function compare the function by identity, and such options cannot be written to YAML.
 *
 * @since 0.1.0
 */
public interface BackendOptions {
  /**
   * The id of the backend these options are for, e.g. {@code "kubevirt"}.
   *
   * @return the backend id
   */
  String backendId();
}
