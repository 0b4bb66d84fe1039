package io.convergence.spi;

import io.convergence.config.ConvergenceConfig;

/**
 * Creates {@link Backend}s of one kind; found with {@link java.util.ServiceLoader}.
 *
 * @since 0.1.0
 */
public interface BackendProvider {

  /**
   * The backend's id, e.g. {@code kubevirt}; lower case, unique.
   *
   * @return the id
   */
  String id();

  /**
   * The order in which providers are tried when no backend is named: highest first. Simulators and
   * in-memory backends use negative priorities so that a configured real platform wins.
   *
   * @return the priority
   */
  default int priority() {
    return 0;
  }

  /**
   * Whether a backend can be created with {@code config}: configuration present, endpoint
   * reachable. Must return within a few seconds and never throw.
   *
   * @param config the settings scoped to this backend ({@code convergence.<id>.})
   * @return the availability, with the reason when unavailable
   */
  Availability availability(ConvergenceConfig config);

  /**
   * Creates a backend: a platform client shared by every lab of one {@code Convergence} client.
   *
   * @param context settings and shared services
   * @return the backend
   * @throws io.convergence.ConvergenceException when the configuration is incomplete or the
   *     platform refuses
   */
  Backend create(BackendContext context);
}
