package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A cluster ({@code clustermgmt.v4.config.Cluster}), reduced to what a lab needs.
 *
 * @param extId the cluster's extId
 * @param name its name
 * @param config its configuration ({@code clusterFunction})
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cluster(String extId, String name, @Nullable Config config) {

  /** The cluster function marking Prism Central's own pseudo-cluster: {@value}. */
  public static final String PRISM_CENTRAL = "PRISM_CENTRAL";

  /**
   * The part of the cluster configuration read.
   *
   * @param clusterFunction e.g. {@code [AOS]} or {@code [PRISM_CENTRAL]}
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Config(List<String> clusterFunction) {
    /**
     * Normalises a missing list to an empty one.
     *
     * @param clusterFunction the functions, or {@code null}
     */
    public Config {
      clusterFunction = clusterFunction == null ? List.of() : List.copyOf(clusterFunction);
    }
  }

  /**
   * Whether this is Prism Central itself (listed among clusters, but no place for VMs).
   *
   * @return whether its functions include {@value #PRISM_CENTRAL}
   */
  public boolean isPrismCentral() {
    return config != null && config.clusterFunction().contains(PRISM_CENTRAL);
  }
}
