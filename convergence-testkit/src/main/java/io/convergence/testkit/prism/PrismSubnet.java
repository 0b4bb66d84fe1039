package io.convergence.testkit.prism;

/**
 * A VLAN subnet of a {@link FakePrismCentral} ({@code networking.v4.config.Subnet}).
 *
 * @param extId the subnet's extId
 * @param name its name
 * @param clusterExtId the cluster it belongs to
 * @since 0.1.0
 */
public record PrismSubnet(String extId, String name, String clusterExtId) {}
