package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * Storage shared by the workloads of a lab, VMs and containers alike. How it is realised depends on
 * the backend and the guests that mount it (an RWX volume with virtiofs, a platform file share, or
 * an in-lab file server); the plan says which realisation was chosen and why.
 *
 * <pre>{@code
 * SharedVolume.named("results").withSize("20Gi")
 * }</pre>
 *
 * @param name the volume's name, unique within the lab (a DNS label)
 * @param size its capacity as a quantity
 * @since 0.1.0
 */
public record SharedVolume(String name, String size) {

  /** The size of a volume created with {@link #named(String)}. */
  public static final String DEFAULT_SIZE = "10Gi";

  /**
   * Checks the components.
   *
   * @param name the volume's name
   * @param size its capacity
   */
  public SharedVolume {
    requireNonNull(name, "name");
    requireNonNull(size, "size");
  }

  /**
   * A volume of {@value #DEFAULT_SIZE}.
   *
   * @param name the volume's name
   * @return the volume
   */
  public static SharedVolume named(String name) {
    return new SharedVolume(name, DEFAULT_SIZE);
  }

  /**
   * A copy of this volume with another size.
   *
   * @param size the capacity as a quantity, e.g. {@code 20Gi}
   * @return the copy
   */
  public SharedVolume withSize(String size) {
    return new SharedVolume(name, size);
  }
}
