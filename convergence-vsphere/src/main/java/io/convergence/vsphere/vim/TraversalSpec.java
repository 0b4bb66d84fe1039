package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Follows a reference property from objects of one type to further objects ({@code TraversalSpec}),
 * e.g. from a {@code Folder} along {@code childEntity} to its children.
 *
 * @param name the spec's name, so that other specs can refer to it, or {@code null}
 * @param type the type the traversal starts from, e.g. {@code Folder}
 * @param path the property to follow, e.g. {@code childEntity}
 * @param skip whether to leave the objects reached out of the result (and only traverse them)
 * @param selectSet further steps from the objects reached
 * @since 0.1.0
 */
public record TraversalSpec(
    @Nullable String name, String type, String path, boolean skip, List<SelectionSpec> selectSet)
    implements SelectionSpec {

  /**
   * Checks the components.
   *
   * @param name the spec's name, or {@code null}
   * @param type the type the traversal starts from
   * @param path the property to follow
   * @param skip whether to leave the objects reached out of the result
   * @param selectSet further steps
   */
  public TraversalSpec {
    requireNonNull(type, "type");
    requireNonNull(path, "path");
    selectSet = List.copyOf(selectSet);
  }

  /**
   * A single named step that reports the objects it reaches.
   *
   * @param name the spec's name
   * @param type the type the traversal starts from
   * @param path the property to follow
   * @return the spec
   */
  public static TraversalSpec of(String name, String type, String path) {
    return new TraversalSpec(name, type, path, false, List.of());
  }
}
