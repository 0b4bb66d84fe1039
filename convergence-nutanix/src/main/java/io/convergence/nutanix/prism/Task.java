package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Prism Central task ({@code prism.v4.config.Task}), as read by {@code GET
 * /api/prism/v4.0/config/tasks/{extId}}.
 *
 * @param extId the task's extId (opaque, e.g. {@code ZXJnb24=:447c5e9e-…})
 * @param operation e.g. {@code CreateVm}, {@code PowerOnVm}
 * @param operationDescription e.g. {@code Create VM}
 * @param status the state
 * @param progressPercentage 0 to 100
 * @param createdTime when it was created (ISO-8601)
 * @param startedTime when it started
 * @param completedTime when it finished
 * @param entitiesAffected the entities it works on; the created entity is among them
 * @param completionDetails name/value results
 * @param errorMessages why it failed
 * @param legacyErrorMessage an older-style error message
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Task(
    String extId,
    @Nullable String operation,
    @Nullable String operationDescription,
    Status status,
    @Nullable Integer progressPercentage,
    @Nullable String createdTime,
    @Nullable String startedTime,
    @Nullable String completedTime,
    List<EntityReference> entitiesAffected,
    List<CompletionDetail> completionDetails,
    List<PrismErrorMessage> errorMessages,
    @Nullable String legacyErrorMessage) {

  /**
   * Normalises missing lists to empty ones and a missing status to {@link Status#UNKNOWN}.
   *
   * @param extId the extId
   * @param operation the operation
   * @param operationDescription its description
   * @param status the status, or {@code null}
   * @param progressPercentage the progress
   * @param createdTime the creation time
   * @param startedTime the start time
   * @param completedTime the completion time
   * @param entitiesAffected the entities, or {@code null}
   * @param completionDetails the details, or {@code null}
   * @param errorMessages the errors, or {@code null}
   * @param legacyErrorMessage the legacy error
   */
  public Task {
    status = status == null ? Status.UNKNOWN : status;
    entitiesAffected = entitiesAffected == null ? List.of() : List.copyOf(entitiesAffected);
    completionDetails = completionDetails == null ? List.of() : List.copyOf(completionDetails);
    errorMessages = errorMessages == null ? List.of() : List.copyOf(errorMessages);
  }

  /** A task's state: {@code QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELED}. */
  public enum Status {
    /** Waiting to run. */
    QUEUED,
    /** Running. */
    RUNNING,
    /** Being cancelled. */
    CANCELING,
    /** Suspended. */
    SUSPENDED,
    /** Finished successfully. */
    SUCCEEDED,
    /** Finished with errors ({@link Task#errorMessages()}). */
    FAILED,
    /** Cancelled. */
    CANCELED,
    /** A value this client does not know (treated as still running). */
    @JsonEnumDefaultValue
    UNKNOWN;

    /**
     * Whether the task has finished.
     *
     * @return whether this is {@link #SUCCEEDED}, {@link #FAILED} or {@link #CANCELED}
     */
    public boolean isTerminal() {
      return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
  }

  /**
   * An entity a task affects.
   *
   * @param extId the entity's extId
   * @param rel its kind, e.g. {@code vmm:ahv:config:vm}
   * @param name its name
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record EntityReference(
      @Nullable String extId, @Nullable String rel, @Nullable String name) {}

  /**
   * A name/value result of a task.
   *
   * @param name e.g. {@code vmExtId}
   * @param value the value (usually a string)
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CompletionDetail(@Nullable String name, @Nullable Object value) {}

  /**
   * The extId of the first affected entity whose {@code rel} ends with {@code relSuffix}, else the
   * string value of the completion detail named {@code detailName}.
   *
   * @param relSuffix e.g. {@code :vm}
   * @param detailName e.g. {@code vmExtId}
   * @return the extId, if the task names one
   */
  public Optional<String> affectedEntity(String relSuffix, String detailName) {
    for (EntityReference e : entitiesAffected) {
      if (e.rel() != null && e.rel().endsWith(relSuffix) && e.extId() != null) {
        return Optional.of(e.extId());
      }
    }
    for (CompletionDetail d : completionDetails) {
      if (detailName.equals(d.name()) && d.value() != null) {
        return Optional.of(String.valueOf(d.value()));
      }
    }
    return Optional.empty();
  }

  /**
   * The VM a task created or worked on: the first affected entity whose {@code rel} ends with
   * {@code :vm}, else the completion detail {@code vmExtId}.
   *
   * @return the VM's extId
   */
  public Optional<String> vmExtId() {
    return affectedEntity(":vm", "vmExtId");
  }

  /**
   * The recovery point a task created: the first affected entity whose {@code rel} ends with {@code
   * :recovery-point}, else the completion detail {@code recoveryPointExtId}.
   *
   * @return the recovery point's extId
   */
  public Optional<String> recoveryPointExtId() {
    return affectedEntity(":recovery-point", "recoveryPointExtId");
  }
}
