package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

/**
 * A step of a property collector traversal: either a {@link TraversalSpec}, or a reference by name
 * to a traversal spec defined elsewhere in the same filter (for recursion).
 *
 * @since 0.1.0
 */
public sealed interface SelectionSpec permits SelectionSpec.Named, TraversalSpec {

  /**
   * A reference to a named traversal spec ({@code <selectSet><name>x</name></selectSet>}).
   *
   * @param name the name of a traversal spec in the same filter
   */
  record Named(String name) implements SelectionSpec {
    /**
     * Checks the name.
     *
     * @param name the name
     */
    public Named {
      requireNonNull(name, "name");
    }
  }

  /**
   * A reference to a named traversal spec.
   *
   * @param name the traversal spec's name
   * @return the reference
   */
  static SelectionSpec named(String name) {
    return new Named(name);
  }
}
