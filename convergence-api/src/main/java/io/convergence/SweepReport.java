package io.convergence;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a sweep found and removed.
 *
 * @param backendId the backend swept
 * @param labs the labs that matched the request
 * @since 0.1.0
 */
public record SweepReport(String backendId, List<SweptLab> labs) {

  /**
   * Checks and copies the components.
   *
   * @param backendId the backend swept
   * @param labs the labs that matched
   */
  public SweepReport {
    requireNonNull(backendId, "backendId");
    labs = List.copyOf(labs);
  }

  /**
   * One lab a sweep matched.
   *
   * @param ownership the lab's ownership, read from its objects
   * @param objects the objects found, as {@code kind/name}
   * @param removed whether they were removed (false for a dry run)
   * @since 0.1.0
   */
  public record SweptLab(Ownership ownership, List<String> objects, boolean removed) {
    /**
     * Checks and copies the components.
     *
     * @param ownership the lab's ownership
     * @param objects the objects found
     * @param removed whether they were removed
     */
    public SweptLab {
      requireNonNull(ownership, "ownership");
      objects = List.copyOf(objects);
    }
  }

  /**
   * The ids of the labs that matched.
   *
   * @return the ids
   */
  public List<String> labIds() {
    return labs.stream().map(l -> l.ownership().labId()).toList();
  }

  /**
   * How many objects the sweep found in all labs.
   *
   * @return the count
   */
  public int objectCount() {
    return labs.stream().mapToInt(l -> l.objects().size()).sum();
  }
}
