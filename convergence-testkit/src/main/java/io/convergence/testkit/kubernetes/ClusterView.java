package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.Ownership;
import io.convergence.testkit.PlatformObject;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A contract target's view of a Kubernetes cluster, shared by the backends whose containers run
 * there: every labelled object of some kinds, a container's stored environment, a foreign object.
 * Works on the embedded API server and on a real one alike.
 *
 * @since 0.1.0
 */
public final class ClusterView {

  private final KubernetesClient client;
  private final List<ResourceDefinitionContext> kinds;

  /**
   * A view through this client of these kinds (besides namespaces).
   *
   * @param client an admin client of the cluster
   * @param kinds the kinds whose objects {@link #objects()} lists, in any namespace; a kind the
   *     server does not serve (404) is skipped
   */
  public ClusterView(KubernetesClient client, Collection<ResourceDefinitionContext> kinds) {
    this.client = requireNonNull(client, "client");
    this.kinds = List.copyOf(kinds);
  }

  /**
   * Every namespace and every object of the kinds, with its labels.
   *
   * @return the objects
   */
  public List<PlatformObject> objects() {
    List<PlatformObject> out = new ArrayList<>();
    for (Namespace ns : client.namespaces().list().getItems()) {
      out.add(
          new PlatformObject(
              "Namespace", ns.getMetadata().getName(), labels(ns.getMetadata().getLabels())));
    }
    for (ResourceDefinitionContext kind : kinds) {
      try {
        for (GenericKubernetesResource o :
            client.genericKubernetesResources(kind).inAnyNamespace().list().getItems()) {
          out.add(
              new PlatformObject(
                  kind.getKind(), o.getMetadata().getName(), labels(o.getMetadata().getLabels())));
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    return out;
  }

  /**
   * The environment of a lab's container as the cluster stores it: plain values as they are, values
   * from Secrets as {@code secret:<secret>/<key>}.
   *
   * @param labId the lab's id
   * @param workload the container's name
   * @return name to value
   * @throws AssertionError when the lab has no pod of that name
   */
  public Map<String, String> containerEnv(String labId, String workload) {
    List<Pod> pods =
        client
            .pods()
            .inAnyNamespace()
            .withLabels(Map.of(Ownership.LAB_ID_KEY, labId, Ownership.WORKLOAD_KEY, workload))
            .list()
            .getItems();
    if (pods.isEmpty()) {
      throw new AssertionError("no pod of " + workload + " in lab " + labId);
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : pods.get(0).getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        env.put(
            e.getName(),
            "secret:"
                + e.getValueFrom().getSecretKeyRef().getName()
                + "/"
                + e.getValueFrom().getSecretKeyRef().getKey());
      } else {
        env.put(e.getName(), e.getValue());
      }
    }
    return env;
  }

  /**
   * Creates a labelled ConfigMap in {@code default} that Convergence did not make.
   *
   * @param name its name
   */
  public void createForeignObject(String name) {
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("app", "not-convergence")
                .endMetadata()
                .build())
        .create();
  }

  private static Map<String, String> labels(@Nullable Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }
}
