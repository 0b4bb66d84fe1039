package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import org.jspecify.annotations.Nullable;

/**
 * A subnet ({@code networking.v4.config.Subnet}), reduced to what a lab needs.
 *
 * @param extId the subnet's extId
 * @param name its name
 * @param subnetType e.g. {@code VLAN} or {@code OVERLAY}
 * @param clusterReference the extId of the cluster a VLAN subnet belongs to
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Subnet(
    String extId, String name, @Nullable String subnetType, @Nullable String clusterReference) {}
