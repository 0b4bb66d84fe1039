package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.convergence.spec.DurationText;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
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
   * Deletes and waits: starts watching the lab's objects of every kind, deletes them, and waits
   * until every watch has seen its objects go. Every few seconds a kind that still looks present is
   * listed again, in case a watch missed an event (a server may drop a watch; fabric8's CRUD mock
   * replays none between list and watch).
   *
   * @param namespace the namespace
   * @param deleteNamespace whether the namespace itself goes too
   * @param selector the lab's label selector
   * @param timeout how long to wait for everything to disappear
   */
  public void delete(
      String namespace, boolean deleteNamespace, Map<String, String> selector, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object changed = new Object();
    List<Watched> watched = new ArrayList<>();
    try {
      for (ResourceDefinitionContext kind : kinds) {
        var resources =
            client.genericKubernetesResources(kind).inNamespace(namespace).withLabels(selector);
        Optional<Watched> w =
            watch(kind.getKind(), () -> resources.runnableInformer(0), resources::list, changed);
        if (w.isEmpty()) {
          continue;
        }
        watched.add(w.get());
        try {
          resources.delete();
        } catch (KubernetesClientException e) {
          throw KubernetesConnection.error(
              backendId, "delete " + kind.getKind() + " of " + selector, e);
        }
      }
      if (deleteNamespace) {
        var ns = client.namespaces().withField("metadata.name", namespace);
        watch("Namespace", () -> ns.runnableInformer(0), ns::list, changed).ifPresent(watched::add);
        try {
          client.namespaces().withName(namespace).delete();
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw KubernetesConnection.error(backendId, "delete namespace " + namespace, e);
          }
        }
      }
      long lastList = System.nanoTime();
      synchronized (changed) {
        while (true) {
          watched.removeIf(Watched::gone);
          if (watched.isEmpty()) {
            return;
          }
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          if (System.nanoTime() - lastList >= RELIST.toNanos()) {
            watched.removeIf(Watched::goneOnList);
            lastList = System.nanoTime();
            continue;
          }
          changed.wait(
              Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), RELIST.toMillis())));
        }
      }
      throw new BackendException(
          backendId,
          "delete lab objects " + selector + " in " + namespace,
          -1,
          "Timeout",
          "still present after "
              + DurationText.format(timeout)
              + ": "
              + remaining(namespace, selector),
          "look for finalizers that nothing removes (kubectl get -n "
              + namespace
              + " all -o yaml), or raise"
              + " convergence.teardown.timeout",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          backendId,
          "delete lab objects in " + namespace,
          -1,
          "Interrupted",
          "interrupted while waiting for the lab's objects to disappear",
          "",
          e);
    } finally {
      watched.forEach(Watched::stop);
    }
  }

  /** How often a kind that still looks present is listed again. */
  static final Duration RELIST = Duration.ofSeconds(5);

  private Optional<Watched> watch(
      String kind,
      Supplier<SharedIndexInformer<? extends HasMetadata>> informer,
      Supplier<? extends KubernetesResourceList<? extends HasMetadata>> list,
      Object changed) {
    SharedIndexInformer<? extends HasMetadata> i = informer.get();
    i.addEventHandler(
        new ResourceEventHandler<HasMetadata>() {
          @Override
          public void onAdd(HasMetadata obj) {}

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {}

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            synchronized (changed) {
              changed.notifyAll();
            }
          }
        });
    try {
      i.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      i.stop();
      if (e.getCause() instanceof KubernetesClientException k && k.getCode() == 404) {
        log.debug("{} not served; nothing to delete", kind);
        return Optional.empty();
      }
      throw new BackendException(
          backendId,
          "watch " + kind + " for deletion",
          -1,
          null,
          String.valueOf(e.getCause()),
          "",
          e.getCause());
    } catch (TimeoutException e) {
      i.stop();
      throw new BackendException(
          backendId,
          "watch " + kind + " for deletion",
          -1,
          "Timeout",
          "the watch did not start within 30s",
          "check the API server's health",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      i.stop();
      throw new BackendException(
          backendId, "watch " + kind, -1, "Interrupted", "interrupted", "", e);
    }
    return Optional.of(new Watched(kind, i, list));
  }

  /** A kind being deleted: gone once its informer's store is empty, or a fresh list is. */
  private record Watched(
      String kind,
      SharedIndexInformer<? extends HasMetadata> informer,
      Supplier<? extends KubernetesResourceList<? extends HasMetadata>> list) {
    boolean gone() {
      return informer.getStore().list().isEmpty();
    }

    boolean goneOnList() {
      try {
        return list.get().getItems().isEmpty();
      } catch (KubernetesClientException e) {
        return false;
      }
    }

    void stop() {
      informer.stop();
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
