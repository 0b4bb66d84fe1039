package io.convergence.kubernetes;

import io.convergence.Ownership;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds labs by their ownership labels across every namespace the client can see (lab namespaces
 * and labelled objects in shared namespaces) and removes those a {@link SweepRequest} matches.
 *
 * @since 0.1.0
 */
public final class KubernetesSweeper {
  private static final Logger log = LoggerFactory.getLogger(KubernetesSweeper.class);

  private final KubernetesClient client;
  private final String backendId;
  private final List<ResourceDefinitionContext> customKinds;
  private final Optional<String> namespace;

  /**
   * A sweeper of the built-in kinds and {@code customKinds} in every namespace.
   *
   * @param client the client
   * @param backendId the backend
   * @param customKinds custom kinds labs create
   */
  public KubernetesSweeper(
      KubernetesClient client, String backendId, List<ResourceDefinitionContext> customKinds) {
    this(client, backendId, customKinds, Optional.empty());
  }

  /**
   * A sweeper of the built-in kinds and {@code customKinds}, in one namespace when given: for users
   * who may not list namespaces or objects across them (a vSphere Namespace user on a Supervisor),
   * labs then live in that namespace only.
   *
   * @param client the client
   * @param backendId the backend
   * @param customKinds custom kinds labs create
   * @param namespace the only namespace to sweep, or empty for every namespace
   */
  public KubernetesSweeper(
      KubernetesClient client,
      String backendId,
      List<ResourceDefinitionContext> customKinds,
      Optional<String> namespace) {
    this.client = client;
    this.backendId = backendId;
    this.customKinds = List.copyOf(customKinds);
    this.namespace = namespace;
  }

  private record Found(
      Ownership ownership, Set<String> namespaces, Set<String> dedicated, List<String> objects) {}

  /**
   * Sweeps.
   *
   * @param request which labs
   * @param now the current time
   * @param timeout how long to wait for each lab's objects to disappear
   * @return what was found and removed
   */
  public SweepReport sweep(SweepRequest request, Instant now, Duration timeout) {
    Map<String, String> managed = Map.of(Ownership.MANAGED_BY_KEY, Ownership.MANAGED_BY);
    Map<String, Found> labs = new LinkedHashMap<>();
    List<Namespace> namespaces =
        namespace.isPresent()
            ? List.of()
            : client.namespaces().withLabels(managed).list().getItems();
    for (Namespace ns : namespaces) {
      found(labs, ns.getMetadata().getLabels(), "Namespace/" + ns.getMetadata().getName())
          .ifPresent(
              f -> {
                f.namespaces().add(ns.getMetadata().getName());
                f.dedicated().add(ns.getMetadata().getName());
              });
    }
    List<ResourceDefinitionContext> kinds = new ArrayList<>(customKinds);
    kinds.addAll(KubernetesTeardown.BUILT_IN);
    for (ResourceDefinitionContext kind : kinds) {
      List<GenericKubernetesResource> items;
      try {
        var resources = client.genericKubernetesResources(kind);
        items =
            (namespace.isPresent()
                    ? resources.inNamespace(namespace.get()).withLabels(managed)
                    : resources.inAnyNamespace().withLabels(managed))
                .list()
                .getItems();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          continue;
        }
        throw KubernetesConnection.error(backendId, "list " + kind.getKind() + " for sweep", e);
      }
      for (GenericKubernetesResource o : items) {
        found(labs, o.getMetadata().getLabels(), kind.getKind() + "/" + o.getMetadata().getName())
            .ifPresent(f -> f.namespaces().add(o.getMetadata().getNamespace()));
      }
    }
    KubernetesTeardown teardown = new KubernetesTeardown(client, backendId, customKinds);
    List<SweepReport.SweptLab> swept = new ArrayList<>();
    for (Found f : labs.values()) {
      if (!request.matches(f.ownership(), now)) {
        continue;
      }
      boolean removed = false;
      if (!request.isDryRun()) {
        log.info(
            "Sweeping lab {} of {} ({} objects, expires {})",
            f.ownership().labId(),
            f.ownership().owner(),
            f.objects().size(),
            f.ownership().expiresAt());
        Map<String, String> selector = Map.of(Ownership.LAB_ID_KEY, f.ownership().labId());
        for (String ns : f.namespaces()) {
          teardown.delete(ns, f.dedicated().contains(ns), selector, timeout);
        }
        removed = true;
      }
      swept.add(new SweepReport.SweptLab(f.ownership(), f.objects(), removed));
    }
    return new SweepReport(backendId, swept);
  }

  private static Optional<Found> found(
      Map<String, Found> labs, Map<String, String> labels, String ref) {
    if (labels == null) {
      return Optional.empty();
    }
    Optional<Ownership> ownership = Ownership.fromLabels(labels);
    if (ownership.isEmpty()) {
      return Optional.empty();
    }
    Found f =
        labs.computeIfAbsent(
            ownership.get().labId(),
            id ->
                new Found(
                    ownership.get(),
                    new LinkedHashSet<>(),
                    new LinkedHashSet<>(),
                    new ArrayList<>()));
    f.objects().add(ref);
    return Optional.of(f);
  }
}
