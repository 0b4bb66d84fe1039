package io.convergence.vsphere.vim;

import java.util.List;

/**
 * What to read with {@code RetrievePropertiesEx}: the properties per type, and the objects
 * (starting points plus traversals) to read them from.
 *
 * @param propSet properties per managed object type
 * @param objectSet starting objects and traversals
 * @since 0.1.0
 */
public record PropertyFilterSpec(List<PropertySpec> propSet, List<ObjectSpec> objectSet) {
  /**
   * Checks the components.
   *
   * @param propSet properties per type (at least one)
   * @param objectSet starting objects (at least one)
   */
  public PropertyFilterSpec {
    propSet = List.copyOf(propSet);
    objectSet = List.copyOf(objectSet);
    if (propSet.isEmpty() || objectSet.isEmpty()) {
      throw new IllegalArgumentException("a filter needs at least one PropertySpec and ObjectSpec");
    }
  }

  /**
   * Reads properties of one object.
   *
   * @param obj the object
   * @param paths property paths
   * @return the spec
   */
  public static PropertyFilterSpec of(ManagedObjectReference obj, String... paths) {
    return new PropertyFilterSpec(
        List.of(PropertySpec.of(obj.type(), paths)), List.of(ObjectSpec.of(obj)));
  }
}
