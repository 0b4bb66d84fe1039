package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A snapshot of a task of a {@link FakePrismCentral}, for assertions in tests.
 *
 * @param extId the task's extId ({@code <base64>:<uuid>})
 * @param operation e.g. {@code CreateVm}, {@code PowerOnVm}, {@code DeleteVm}
 * @param status {@code QUEUED}, {@code RUNNING}, {@code SUCCEEDED} or {@code FAILED}
 * @param progressPercentage 0 to 100
 * @param entityExtIds the extIds of its {@code entitiesAffected}
 * @param errorCodes the codes of its {@code errorMessages}
 * @param json the task as {@code GET /tasks/{extId}} renders it ({@code data})
 * @since 0.1.0
 */
public record PrismTask(
    String extId,
    String operation,
    String status,
    int progressPercentage,
    List<String> entityExtIds,
    List<String> errorCodes,
    JsonNode json) {

  /**
   * Copies the lists and JSON.
   *
   * @param extId the extId
   * @param operation the operation
   * @param status the status
   * @param progressPercentage the progress
   * @param entityExtIds the affected entities
   * @param errorCodes the error codes
   * @param json the rendered task
   */
  public PrismTask {
    entityExtIds = List.copyOf(entityExtIds);
    errorCodes = List.copyOf(errorCodes);
    json = json.deepCopy();
  }

  /**
   * Whether the task has ended ({@code SUCCEEDED}, {@code FAILED} or {@code CANCELED}).
   *
   * @return whether it is terminal
   */
  public boolean isTerminal() {
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELED");
  }
}
