package io.convergence;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Which labs a {@link Convergence#sweep(SweepRequest) sweep} removes. A sweep looks only at objects
 * carrying Convergence {@link Ownership} labels, across every namespace, folder or category the
 * backend can see.
 *
 * @since 0.1.0
 */
public final class SweepRequest {

  private enum Scope {
    EXPIRED,
    LAB,
    RUN,
    OWNER
  }

  private final Scope scope;
  private final String value;
  private final boolean dryRun;

  private SweepRequest(Scope scope, String value, boolean dryRun) {
    this.scope = scope;
    this.value = value;
    this.dryRun = dryRun;
  }

  /**
   * Labs whose TTL has ended: what a scheduled cleanup job runs.
   *
   * @return the request
   */
  public static SweepRequest expired() {
    return new SweepRequest(Scope.EXPIRED, "", false);
  }

  /**
   * One lab, expired or not, e.g. one kept after a failure.
   *
   * @param labId the lab's id
   * @return the request
   */
  public static SweepRequest lab(String labId) {
    return new SweepRequest(Scope.LAB, requireNonNull(labId, "labId"), false);
  }

  /**
   * Every lab started by one JVM run, e.g. after that run crashed.
   *
   * @param runId the run id
   * @return the request
   */
  public static SweepRequest run(String runId) {
    return new SweepRequest(Scope.RUN, requireNonNull(runId, "runId"), false);
  }

  /**
   * Every lab of one owner.
   *
   * @param owner the owner, as in {@link Ownership#owner()}
   * @return the request
   */
  public static SweepRequest owner(String owner) {
    return new SweepRequest(Scope.OWNER, requireNonNull(owner, "owner"), false);
  }

  /**
   * The same request, reporting what it would remove without removing anything.
   *
   * @return the request
   */
  public SweepRequest dryRun() {
    return new SweepRequest(scope, value, true);
  }

  /**
   * Whether the request only reports.
   *
   * @return true for a dry run
   */
  public boolean isDryRun() {
    return dryRun;
  }

  /**
   * Whether a lab of this ownership is to be removed.
   *
   * @param ownership the lab's ownership
   * @param now the current time
   * @return true when it matches
   */
  public boolean matches(Ownership ownership, Instant now) {
    switch (scope) {
      case EXPIRED:
        return ownership.isExpired(now);
      case LAB:
        return ownership.labId().equals(value);
      case RUN:
        return ownership.runId().equals(value);
      case OWNER:
        return ownership.owner().equals(value);
      default:
        throw new AssertionError(scope);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SweepRequest r
        && scope == r.scope
        && value.equals(r.value)
        && dryRun == r.dryRun;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(scope, value, dryRun);
  }

  @Override
  public String toString() {
    return "SweepRequest{"
        + scope.name().toLowerCase(java.util.Locale.ROOT)
        + (value.isEmpty() ? "" : " " + value)
        + (dryRun ? ", dry run" : "")
        + "}";
  }
}
