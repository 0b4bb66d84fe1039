package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.convergence.spec.SharedVolume;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab's objects on a cluster: creates the lab-wide objects (namespace, its default service
 * account, the shared volumes' claims), creates workload objects idempotently, runs one informer
 * per kind for the lab and hands each change to the workload it belongs to, and deletes everything
 * by ownership labels.
 *
 * @since 0.1.0
 */
public final class KubernetesLab {
  private static final Logger log = LoggerFactory.getLogger(KubernetesLab.class);

  private final KubernetesClient client;
  private final String backendId;
  private final LabNames names;
  private final List<ResourceDefinitionContext> customKinds;
  private final Map<String, List<Consumer<Pod>>> podListeners = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private volatile @Nullable SharedIndexInformer<Pod> pods;

  /**
   * Creates the lab's view of the cluster; nothing is sent until {@link #prepare(List, Optional)}.
   *
   * @param client the backend's client
   * @param backendId the backend, for messages
   * @param names the lab's names
   * @param customKinds namespaced custom kinds the lab creates (deleted first on teardown, in this
   *     order)
   */
  public KubernetesLab(
      KubernetesClient client,
      String backendId,
      LabNames names,
      List<ResourceDefinitionContext> customKinds) {
    this.client = client;
    this.backendId = backendId;
    this.names = names;
    this.customKinds = List.copyOf(customKinds);
  }

  /**
   * The client.
   *
   * @return the client
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * The lab's names.
   *
   * @return the names
   */
  public LabNames names() {
    return names;
  }

  /**
   * The backend's id.
   *
   * @return the id
   */
  public String backendId() {
    return backendId;
  }

  /**
   * Creates the namespace (when the lab has its own), its {@code default} service account (so that
   * pods are not refused while the cluster's controller has not made it yet), the shared volumes'
   * claims, and starts the pod informer. Idempotent.
   *
   * @param volumes the shared volumes that need a claim
   * @param storageClass their storage class, or empty for the cluster's default
   */
  public void prepare(List<SharedVolume> volumes, Optional<String> storageClass) {
    if (names.dedicated()) {
      createIfAbsent(
          new NamespaceBuilder()
              .withNewMetadata()
              .withName(names.namespace())
              .withLabels(names.labels())
              .endMetadata()
              .build());
      createIfAbsent(
          new ServiceAccountBuilder()
              .withNewMetadata()
              .withName("default")
              .withNamespace(names.namespace())
              .endMetadata()
              .build());
    }
    for (SharedVolume v : volumes) {
      createIfAbsent(SharedVolumeToClaim.claim(v, names, storageClass));
    }
    startPodInformer();
  }

  private synchronized void startPodInformer() {
    if (pods != null) {
      return;
    }
    pods =
        call(
            "watch pods of lab " + names.ownership().labId(),
            () ->
                client
                    .pods()
                    .inNamespace(names.namespace())
                    .withLabels(names.labSelector())
                    .inform(handler(this::dispatchPod), 0));
    informers.add(pods);
  }

  private void dispatchPod(Pod pod) {
    String workload =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get(LabNames.WORKLOAD_KEY);
    if (workload == null) {
      return;
    }
    for (Consumer<Pod> l : podListeners.getOrDefault(workload, List.of())) {
      l.accept(pod);
    }
  }

  /**
   * Hands every change of a workload's pods (container pods, or a VM's launcher pod) to {@code
   * listener}, starting with the pods already known.
   *
   * @param workload the workload
   * @param listener called on the informer's thread
   */
  public void onPods(String workload, Consumer<Pod> listener) {
    podListeners.computeIfAbsent(workload, k -> new CopyOnWriteArrayList<>()).add(listener);
    SharedIndexInformer<Pod> informer = pods;
    if (informer != null) {
      informer.getStore().list().stream()
          .filter(p -> workload.equals(p.getMetadata().getLabels().get(LabNames.WORKLOAD_KEY)))
          .forEach(listener);
    }
  }

  /**
   * The pods of a workload known to the informer (no request).
   *
   * @param workload the workload
   * @return the pods
   */
  public List<Pod> cachedPods(String workload) {
    SharedIndexInformer<Pod> informer = pods;
    if (informer == null) {
      return List.of();
    }
    return informer.getStore().list().stream()
        .filter(p -> workload.equals(p.getMetadata().getLabels().get(LabNames.WORKLOAD_KEY)))
        .toList();
  }

  /**
   * Starts an informer for the lab's objects of a custom kind.
   *
   * @param kind the kind
   * @param listener called with every added or changed object, on the informer's thread
   * @return the informer, stopped with the lab
   */
  public SharedIndexInformer<GenericKubernetesResource> inform(
      ResourceDefinitionContext kind, Consumer<GenericKubernetesResource> listener) {
    SharedIndexInformer<GenericKubernetesResource> informer =
        call(
            "watch " + kind.getKind() + " of lab " + names.ownership().labId(),
            () ->
                client
                    .genericKubernetesResources(kind)
                    .inNamespace(names.namespace())
                    .withLabels(names.labSelector())
                    .inform(handler(listener), 0));
    informers.add(informer);
    return informer;
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> listener) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        listener.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        listener.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {}
    };
  }

  /**
   * Creates an object unless one of its name exists (a retried create finds what an earlier attempt
   * made).
   *
   * @param object the object, namespaced or not
   */
  public void createIfAbsent(HasMetadata object) {
    String what = "create " + object.getKind() + " " + object.getMetadata().getName();
    try {
      log.debug("{} {} in {}", backendId, what, names.namespace());
      client.resource(object).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw KubernetesConnection.error(backendId, what + " in " + names.namespace(), e);
      }
    }
  }

  /**
   * Creates a custom object unless one of its name exists.
   *
   * @param kind its kind
   * @param object the object
   */
  public void createIfAbsent(ResourceDefinitionContext kind, GenericKubernetesResource object) {
    String what = "create " + kind.getKind() + " " + object.getMetadata().getName();
    try {
      log.debug("{} {} in {}", backendId, what, names.namespace());
      client
          .genericKubernetesResources(kind)
          .inNamespace(names.namespace())
          .resource(object)
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw KubernetesConnection.error(backendId, what + " in " + names.namespace(), e);
      }
    }
  }

  /**
   * Runs a call, turning a fabric8 failure into a {@link BackendException}.
   *
   * @param operation what is being done
   * @param call the call
   * @param <T> the result type
   * @return the result
   */
  public <T> T call(String operation, java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (KubernetesClientException e) {
      throw KubernetesConnection.error(backendId, operation, e);
    }
  }

  /**
   * Stops the lab's informers and leaves its objects in place, for a reusable lab that a later run
   * adopts.
   */
  public void release() {
    for (SharedIndexInformer<?> i : informers) {
      i.stop();
    }
    informers.clear();
    pods = null;
  }

  /**
   * Deletes every object of the lab by its labels (custom kinds first), then the lab's namespace,
   * and waits, watching, until they are gone. Stops the lab's informers.
   *
   * @param timeout how long to wait
   * @throws BackendException when the cluster refuses or objects remain after {@code timeout}
   */
  public void destroy(Duration timeout) {
    release();
    new KubernetesTeardown(client, backendId, customKinds)
        .delete(names.namespace(), names.dedicated(), names.labSelector(), timeout);
  }

  /**
   * The lab's objects that still exist, as {@code Kind/name}.
   *
   * @return the objects
   */
  public List<String> remaining() {
    List<String> left = new ArrayList<>();
    try {
      left.addAll(
          new KubernetesTeardown(client, backendId, customKinds)
              .remaining(names.namespace(), names.labSelector()));
    } catch (KubernetesClientException e) {
      left.add("(cannot list: " + e.getMessage() + ")");
    }
    return left;
  }
}
