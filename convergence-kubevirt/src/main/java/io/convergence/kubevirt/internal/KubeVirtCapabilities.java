package io.convergence.kubevirt.internal;

import io.convergence.kubevirt.KubeVirtResources;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the cluster offers, read once per backend from discovery and the KubeVirt CR: whether
 * KubeVirt, CDI and the snapshot API are served, which feature gates are on, and the KubeVirt
 * version.
 */
public record KubeVirtCapabilities(
    boolean kubevirt,
    boolean cdi,
    boolean snapshots,
    boolean virtiofs,
    String version,
    List<String> notes) {

  /** The feature gate that lets KubeVirt share PVCs into guests with virtiofs. */
  public static final String VIRTIOFS_GATE = "EnableVirtioFsStorageVolumes";

  /** Reads the cluster's capabilities. */
  public static KubeVirtCapabilities probe(KubernetesClient client) {
    boolean kubevirt = served(client, KubeVirtResources.VIRTUAL_MACHINE);
    boolean cdi = served(client, KubeVirtResources.DATA_VOLUME);
    boolean snapshots = served(client, KubeVirtResources.SNAPSHOT);
    List<String> gates = new ArrayList<>();
    String version = "unknown";
    if (kubevirt) {
      try {
        for (GenericKubernetesResource kv :
            client
                .genericKubernetesResources(KubeVirtResources.KUBEVIRT)
                .inAnyNamespace()
                .list()
                .getItems()) {
          gates.addAll(featureGates(kv));
          Object observed = status(kv).get("observedKubeVirtVersion");
          if (observed != null) {
            version = observed.toString();
          }
        }
      } catch (KubernetesClientException e) {
        // Reading the KubeVirt CR needs cluster-wide read access; without it, assume no optional
        // gates.
      }
    }
    boolean virtiofs = gates.contains(VIRTIOFS_GATE);
    List<String> notes = new ArrayList<>();
    notes.add(
        "cluster: KubeVirt "
            + (kubevirt ? "served (" + version + ")" : "not served")
            + ", CDI "
            + (cdi ? "served" : "not served")
            + ", snapshots "
            + (snapshots ? "served" : "not served")
            + ", virtiofs for PVCs "
            + (virtiofs ? "enabled" : "not enabled (feature gate " + VIRTIOFS_GATE + ")"));
    return new KubeVirtCapabilities(kubevirt, cdi, snapshots, virtiofs, version, notes);
  }

  private static boolean served(
      KubernetesClient client,
      io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind) {
    try {
      APIResourceList list = client.getApiResources(KubeVirtResources.apiVersion(kind));
      return list != null
          && list.getResources() != null
          && list.getResources().stream().anyMatch(r -> kind.getPlural().equals(r.getName()));
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> featureGates(GenericKubernetesResource kv) {
    Object spec = kv.getAdditionalProperties().get("spec");
    if (spec instanceof Map<?, ?> s
        && s.get("configuration") instanceof Map<?, ?> c
        && c.get("developerConfiguration") instanceof Map<?, ?> d
        && d.get("featureGates") instanceof List<?> gates) {
      return (List<String>) gates;
    }
    return List.of();
  }

  private static Map<?, ?> status(GenericKubernetesResource kv) {
    return kv.getAdditionalProperties().get("status") instanceof Map<?, ?> s ? s : Map.of();
  }
}
