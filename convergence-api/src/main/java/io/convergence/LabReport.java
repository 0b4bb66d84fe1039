package io.convergence;

import static java.util.Objects.requireNonNull;

import io.convergence.event.LabEvent;
import io.convergence.spec.Stage;
import io.convergence.spec.WorkloadKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a lab for a failure report: the effective spec, the plan, the event timeline and,
 * per workload, what the platform says about it now and its logs. Every secret of the lab is
 * redacted from every text in it.
 *
 * @param labId the lab's id
 * @param backendId the backend's id
 * @param takenAt when the snapshot was taken
 * @param expiresAt when the lab expires
 * @param specYaml the lab's spec as YAML, literal secrets as {@code <redacted>}
 * @param planYaml every native object of the lab as multi-document YAML
 * @param events the lab's events so far, in order
 * @param workloads one report per workload, in the lab's order
 * @since 0.1.0
 */
public record LabReport(
    String labId,
    String backendId,
    Instant takenAt,
    Instant expiresAt,
    String specYaml,
    String planYaml,
    List<LabEvent> events,
    List<WorkloadReport> workloads) {

  /**
   * Checks and copies the parts.
   *
   * @param labId the lab's id
   * @param backendId the backend's id
   * @param takenAt when the snapshot was taken
   * @param expiresAt when the lab expires
   * @param specYaml the spec
   * @param planYaml the plan
   * @param events the events
   * @param workloads the workloads' reports
   */
  public LabReport {
    requireNonNull(labId, "labId");
    requireNonNull(backendId, "backendId");
    requireNonNull(takenAt, "takenAt");
    requireNonNull(expiresAt, "expiresAt");
    requireNonNull(specYaml, "specYaml");
    requireNonNull(planYaml, "planYaml");
    events = List.copyOf(events);
    workloads = List.copyOf(workloads);
  }

  /**
   * One workload's part of a {@link LabReport}.
   *
   * @param name the workload's name
   * @param kind VM or container
   * @param status the provider-neutral status
   * @param backendStatus the platform's own status, e.g. {@code CrashLoopBackOff}
   * @param host the workload's address, when it has one
   * @param stageTimings how long each stage took, for the stages reached
   * @param diagnostics what the platform says now: conditions, events, console tail
   * @param logs the container's log or the VM's console tail; a note when unavailable
   * @since 0.1.0
   */
  public record WorkloadReport(
      String name,
      WorkloadKind kind,
      WorkloadStatus status,
      String backendStatus,
      @Nullable String host,
      Map<Stage, Duration> stageTimings,
      List<String> diagnostics,
      String logs) {

    /**
     * Checks and copies the parts.
     *
     * @param name the name
     * @param kind the kind
     * @param status the status
     * @param backendStatus the platform's status
     * @param host the address or null
     * @param stageTimings the stage timings
     * @param diagnostics the diagnostics lines
     * @param logs the logs
     */
    public WorkloadReport {
      requireNonNull(name, "name");
      requireNonNull(kind, "kind");
      requireNonNull(status, "status");
      requireNonNull(backendStatus, "backendStatus");
      EnumMap<Stage, Duration> timings = new EnumMap<>(Stage.class);
      timings.putAll(stageTimings);
      stageTimings = Collections.unmodifiableMap(timings);
      diagnostics = List.copyOf(diagnostics);
      requireNonNull(logs, "logs");
    }
  }
}
