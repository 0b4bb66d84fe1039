package io.convergence.testkit.kubernetes.internal;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every fake controller: informers that only enqueue keys, a work queue, named worker
 * threads that reconcile one key at a time, and per-step latencies. Reconciling is level-driven:
 * each pass reads the current state from the informer caches and takes the next step, so a lost
 * write (409 conflict, stale cache) is simply retried.
 */
public abstract class Controller implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  /** The client the controller reads and writes with. */
  protected final KubernetesClient client;

  private final String name;
  private final int workerCount;
  private final ScheduledExecutorService timer;
  private final WorkQueue queue;
  private final List<Thread> workers = new ArrayList<>();
  private final List<SharedIndexInformer<?>> informers = new CopyOnWriteArrayList<>();
  private final Map<String, Step> steps = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private record Step(String uid, String step, long dueNanos, boolean done) {}

  /**
   * How often every cached object is reconciled again even without a change, as client-go
   * controllers resync their informers: a pass that was lost (a timer or an event that never came)
   * is taken at the next resync instead of never. Reconciling is level-driven, so a resync of an
   * object with nothing due writes nothing.
   */
  static final Duration RESYNC = Duration.ofSeconds(5);

  /**
   * A controller.
   *
   * @param name the controller's name, used in thread names, e.g. {@code kubelet}
   * @param client the client
   * @param workers how many keys are reconciled at once
   */
  protected Controller(String name, KubernetesClient client, int workers) {
    this.name = requireNonNull(name, "name");
    this.client = requireNonNull(client, "client");
    this.workerCount = workers;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "convergence-sim-" + name + "-timer");
              t.setDaemon(true);
              return t;
            });
    this.queue = new WorkQueue(timer);
  }

  /** Starts the informers (blocking until their caches are filled), then the workers. */
  public final synchronized void start() {
    startInformers();
    for (int i = 1; i <= workerCount; i++) {
      Thread t = new Thread(this::work, "convergence-sim-" + name + "-worker-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    log.debug("{} started with {} workers", name, workerCount);
  }

  /** Registers the informers, through {@link #inform}. */
  protected abstract void startInformers();

  /**
   * Takes the next step for one key.
   *
   * @param key the key, as enqueued
   * @throws Exception any failure; the key is retried with a backoff
   */
  protected abstract void reconcile(String key) throws Exception;

  /**
   * Starts an informer whose events enqueue the keys {@code keys} computes from the object.
   *
   * @param <T> the kind
   * @param source what to inform on
   * @param cache the cache to add the informer to
   * @param keys the keys to enqueue for an added, changed or deleted object
   */
  protected final <T extends HasMetadata> void inform(
      Informable<T> source, Cache<T> cache, Function<T, Collection<String>> keys) {
    SharedIndexInformer<T> informer =
        source.inform(
            new ResourceEventHandler<T>() {
              @Override
              public void onAdd(T obj) {
                keys.apply(obj).forEach(Controller.this::enqueue);
              }

              @Override
              public void onUpdate(T oldObj, T newObj) {
                keys.apply(newObj).forEach(Controller.this::enqueue);
              }

              @Override
              public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                onDeleted(obj);
                keys.apply(obj).forEach(Controller.this::enqueue);
              }
            },
            RESYNC.toMillis());
    cache.add(informer);
    informers.add(informer);
  }

  /**
   * Called on the informer's thread when an object was deleted, before its keys are enqueued.
   *
   * @param obj the last known state of the object
   */
  protected void onDeleted(HasMetadata obj) {}

  /**
   * Queues a key for reconciling.
   *
   * @param key the key
   */
  public final void enqueue(String key) {
    if (!closed) {
      queue.add(key);
    }
  }

  /**
   * Queues a key for reconciling after a delay.
   *
   * @param key the key
   * @param delay the delay
   */
  protected final void enqueueAfter(String key, Duration delay) {
    if (!closed) {
      queue.addAfter(key, delay);
    }
  }

  /**
   * Whether the object may take {@code step} now. The first call for a step starts its latency and
   * requeues the key for when it has passed; later calls answer true once it has, until the step is
   * {@linkplain #done done}. A new object under the same key (another uid) starts over.
   *
   * @param key the key being reconciled
   * @param uid the object's uid
   * @param step the step's name
   * @param latency how long the step takes
   * @return whether to take the step now
   */
  protected final boolean due(String key, String uid, String step, Duration latency) {
    long now = System.nanoTime();
    Step s = steps.get(key);
    if (s != null && s.uid().equals(uid) && s.step().equals(step)) {
      if (s.done()) {
        // Taken already; the cache has not caught up yet. The write's event requeues the key.
        return false;
      }
      if (now - s.dueNanos() >= 0) {
        return true;
      }
      queue.addAfter(key, Duration.ofNanos(s.dueNanos() - now));
      return false;
    }
    steps.put(key, new Step(uid, step, now + latency.toNanos(), false));
    if (latency.isZero() || latency.isNegative()) {
      return true;
    }
    queue.addAfter(key, latency);
    return false;
  }

  /**
   * Records that a step was taken, so a stale cache does not make it run twice.
   *
   * @param key the key
   * @param uid the object's uid
   * @param step the step's name
   */
  protected final void done(String key, String uid, String step) {
    steps.put(key, new Step(uid, step, System.nanoTime(), true));
  }

  /**
   * Forgets the step state of a key (the object is gone).
   *
   * @param key the key
   */
  protected final void forget(String key) {
    steps.remove(key);
    failures.remove(key);
  }

  /** Whether the controller is closed or closing. */
  protected final boolean closed() {
    return closed;
  }

  /** The current time as Kubernetes writes it (RFC 3339, seconds). */
  public static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * Whether an exception is an HTTP error of one of the codes.
   *
   * @param e the exception
   * @param codes the codes
   * @return whether it is
   */
  public static boolean isStatus(Throwable e, Integer... codes) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && Set.of(codes).contains(k.getCode())) {
        return true;
      }
    }
    return false;
  }

  private void work() {
    while (!closed) {
      String key;
      try {
        key = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (key == null) {
        return;
      }
      try {
        reconcile(key);
        failures.remove(key);
      } catch (Exception e) {
        if (closed) {
          return;
        }
        int n = failures.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Duration backoff = Duration.ofMillis(Math.min(2000, 5L << Math.min(n, 9)));
        if (isStatus(e, 409)) {
          log.debug("{}: conflict on {}, retrying: {}", name, key, e.getMessage());
        } else if (isStatus(e, 404) && n <= 3) {
          // The object (or its namespace) went away while it was being reconciled, as during a
          // teardown;
          // the retry sees it gone.
          log.debug("{}: {} vanished while reconciled, retrying: {}", name, key, e.getMessage());
        } else if (n <= 3 || n % 20 == 0) {
          log.warn(
              "{}: reconciling {} failed ({} times), retrying in {}", name, key, n, backoff, e);
        }
        queue.addAfter(key, backoff);
      } finally {
        queue.done(key);
      }
    }
  }

  /** Whether no key is queued or being reconciled (for tests). */
  public final boolean idle() {
    return queue.idle();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (SharedIndexInformer<?> i : informers) {
      try {
        i.stop();
      } catch (RuntimeException e) {
        log.debug("{}: stopping an informer failed", name, e);
      }
    }
    queue.shutdown();
    timer.shutdownNow();
    for (Thread t : workers) {
      t.interrupt();
    }
    for (Thread t : workers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.debug("{} stopped", name);
  }

  /**
   * The controller's name.
   *
   * @return the name
   */
  public final String name() {
    return name;
  }

  /**
   * Splits a {@code prefix/namespace/name} key.
   *
   * @param key the key
   * @return prefix, namespace, name
   */
  public static String[] split(String key) {
    String[] parts = key.split("/", 3);
    if (parts.length != 3) {
      throw new IllegalArgumentException("bad key " + key);
    }
    return parts;
  }

  /**
   * A {@code prefix/namespace/name} key.
   *
   * @param prefix the prefix
   * @param obj the object
   * @return the key
   */
  public static String key(String prefix, HasMetadata obj) {
    return key(prefix, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
  }

  /**
   * A {@code prefix/namespace/name} key.
   *
   * @param prefix the prefix
   * @param namespace the namespace, null for cluster-scoped objects
   * @param name the name
   * @return the key
   */
  public static String key(String prefix, @Nullable String namespace, String name) {
    return prefix + "/" + (namespace == null ? "" : namespace) + "/" + name;
  }
}
