package io.convergence.spec;

/**
 * Transport protocol of an exposed port.
 *
 * @since 0.1.0
 */
public enum Protocol {
  /** TCP. */
  TCP,
  /** UDP. */
  UDP
}
