package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a property collector filter starts ({@code ObjectSpec}).
 *
 * @param obj the starting object
 * @param skip whether to leave the starting object itself out of the result
 * @param selectSet traversals from the starting object
 * @since 0.1.0
 */
public record ObjectSpec(ManagedObjectReference obj, boolean skip, List<SelectionSpec> selectSet) {
  /**
   * Checks the components.
   *
   * @param obj the starting object
   * @param skip whether to leave it out of the result
   * @param selectSet traversals
   */
  public ObjectSpec {
    requireNonNull(obj, "obj");
    selectSet = List.copyOf(selectSet);
  }

  /**
   * Just this object, no traversal.
   *
   * @param obj the object
   * @return the spec
   */
  public static ObjectSpec of(ManagedObjectReference obj) {
    return new ObjectSpec(obj, false, List.of());
  }
}
