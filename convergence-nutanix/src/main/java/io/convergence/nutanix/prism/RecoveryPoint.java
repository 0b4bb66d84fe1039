package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A recovery point, i.e. a VM snapshot ({@code dataprotection.v4.config.RecoveryPoint}).
 *
 * @param extId the recovery point's extId
 * @param name its name
 * @param status e.g. {@code COMPLETE}
 * @param vmRecoveryPoints one per VM; revert a VM to its {@link VmRecoveryPoint#extId()}
 * @param reserved holds the ETag read with it
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecoveryPoint(
    String extId,
    @Nullable String name,
    @Nullable String status,
    List<VmRecoveryPoint> vmRecoveryPoints,
    @JsonProperty("$reserved") @Nullable Reserved reserved) {

  /**
   * Normalises a missing list to an empty one.
   *
   * @param extId the extId
   * @param name the name
   * @param status the status
   * @param vmRecoveryPoints the VM recovery points, or {@code null}
   * @param reserved the reserved fields
   */
  public RecoveryPoint {
    vmRecoveryPoints = vmRecoveryPoints == null ? List.of() : List.copyOf(vmRecoveryPoints);
  }

  /**
   * One VM's part of a recovery point.
   *
   * @param extId the VM recovery point's extId (what {@link PrismClient#revertVm} takes)
   * @param vmExtId the VM's extId
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record VmRecoveryPoint(String extId, @Nullable String vmExtId) {}

  /**
   * The VM recovery point of a VM.
   *
   * @param vmExtId the VM's extId
   * @return its VM recovery point, if the recovery point holds the VM
   */
  public Optional<VmRecoveryPoint> forVm(String vmExtId) {
    return vmRecoveryPoints.stream().filter(v -> vmExtId.equals(v.vmExtId())).findFirst();
  }

  /**
   * The ETag read with this recovery point.
   *
   * @return the ETag, if Prism Central sent one
   */
  public Optional<String> etag() {
    return reserved == null ? Optional.empty() : Optional.ofNullable(reserved.etag());
  }
}
