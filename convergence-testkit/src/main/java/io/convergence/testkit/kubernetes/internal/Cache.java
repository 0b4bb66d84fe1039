package io.convergence.testkit.kubernetes.internal;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The informer caches of one kind, across the namespaces a controller watches (one informer for all
 * namespaces, or one per namespace). Objects read from it are shared: copy before changing.
 */
public final class Cache<T extends HasMetadata> {

  private final List<SharedIndexInformer<T>> informers = new CopyOnWriteArrayList<>();

  void add(SharedIndexInformer<T> informer) {
    informers.add(informer);
  }

  /** The cached object, or null. */
  public @Nullable T get(String namespace, String name) {
    String key = namespace.isEmpty() ? name : namespace + "/" + name;
    for (SharedIndexInformer<T> i : informers) {
      T t = i.getStore().getByKey(key);
      if (t != null) {
        return t;
      }
    }
    return null;
  }

  /** Every cached object of a namespace. */
  public List<T> list(String namespace) {
    List<T> out = new ArrayList<>();
    for (SharedIndexInformer<T> i : informers) {
      for (T t : i.getStore().list()) {
        if (namespace.equals(t.getMetadata().getNamespace())) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** Every cached object. */
  public List<T> list() {
    List<T> out = new ArrayList<>();
    for (SharedIndexInformer<T> i : informers) {
      out.addAll(i.getStore().list());
    }
    return out;
  }
}
