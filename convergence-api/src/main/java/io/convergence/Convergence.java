package io.convergence;

import static java.util.Objects.requireNonNull;

import io.convergence.config.ConvergenceConfig;
import io.convergence.event.LabListener;
import io.convergence.event.LoggingLabListener;
import io.convergence.internal.runtime.BackendProviders;
import io.convergence.internal.runtime.LabRuntime;
import io.convergence.plan.Plan;
import io.convergence.spec.LabSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendContext;
import io.convergence.spi.BackendProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point: a client of one backend that plans, starts and sweeps labs. Thread-safe; one
 * client serves any number of labs at once through one platform client.
 *
 * <pre>{@code
 * try (Lab lab = Convergence.backend("kubevirt").start(spec)) {
 *   lab.workload("analysis").exec("python", "-c", "print(1)");
 * }
 * }</pre>
 *
 * <p>{@link #backend(String)} and {@link #autodetect()} return a shared client per backend,
 * configured from system properties, environment variables and {@code convergence.properties} (see
 * {@link ConvergenceConfig}); closing a shared client does nothing, it is closed when the JVM
 * exits. {@link #builder()} makes a client of your own, configured in code, that you close.
 *
 * <p>Settings read by the runtime: {@code convergence.backend} (which backend {@link #autodetect()}
 * uses), {@code convergence.owner} (default: the user name), {@code convergence.run-id} (default:
 * random per JVM), {@code convergence.parallelism} (how many backend calls run at once, default
 * 16), {@code convergence.teardown.timeout} (default 5m) and {@code convergence.teardown.attempts}
 * (default 3).
 *
 * @since 0.1.0
 */
public final class Convergence implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Convergence.class);

  private static final String DEFAULT_RUN_ID = UUID.randomUUID().toString().substring(0, 8);
  private static final Map<String, Convergence> SHARED = new ConcurrentHashMap<>();
  private static final AtomicBoolean HOOK = new AtomicBoolean();

  private final Backend backend;
  private final LabRuntime runtime;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final String runId;
  private final boolean shared;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Convergence(Builder b, boolean shared) {
    ConvergenceConfig config = ConvergenceConfig.load(b.properties);
    BackendProvider provider =
        b.backendId != null
            ? BackendProviders.byId(b.backendId)
            : config
                .get("backend")
                .map(BackendProviders::byId)
                .orElseGet(() -> BackendProviders.autodetect(config));
    BackendProviders.requireAvailable(provider, config.scoped(provider.id()));
    this.clock = b.clock;
    this.shared = shared;
    this.runId = Ownership.labelSafe(config.get("run-id").orElse(DEFAULT_RUN_ID));
    String owner =
        Ownership.labelSafe(config.get("owner").orElse(System.getProperty("user.name", "unknown")));
    int parallelism = Math.max(1, config.getInt("parallelism", 16));
    this.workers =
        new ThreadPoolExecutor(
            parallelism,
            parallelism,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            threads(provider.id() + "-worker"));
    ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, threads(provider.id() + "-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.scheduler = timer;
    try {
      this.backend =
          provider.create(new BackendContext(config.scoped(provider.id()), clock, scheduler));
    } catch (RuntimeException e) {
      workers.shutdownNow();
      scheduler.shutdownNow();
      throw e;
    }
    List<LabListener> listeners = new ArrayList<>();
    if (b.defaultLogging) {
      listeners.add(new LoggingLabListener());
    }
    listeners.addAll(b.listeners);
    this.runtime =
        new LabRuntime(
            backend, config, clock, workers, scheduler, listeners, runId, owner, b.environment);
    log.debug(
        "Convergence client for backend {} (run {}, owner {}, parallelism {})",
        backend.id(),
        runId,
        owner,
        parallelism);
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "convergence-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The shared client of a backend, configured from system properties, environment and {@code
   * convergence.properties}.
   *
   * @param id the backend id, e.g. {@code kubevirt}
   * @return the shared client
   * @throws BackendNotFoundException when no such backend is on the classpath
   * @throws BackendUnavailableException when it is not configured or reachable
   */
  public static Convergence backend(String id) {
    requireNonNull(id, "id");
    return SHARED.computeIfAbsent(id, k -> shared(builder().backend(k)));
  }

  /**
   * The shared client of the backend named by {@code convergence.backend}, or else of the available
   * backend with the highest priority.
   *
   * @return the shared client
   * @throws BackendUnavailableException listing every backend tried and why it was rejected
   */
  public static Convergence autodetect() {
    Convergence c = SHARED.computeIfAbsent("", k -> shared(builder()));
    SHARED.putIfAbsent(c.backendId(), c);
    return c;
  }

  private static Convergence shared(Builder b) {
    if (HOOK.compareAndSet(false, true)) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> SHARED.values().forEach(Convergence::shutdown), "convergence-shutdown"));
    }
    return new Convergence(b, true);
  }

  /**
   * A builder of a client of your own.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The ids of the backends on the classpath, highest priority first.
   *
   * @return the ids
   */
  public static List<String> backendIds() {
    return BackendProviders.all().stream().map(BackendProvider::id).toList();
  }

  /**
   * Starts a lab and waits until every workload is ready.
   *
   * @param spec the lab
   * @return the running lab; close it to remove it
   * @throws InvalidLabSpecException when the spec is invalid or the backend cannot honour it (no
   *     remote call was made)
   * @throws ProvisioningException when a workload failed; everything created was rolled back
   * @throws ConvergenceTimeoutException when a workload did not reach a stage in time; rolled back
   */
  public Lab start(LabSpec spec) {
    return start(spec, StartOptions.DEFAULTS);
  }

  /**
   * Starts a lab with options and waits until every workload is ready.
   *
   * @param spec the lab
   * @param options how to start it
   * @return the running lab; close it to remove it
   * @throws InvalidLabSpecException when the spec is invalid or the backend cannot honour it
   * @throws ProvisioningException when a workload failed; rolled back unless {@link
   *     StartOptions#keepOnFailure()}
   * @throws ConvergenceTimeoutException when a workload did not reach a stage in time
   */
  public Lab start(LabSpec spec, StartOptions options) {
    requireOpen();
    return runtime.start(requireNonNull(spec, "spec"), requireNonNull(options, "options"));
  }

  /**
   * Plans a lab without creating anything: validation, capability checks, and the native objects
   * the backend would send.
   *
   * @param spec the lab
   * @return the plan
   * @throws InvalidLabSpecException when the spec is invalid or the backend cannot honour it
   */
  public Plan plan(LabSpec spec) {
    requireOpen();
    return runtime.plan(requireNonNull(spec, "spec"));
  }

  /**
   * Removes labs by their ownership labels, e.g. every expired lab, or the labs of a crashed run.
   *
   * @param request which labs
   * @return what was found and removed
   */
  public SweepReport sweep(SweepRequest request) {
    requireOpen();
    return backend.sweep(requireNonNull(request, "request"), clock.instant());
  }

  /**
   * The backend's id.
   *
   * @return the id
   */
  public String backendId() {
    return backend.id();
  }

  /**
   * What the backend can do.
   *
   * @return the features
   */
  public Set<Feature> features() {
    return backend.features();
  }

  /**
   * This JVM run's id, stamped on every lab it starts; {@code sweep(SweepRequest.run(id))} removes
   * them.
   *
   * @return the run id
   */
  public String runId() {
    return runId;
  }

  /**
   * The backend's native client.
   *
   * @param type the client type, e.g. fabric8's {@code KubernetesClient}
   * @param <T> the client type
   * @return the client
   * @throws IllegalArgumentException listing the supported types when {@code type} is not one
   */
  public <T> T unwrap(Class<T> type) {
    return BackendProviders.unwrap(backend, type);
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this Convergence client for " + backend.id() + " is closed");
    }
  }

  /**
   * Closes a client made with {@link #builder()}: releases the platform client and threads. Labs
   * still open are not removed; they expire by their TTL. Closing a shared client does nothing.
   */
  @Override
  public void close() {
    if (shared) {
      log.debug(
          "Ignoring close() of the shared client of {}; it closes when the JVM exits",
          backend.id());
      return;
    }
    shutdown();
  }

  private void shutdown() {
    if (closed.compareAndSet(false, true)) {
      try {
        backend.close();
      } finally {
        workers.shutdownNow();
        scheduler.shutdownNow();
      }
    }
  }

  @Override
  public String toString() {
    return "Convergence{" + backend.id() + ", run " + runId + (shared ? ", shared" : "") + "}";
  }

  /**
   * Builds a {@link Convergence} client.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private String backendId;
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<LabListener> listeners = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private boolean defaultLogging = true;
    private Function<String, String> environment = System::getenv;

    private Builder() {}

    /**
     * Uses the backend of this id; without it, {@code convergence.backend} or autodetection
     * decides.
     *
     * @param id e.g. {@code kubevirt}
     * @return this builder
     */
    public Builder backend(String id) {
      this.backendId = requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets a setting in code, taking precedence over system properties, environment and files.
     *
     * @param key the key, with or without the {@code convergence.} prefix, e.g. {@code
     *     kubevirt.context}
     * @param value the value
     * @return this builder
     */
    public Builder property(String key, String value) {
      properties.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /**
     * Adds a listener of every lab's events.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(LabListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Turns off the {@link LoggingLabListener} every client has by default.
     *
     * @return this builder
     */
    public Builder withoutDefaultLogging() {
      this.defaultLogging = false;
      return this;
    }

    /**
     * Sets the clock used for expiry and timing (for tests).
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets where secrets given as environment variables are read (for tests); default {@link
     * System#getenv}.
     *
     * @param environment returns a variable's value or {@code null}
     * @return this builder
     */
    public Builder environment(Function<String, String> environment) {
      this.environment = requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Creates the client.
     *
     * @return the client; close it when done
     * @throws BackendNotFoundException when the backend is not on the classpath
     * @throws BackendUnavailableException when it is not configured or reachable
     */
    public Convergence build() {
      return new Convergence(this, false);
    }
  }
}
