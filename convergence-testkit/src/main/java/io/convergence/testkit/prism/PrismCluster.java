package io.convergence.testkit.prism;

import java.util.List;

/**
 * A cluster of a {@link FakePrismCentral} ({@code clustermgmt.v4.config.Cluster}).
 *
 * @param extId the cluster's extId
 * @param name its name
 * @param clusterFunction {@code [AOS]}, or {@code [PRISM_CENTRAL]} for the Prism Central
 *     pseudo-cluster that clients must skip
 * @since 0.1.0
 */
public record PrismCluster(String extId, String name, List<String> clusterFunction) {

  /**
   * Copies the list.
   *
   * @param extId the extId
   * @param name the name
   * @param clusterFunction the functions
   */
  public PrismCluster {
    clusterFunction = List.copyOf(clusterFunction);
  }

  /**
   * Whether this is the Prism Central pseudo-cluster.
   *
   * @return whether its functions include {@code PRISM_CENTRAL}
   */
  public boolean isPrismCentral() {
    return clusterFunction.contains("PRISM_CENTRAL");
  }
}
