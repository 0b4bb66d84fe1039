package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A custom attribute definition ({@code CustomFieldDef}), e.g. the ownership label a lab puts on
 * its VMs.
 *
 * @param key the field key used by {@code SetField} and in {@code customValue}
 * @param name the attribute's name
 * @param managedObjectType the type it applies to, or {@code null} for every type
 * @since 0.1.0
 */
public record CustomFieldDef(int key, String name, @Nullable String managedObjectType) {
  /**
   * Checks the components.
   *
   * @param key the key
   * @param name the name
   * @param managedObjectType the type, or {@code null}
   */
  public CustomFieldDef {
    requireNonNull(name, "name");
  }

  /**
   * The type the attribute applies to.
   *
   * @return the type, or empty for a global attribute
   */
  public Optional<String> appliesTo() {
    return Optional.ofNullable(managedObjectType);
  }
}
