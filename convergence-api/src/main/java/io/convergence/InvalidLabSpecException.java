package io.convergence;

import io.convergence.spec.SpecProblem;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A lab spec has problems: thrown before any remote call, by validation or by a backend's plan (a
 * feature the backend cannot honour). It lists every problem with its field path.
 *
 * @since 0.1.0
 */
public class InvalidLabSpecException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  /** The lab's name. */
  private final String labName;

  private final transient List<SpecProblem> problems;

  /** The backend. */
  private final @Nullable String backendId;

  /**
   * Problems found by validation.
   *
   * @param labName the lab's name
   * @param problems every problem
   */
  public InvalidLabSpecException(String labName, List<SpecProblem> problems) {
    this(labName, problems, null);
  }

  /**
   * Problems found by a backend's plan.
   *
   * @param labName the lab's name
   * @param problems every problem
   * @param backendId the backend that rejected the spec, or {@code null} for validation
   */
  public InvalidLabSpecException(
      String labName, List<SpecProblem> problems, @Nullable String backendId) {
    super(message(labName, problems, backendId));
    this.labName = labName;
    this.problems = List.copyOf(problems);
    this.backendId = backendId;
  }

  private static String message(
      String labName, List<SpecProblem> problems, @Nullable String backendId) {
    StringBuilder s = new StringBuilder("Lab spec '").append(labName).append("' ");
    if (backendId != null) {
      s.append("cannot run on backend '").append(backendId).append("': ");
    } else {
      s.append("is invalid: ");
    }
    s.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems");
    for (SpecProblem p : problems) {
      s.append("\n  - ").append(p);
    }
    return s.toString();
  }

  /**
   * The lab's name.
   *
   * @return the name
   */
  public String labName() {
    return labName;
  }

  /**
   * Every problem, with its field path.
   *
   * @return the problems
   */
  public List<SpecProblem> problems() {
    return problems;
  }

  /**
   * The backend that rejected the spec; empty when validation did.
   *
   * @return the backend id
   */
  public Optional<String> backendId() {
    return Optional.ofNullable(backendId);
  }
}
