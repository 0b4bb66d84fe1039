package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which properties to read from objects of one type ({@code PropertySpec}).
 *
 * @param type the managed object type, e.g. {@code VirtualMachine}
 * @param all whether to read every property (expensive; {@code pathSet} is then ignored)
 * @param pathSet property paths, e.g. {@code name}, {@code runtime.powerState}
 * @since 0.1.0
 */
public record PropertySpec(String type, boolean all, List<String> pathSet) {
  /**
   * Checks the components.
   *
   * @param type the managed object type
   * @param all whether to read every property
   * @param pathSet property paths
   */
  public PropertySpec {
    requireNonNull(type, "type");
    pathSet = List.copyOf(pathSet);
  }

  /**
   * Reads the given paths.
   *
   * @param type the managed object type
   * @param paths property paths
   * @return the spec
   */
  public static PropertySpec of(String type, String... paths) {
    return new PropertySpec(type, false, List.of(paths));
  }

  /**
   * Reads the given paths.
   *
   * @param type the managed object type
   * @param paths property paths
   * @return the spec
   */
  public static PropertySpec of(String type, List<String> paths) {
    return new PropertySpec(type, false, paths);
  }
}
