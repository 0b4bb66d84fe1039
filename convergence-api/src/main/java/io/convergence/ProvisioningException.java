package io.convergence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A lab could not be brought up. It says which workloads were created and which failed (at which
 * stage, with the platform's reason and what to check next), and whether everything created was
 * rolled back or kept for inspection.
 *
 * @since 0.1.0
 */
public class ProvisioningException extends ConvergenceException {
  private static final long serialVersionUID = 1L;

  /** The lab's id. */
  private final String labId;

  /** The backend. */
  private final String backendId;

  /** Workloads created. */
  private final List<String> created;

  private final transient Map<String, WorkloadFailure> failures;

  /** Expiry when kept. */
  private final @Nullable Instant keptUntil;

  /**
   * Creates the exception.
   *
   * @param labId the lab's id
   * @param backendId the backend's id
   * @param created the workloads whose objects were created, in order
   * @param failures the workloads that failed, by name
   * @param keptUntil when the lab is kept for inspection, its expiry; {@code null} when it was
   *     rolled back
   * @param cause the first failure's cause, or {@code null}
   */
  public ProvisioningException(
      String labId,
      String backendId,
      List<String> created,
      Map<String, WorkloadFailure> failures,
      @Nullable Instant keptUntil,
      @Nullable Throwable cause) {
    this(
        headline(labId, backendId, failures),
        labId,
        backendId,
        created,
        failures,
        keptUntil,
        cause);
  }

  /**
   * Creates the exception with a specific headline.
   *
   * @param headline the first line of the message
   * @param labId the lab's id
   * @param backendId the backend's id
   * @param created the workloads whose objects were created, in order
   * @param failures the workloads that failed, by name
   * @param keptUntil when the lab is kept for inspection, its expiry; {@code null} when it was
   *     rolled back
   * @param cause the first failure's cause, or {@code null}
   */
  protected ProvisioningException(
      String headline,
      String labId,
      String backendId,
      List<String> created,
      Map<String, WorkloadFailure> failures,
      @Nullable Instant keptUntil,
      @Nullable Throwable cause) {
    super(message(headline, labId, backendId, created, failures, keptUntil), cause);
    this.labId = labId;
    this.backendId = backendId;
    this.created = List.copyOf(created);
    this.failures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    this.keptUntil = keptUntil;
  }

  private static String headline(
      String labId, String backendId, Map<String, WorkloadFailure> failures) {
    return "Lab "
        + labId
        + " on "
        + backendId
        + " failed: "
        + String.join("; ", failures.keySet())
        + " not ready";
  }

  private static String message(
      String headline,
      String labId,
      String backendId,
      List<String> created,
      Map<String, WorkloadFailure> failures,
      @Nullable Instant keptUntil) {
    StringBuilder s = new StringBuilder(headline);
    for (WorkloadFailure f : failures.values()) {
      s.append("\n  - ").append(f.workload()).append(" at stage ").append(f.stage().id());
      s.append(": ").append(f.reason()).append(": ").append(f.message());
      if (!f.hint().isEmpty()) {
        s.append("\n    check: ").append(f.hint());
      }
      int from = Math.max(0, f.diagnostics().size() - 5);
      for (String d : f.diagnostics().subList(from, f.diagnostics().size())) {
        s.append("\n    | ").append(d);
      }
    }
    s.append("\n  created: ").append(created.isEmpty() ? "nothing" : String.join(", ", created));
    if (keptUntil != null) {
      s.append("\n  kept for inspection until ")
          .append(keptUntil)
          .append(" (TTL); remove it with sweep(SweepRequest.lab(\"")
          .append(labId)
          .append("\")) on backend ")
          .append(backendId);
    } else {
      s.append("\n  rolled back: everything the lab created was removed");
    }
    return s.toString();
  }

  /**
   * The lab's id.
   *
   * @return the id
   */
  public String labId() {
    return labId;
  }

  /**
   * The backend's id.
   *
   * @return the id
   */
  public String backendId() {
    return backendId;
  }

  /**
   * The workloads whose objects were created before the failure, in order.
   *
   * @return the names
   */
  public List<String> created() {
    return created;
  }

  /**
   * The workloads that failed, by name.
   *
   * @return the failures
   */
  public Map<String, WorkloadFailure> failures() {
    return failures;
  }

  /**
   * When the failed lab was kept for inspection, its expiry; empty when it was rolled back.
   *
   * @return the expiry
   */
  public Optional<Instant> keptUntil() {
    return Optional.ofNullable(keptUntil);
  }
}
