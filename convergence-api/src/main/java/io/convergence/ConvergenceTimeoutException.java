package io.convergence;

import io.convergence.spec.Stage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Workloads did not reach a readiness stage within that stage's timeout. It says which workloads
 * were not ready and at which stage each one stalled.
 *
 * @since 0.1.0
 */
public class ConvergenceTimeoutException extends ProvisioningException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param labId the lab's id
   * @param backendId the backend's id
   * @param created the workloads whose objects were created
   * @param failures the workloads that timed out (and any other failures), by name
   * @param keptUntil the expiry when the lab is kept, {@code null} when it was rolled back
   */
  public ConvergenceTimeoutException(
      String labId,
      String backendId,
      List<String> created,
      Map<String, WorkloadFailure> failures,
      @Nullable Instant keptUntil) {
    super(
        "Lab " + labId + " on " + backendId + " timed out: " + describe(failures),
        labId,
        backendId,
        created,
        failures,
        keptUntil,
        null);
  }

  private static String describe(Map<String, WorkloadFailure> failures) {
    StringBuilder s = new StringBuilder();
    for (WorkloadFailure f : failures.values()) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(f.workload()).append(" not ").append(f.stage().id());
    }
    return s.toString();
  }

  /**
   * The stage each workload that was not ready stalled at.
   *
   * @return workload name to stage
   */
  public Map<String, Stage> notReady() {
    Map<String, Stage> stages = new LinkedHashMap<>();
    failures().forEach((name, f) -> stages.put(name, f.stage()));
    return stages;
  }
}
