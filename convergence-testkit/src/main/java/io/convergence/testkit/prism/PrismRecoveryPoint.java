package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A snapshot of a recovery point of a {@link FakePrismCentral}, for assertions in tests.
 *
 * @param extId the recovery point's extId
 * @param name its name
 * @param vmExtIds the VMs it holds a VM recovery point of
 * @param created false while its {@code CreateRecoveryPoint} task has not succeeded
 * @param deleting true while a {@code DeleteRecoveryPoint} task is pending
 * @param json the recovery point as {@code GET /recovery-points/{extId}} renders it ({@code data})
 * @since 0.1.0
 */
public record PrismRecoveryPoint(
    String extId,
    String name,
    List<String> vmExtIds,
    boolean created,
    boolean deleting,
    JsonNode json) {

  /**
   * Copies the list and JSON.
   *
   * @param extId the extId
   * @param name the name
   * @param vmExtIds the VMs
   * @param created whether created
   * @param deleting whether being deleted
   * @param json the rendered recovery point
   */
  public PrismRecoveryPoint {
    vmExtIds = List.copyOf(vmExtIds);
    json = json.deepCopy();
  }
}
