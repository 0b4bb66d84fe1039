package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a lab's objects by label, kind by kind, then its namespace, and waits with watches (not
 * polling) until every one is gone. Used by teardown, rollback and sweep.
 *
 * @since 0.1.0
 */
public final class KubernetesTeardown {
  private static final Logger log = LoggerFactory.getLogger(KubernetesTeardown.class);

  /** The built-in namespaced kinds a lab creates, in deletion order. */
  public static final List<ResourceDefinitionContext> BUILT_IN =
      List.of(
          context("", "v1", "Pod", "pods"),
          context("", "v1", "Service", "services"),
          context("", "v1", "Secret", "secrets"),
          context("", "v1", "ConfigMap", "configmaps"),
          context("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"));

  private final KubernetesClient client;
  private final String backendId;
  private final List<ResourceDefinitionContext> kinds;

  /**
   * A teardown of the built-in kinds and {@code customKinds}.
   *
   * @param client the client
   * @param backendId the backend, for messages
   * @param customKinds custom kinds to delete first, in order
   */
  public KubernetesTeardown(
      KubernetesClient client, String backendId, List<ResourceDefinitionContext> customKinds) {
    this.client = client;
    this.backendId = backendId;
    List<ResourceDefinitionContext> all = new ArrayList<>(customKinds);
    all.addAll(BUILT_IN);
    this.kinds = List.copyOf(all);
  }

  /**
   * A namespaced kind.
   *
   * @param group the API group, empty for the core group
   * @param version the version
   * @param kind the kind
   * @param plural the plural resource name
   * @return the context
   */
  public static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /**
   * Deletes and waits.
   *
   * @param namespace the namespace
   * @param deleteNamespace whether the namespace itself goes too
   * @param selector the lab's label selector
   * @param timeout how long to wait for everything to disappear
   */
  public void delete(
      String namespace, boolean deleteNamespace, Map<String, String> selector, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<CompletableFuture<?>> gone = new ArrayList<>();
    for (ResourceDefinitionContext kind : kinds) {
      try {
        client
            .genericKubernetesResources(kind)
            .inNamespace(namespace)
            .withLabels(selector)
            .delete();
        gone.add(
            client
                .genericKubernetesResources(kind)
                .inNamespace(namespace)
                .withLabels(selector)
                .informOnCondition(List::isEmpty));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          log.debug("{} not served; nothing to delete", kind.getKind());
          continue;
        }
        throw KubernetesConnection.error(
            backendId, "delete " + kind.getKind() + " of " + selector, e);
      }
    }
    if (deleteNamespace) {
      try {
        client.namespaces().withName(namespace).delete();
        gone.add(client.namespaces().withName(namespace).informOnCondition(List::isEmpty));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw KubernetesConnection.error(backendId, "delete namespace " + namespace, e);
        }
      }
    }
    for (CompletableFuture<?> f : gone) {
      long left = deadline - System.nanoTime();
      try {
        f.get(Math.max(1, left), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        gone.forEach(x -> x.cancel(true));
        throw new BackendException(
            backendId,
            "delete lab objects " + selector + " in " + namespace,
            -1,
            "Timeout",
            "still present after " + timeout + ": " + remaining(namespace, selector),
            "look for finalizers that nothing removes (kubectl get -n "
                + namespace
                + " all -o yaml), or raise"
                + " convergence.teardown.timeout",
            null);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        gone.forEach(x -> x.cancel(true));
        throw new BackendException(
            backendId,
            "delete lab objects in " + namespace,
            -1,
            "Interrupted",
            "interrupted while waiting for the lab's objects to disappear",
            "",
            e);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof KubernetesClientException k) {
          throw KubernetesConnection.error(
              backendId, "watch the deletion of lab objects in " + namespace, k);
        }
        throw new BackendException(
            backendId,
            "watch the deletion of lab objects in " + namespace,
            -1,
            null,
            String.valueOf(cause),
            "",
            cause);
      }
    }
  }

  /**
   * The objects still present, as {@code Kind/name}.
   *
   * @param namespace the namespace
   * @param selector the lab's label selector
   * @return the objects
   */
  public List<String> remaining(String namespace, Map<String, String> selector) {
    List<String> left = new ArrayList<>();
    for (ResourceDefinitionContext kind : kinds) {
      try {
        for (HasMetadata o :
            client
                .genericKubernetesResources(kind)
                .inNamespace(namespace)
                .withLabels(selector)
                .list()
                .getItems()) {
          left.add(kind.getKind() + "/" + o.getMetadata().getName());
        }
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
    return left;
  }
}
