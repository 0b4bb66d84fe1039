package io.convergence.event;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to a lab or one of its workloads.
 *
 * @param at when it happened
 * @param labId the lab's id
 * @param type what happened
 * @param workload the workload concerned, or {@code null} for lab events
 * @param stage the stage reached or failed, or {@code null}
 * @param elapsed for stage events, the time since the workload's previous stage (or since its
 *     creation started); for lab events, the time since the lab started
 * @param message a human-readable line, never containing secrets
 * @since 0.1.0
 */
public record LabEvent(
    Instant at,
    String labId,
    Type type,
    @Nullable String workload,
    @Nullable Stage stage,
    Duration elapsed,
    String message) {

  /**
   * What happened.
   *
   * @since 0.1.0
   */
  public enum Type {
    /** The spec was validated and the backend planned the lab. */
    LAB_PLANNED,
    /** A running reusable lab of the same spec is adopted instead of created. */
    LAB_REUSED,
    /** A reusable lab of the same name with another spec (or about to expire) was removed. */
    LAB_SUPERSEDED,
    /** The lab-wide objects (namespace, folder, volumes) were created. */
    LAB_PREPARED,
    /** A workload's objects are being created. */
    WORKLOAD_CREATING,
    /** A workload reached a readiness stage. */
    STAGE_REACHED,
    /** A workload reached its last readiness stage. */
    WORKLOAD_READY,
    /** A workload failed at a stage. */
    WORKLOAD_FAILED,
    /** Every workload is ready. */
    LAB_READY,
    /** The lab failed to start. */
    LAB_FAILED,
    /** A failed lab is kept for inspection. */
    LAB_KEPT,
    /** A reusable lab was closed and left running for the next run, until its TTL ends. */
    LAB_RELEASED,
    /** The lab is being removed. */
    TEARDOWN_STARTED,
    /** Removing the lab failed once and is retried. */
    TEARDOWN_RETRY,
    /** Everything the lab created is gone. */
    TEARDOWN_FINISHED,
    /** Removing the lab failed; what remains expires with its TTL. */
    TEARDOWN_FAILED
  }

  /**
   * Checks the components.
   *
   * @param at when it happened
   * @param labId the lab's id
   * @param type what happened
   * @param workload the workload, or {@code null}
   * @param stage the stage, or {@code null}
   * @param elapsed the elapsed time
   * @param message the message
   */
  public LabEvent {
    requireNonNull(at, "at");
    requireNonNull(labId, "labId");
    requireNonNull(type, "type");
    requireNonNull(elapsed, "elapsed");
    requireNonNull(message, "message");
  }

  /**
   * The workload concerned.
   *
   * @return the workload's name, empty for lab events
   */
  public Optional<String> optionalWorkload() {
    return Optional.ofNullable(workload);
  }

  /**
   * The stage concerned.
   *
   * @return the stage, empty for events without one
   */
  public Optional<Stage> optionalStage() {
    return Optional.ofNullable(stage);
  }

  @Override
  public String toString() {
    return at
        + " "
        + labId
        + " "
        + type
        + (workload == null ? "" : " " + workload)
        + (stage == null ? "" : " " + stage.id())
        + " +"
        + elapsed.toMillis()
        + "ms: "
        + message;
  }
}
