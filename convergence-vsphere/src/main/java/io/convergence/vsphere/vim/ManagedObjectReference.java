package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

/**
 * A reference to a vCenter managed object, as vim25 puts it on the wire: {@code <obj
 * type="VirtualMachine">vm-42</obj>}.
 *
 * @param type the managed object type, e.g. {@code VirtualMachine}, {@code Folder}, {@code Task}
 * @param value the managed object id, e.g. {@code vm-42}
 * @since 0.1.0
 */
public record ManagedObjectReference(String type, String value) {

  /**
   * Checks the components.
   *
   * @param type the managed object type
   * @param value the managed object id
   */
  public ManagedObjectReference {
    requireNonNull(type, "type");
    requireNonNull(value, "value");
    if (type.isEmpty() || value.isEmpty()) {
      throw new IllegalArgumentException("type and value must not be empty: " + type + ":" + value);
    }
  }

  /**
   * Creates a reference.
   *
   * @param type the managed object type
   * @param value the managed object id
   * @return the reference
   */
  public static ManagedObjectReference of(String type, String value) {
    return new ManagedObjectReference(type, value);
  }

  /**
   * Whether this refers to an object of the given type.
   *
   * @param expectedType a managed object type, e.g. {@code VirtualMachine}
   * @return whether the types are equal
   */
  public boolean is(String expectedType) {
    return type.equals(expectedType);
  }

  /** {@return {@code type:value}, as govmomi prints references} */
  @Override
  public String toString() {
    return type + ":" + value;
  }
}
