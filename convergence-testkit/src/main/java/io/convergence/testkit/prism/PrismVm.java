package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a VM of a {@link FakePrismCentral}, for assertions in tests.
 *
 * @param extId the VM's extId
 * @param name its name
 * @param powerState {@code ON} or {@code OFF}
 * @param memorySizeBytes its memory
 * @param clusterExtId its cluster
 * @param categoryExtIds the extIds of its categories
 * @param learnedIpAddresses the IPv4 addresses its NICs learned (empty until the guest booted)
 * @param guestReachable whether the guest tools are reachable (the guest booted)
 * @param etag its current ETag
 * @param created false while its {@code CreateVm} task has not succeeded (the API answers 404)
 * @param deleting true while a {@code DeleteVm} task is pending (the API still shows it)
 * @param guestCustomization the {@code guestCustomization} of the create body (cloud-init or
 *     sysprep), which the API does not return; null when none was given
 * @param json the VM as {@code GET /vms/{extId}} renders it ({@code data})
 * @since 0.1.0
 */
public record PrismVm(
    String extId,
    String name,
    String powerState,
    long memorySizeBytes,
    String clusterExtId,
    List<String> categoryExtIds,
    List<String> learnedIpAddresses,
    boolean guestReachable,
    String etag,
    boolean created,
    boolean deleting,
    @Nullable JsonNode guestCustomization,
    JsonNode json) {

  /**
   * Copies the lists and JSON.
   *
   * @param extId the extId
   * @param name the name
   * @param powerState the power state
   * @param memorySizeBytes the memory
   * @param clusterExtId the cluster
   * @param categoryExtIds the categories
   * @param learnedIpAddresses the learned addresses
   * @param guestReachable whether the guest is reachable
   * @param etag the ETag
   * @param created whether created
   * @param deleting whether being deleted
   * @param guestCustomization the guest customization
   * @param json the rendered VM
   */
  public PrismVm {
    categoryExtIds = List.copyOf(categoryExtIds);
    learnedIpAddresses = List.copyOf(learnedIpAddresses);
    guestCustomization = guestCustomization == null ? null : guestCustomization.deepCopy();
    json = json.deepCopy();
  }
}
