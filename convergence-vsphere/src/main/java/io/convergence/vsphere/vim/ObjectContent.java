package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The properties read from one object ({@code ObjectContent}). Properties that are unset on the
 * server are simply absent, as vCenter leaves them out.
 *
 * @param obj the object
 * @param properties property path to value, in the order the server sent them
 * @param missing property path to the fault that kept it from being read (e.g. {@code
 *     NoPermission})
 * @since 0.1.0
 */
public record ObjectContent(
    ManagedObjectReference obj, Map<String, VimValue> properties, Map<String, VimFault> missing) {

  /**
   * Checks the components.
   *
   * @param obj the object
   * @param properties the values
   * @param missing the faults
   */
  public ObjectContent {
    requireNonNull(obj, "obj");
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
  }

  /**
   * One property's value.
   *
   * @param path the property path, as requested
   * @return the value, if set
   */
  public Optional<VimValue> get(String path) {
    return Optional.ofNullable(properties.get(path));
  }

  /**
   * One property's text (for simple values such as {@code name}).
   *
   * @param path the property path
   * @return the text, if set
   */
  public Optional<String> text(String path) {
    return get(path).map(VimValue::text);
  }

  /**
   * One property as a managed object reference (such as {@code parent}).
   *
   * @param path the property path
   * @return the reference, if set
   */
  public Optional<ManagedObjectReference> reference(String path) {
    return get(path).filter(VimValue::isReference).map(VimValue::asReference);
  }
}
