package io.convergence.testkit;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * An object on the platform under test, as the contract suite sees it.
 *
 * @param kind its kind, e.g. {@code Pod}
 * @param name its name
 * @param labels its labels (tags, categories)
 * @since 0.1.0
 */
public record PlatformObject(String kind, String name, Map<String, String> labels) {
  /**
   * Checks and copies the components.
   *
   * @param kind the kind
   * @param name the name
   * @param labels the labels
   */
  public PlatformObject {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    labels = Map.copyOf(labels);
  }

  /**
   * The lab the object belongs to.
   *
   * @return the lab id label, or empty text
   */
  public String labId() {
    return labels.getOrDefault(io.convergence.Ownership.LAB_ID_KEY, "");
  }
}
