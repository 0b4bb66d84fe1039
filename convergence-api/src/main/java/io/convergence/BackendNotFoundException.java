package io.convergence;

import java.util.List;

/**
 * No backend of the requested id is on the classpath.
 *
 * @since 0.1.0
 */
public class BackendNotFoundException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  /** The id asked for. */
  private final String requested;

  /** Ids found. */
  private final List<String> found;

  /**
   * Creates the exception.
   *
   * @param requested the id asked for
   * @param found the ids of the backends that are on the classpath
   */
  public BackendNotFoundException(String requested, List<String> found) {
    super(
        "No backend '"
            + requested
            + "' on the classpath; found: "
            + (found.isEmpty() ? "none" : String.join(", ", found))
            + ". Add the module io.convergence:"
            + moduleOf(requested)
            + ", or use one of the backends found.");
    this.requested = requested;
    this.found = List.copyOf(found);
  }

  /** The module that brings a backend: simulators, then vsphere-* and the others by name. */
  static String moduleOf(String backendId) {
    if (backendId.endsWith("-simulator")) {
      return "convergence-simulator";
    }
    if (backendId.startsWith("vsphere-")) {
      return "convergence-vsphere";
    }
    if (backendId.equals("inmemory")) {
      return "convergence-testkit";
    }
    return "convergence-" + backendId;
  }

  /**
   * The id asked for.
   *
   * @return the id
   */
  public String requested() {
    return requested;
  }

  /**
   * The ids of the backends found on the classpath.
   *
   * @return the ids
   */
  public List<String> found() {
    return found;
  }
}
