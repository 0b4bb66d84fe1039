package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * An extra, empty data disk attached to a VM.
 *
 * @param name the disk's name, unique within the VM (a DNS label)
 * @param size its size as a quantity, e.g. {@code 50Gi}
 * @since 0.1.0
 */
public record DiskSpec(String name, String size) {
  /**
   * Checks the components.
   *
   * @param name the disk's name
   * @param size its size as a quantity
   */
  public DiskSpec {
    requireNonNull(name, "name");
    requireNonNull(size, "size");
  }
}
