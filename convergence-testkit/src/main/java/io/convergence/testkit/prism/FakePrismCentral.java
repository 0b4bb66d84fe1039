package io.convergence.testkit.prism;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * An in-process fake Prism Central that speaks the v4 REST API of the wire contract ({@code
 * docs/nutanix-prism-v4-wire.md}) on {@code 127.0.0.1} and a free port, over HTTP or, given an
 * {@link SSLContext}, HTTPS.
 *
 * <pre>{@code
 * try (FakePrismCentral pc = FakePrismCentral.builder().credentials("admin", "secret").start()) {
 *   pc.seedDefaults();
 *   URI base = pc.baseUri(); // e.g. http://127.0.0.1:41234
 *   pc.faults().respond("POST", FakePrismCentral.VMS_PATH, 1, 503);
 *   ... drive a client against base ...
 *   assertThat(pc.vms()).singleElement().extracting(PrismVm::powerState).isEqualTo("ON");
 * }
 * }</pre>
 *
 * <p>What it models:
 *
 * <ul>
 *   <li>Asynchronous tasks {@code QUEUED → RUNNING → SUCCEEDED | FAILED}, one step per {@linkplain
 *       Builder#taskStepDelay task step delay}; entities appear, change or disappear when their
 *       task succeeds (a VM being deleted stays readable until then). While a VM has a pending task
 *       other mutations of it get 409 {@code VMM-30700 VM_OPERATION_CONFLICT}.
 *   <li>ETags that change with every change of an entity, including server-side ones (power state,
 *       addresses learned when the guest {@linkplain Builder#bootDelay booted}); {@code If-Match}
 *       required on PUT, DELETE and VM actions (428 {@code PLAT-10004} missing, 412 {@code
 *       VMM-30303} stale).
 *   <li>{@code NTNX-Request-Id} required on every mutation; a replay gets the original response and
 *       does not act again.
 *   <li>Basic and {@code X-ntnx-api-key} authentication, the {@code NTNX_IGW_SESSION} cookie,
 *       {@link #expireSessions()}, and a 401 whose body is HTML.
 *   <li>Schema validation (400 {@code SchemaValidationError}), unknown references (422), an OData
 *       {@code $filter} parser that refuses what it does not support, {@code $page}/{@code $limit}.
 *   <li>Scriptable {@linkplain #faults() faults} and a {@linkplain #requests() request log}.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the server and every pending task.
 *
 * @since 0.1.0
 */
public final class FakePrismCentral implements AutoCloseable {

  /** The user name accepted when the builder configures no credentials: {@value}. */
  public static final String DEFAULT_USERNAME = "admin";

  /** The password accepted when the builder configures no credentials: {@value}. */
  public static final String DEFAULT_PASSWORD = "Nutanix/4u";

  /** The AOS cluster of {@link #seedDefaults()}: {@value}. */
  public static final String DEFAULT_CLUSTER = "lab-cluster-01";

  /** The Prism Central pseudo-cluster of {@link #seedDefaults()}: {@value}. */
  public static final String PRISM_CENTRAL_CLUSTER = "prism-central";

  /** The VLAN subnet of {@link #seedDefaults()}: {@value}. */
  public static final String DEFAULT_SUBNET = "vlan-lab";

  /** A Linux cloud image of {@link #seedDefaults()}: {@value}. */
  public static final String UBUNTU_IMAGE = "ubuntu-22.04-cloudimg";

  /** A Windows image of {@link #seedDefaults()}: {@value}. */
  public static final String WINDOWS_IMAGE = "win2019-tester";

  /** The default delay of each task step: 20 ms. */
  public static final Duration DEFAULT_TASK_STEP_DELAY = Duration.ofMillis(20);

  /** The default delay from power-on to a booted guest with learned addresses: 50 ms. */
  public static final Duration DEFAULT_BOOT_DELAY = Duration.ofMillis(50);

  /** {@value}: VMs. */
  public static final String VMS_PATH = PrismApi.VMS;

  /** {@value}: images. */
  public static final String IMAGES_PATH = PrismApi.IMAGES;

  /** {@value}: tasks. */
  public static final String TASKS_PATH = PrismApi.TASKS;

  /** {@value}: categories. */
  public static final String CATEGORIES_PATH = PrismApi.CATEGORIES;

  /** {@value}: subnets. */
  public static final String SUBNETS_PATH = PrismApi.SUBNETS;

  /** {@value}: clusters. */
  public static final String CLUSTERS_PATH = PrismApi.CLUSTERS;

  /** {@value}: recovery points. */
  public static final String RECOVERY_POINTS_PATH = PrismApi.RECOVERY_POINTS;

  private final PrismStore store;
  private final PrismFaults faults = new PrismFaults();
  private final Sessions sessions;
  private final TaskEngine engine;
  private final ScheduledThreadPoolExecutor scheduler;
  private final PrismApi api;
  private final List<RecordedRequest> log = new ArrayList<>();
  private final @Nullable SSLContext tls;
  private @Nullable HttpServer server;
  private @Nullable ExecutorService httpExecutor;
  private volatile @Nullable URI baseUri;
  private boolean closed;

  private FakePrismCentral(Builder b) {
    this.store = new PrismStore(b.clock, b.guestNetwork);
    this.tls = b.tls;
    Map<String, String> users = new LinkedHashMap<>(b.users);
    if (users.isEmpty() && b.apiKeys.isEmpty()) {
      users.put(DEFAULT_USERNAME, DEFAULT_PASSWORD);
    }
    this.sessions = new Sessions(users, b.apiKeys, b.secureCookie);
    this.scheduler = new ScheduledThreadPoolExecutor(1, daemon("fake-prism-tasks"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.engine = new TaskEngine(store, scheduler, faults, b.taskStepDelay);
    this.api = new PrismApi(store, engine, faults, b.bootDelay);
  }

  /**
   * A builder with the defaults: {@value #DEFAULT_USERNAME}/{@value #DEFAULT_PASSWORD}, task steps
   * of 20 ms, a boot delay of 50 ms, the system clock, plain HTTP.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts serving on {@code 127.0.0.1} and a free port. Does nothing when already started.
   *
   * @return this fake
   * @throws UncheckedIOException when the port cannot be bound
   * @throws IllegalStateException when closed
   */
  public synchronized FakePrismCentral start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (server != null) {
      return this;
    }
    try {
      InetSocketAddress addr =
          new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
      HttpServer s;
      if (tls != null) {
        HttpsServer https = HttpsServer.create(addr, 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        s = https;
      } else {
        s = HttpServer.create(addr, 0);
      }
      ExecutorService executor = Executors.newCachedThreadPool(daemon("fake-prism-http"));
      s.setExecutor(executor);
      s.createContext(
          "/",
          new PrismHttpHandler(
              api.router(),
              store,
              faults,
              sessions,
              new RequestIds(),
              this::record,
              () -> requireNonNull(baseUri).toString(),
              store.clock));
      baseUri =
          URI.create(
              (tls != null ? "https" : "http")
                  + "://"
                  + addr.getAddress().getHostAddress()
                  + ":"
                  + s.getAddress().getPort());
      s.start();
      server = s;
      httpExecutor = executor;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake Prism Central", e);
    }
  }

  /**
   * The base URI, e.g. {@code http://127.0.0.1:41234}; API paths follow it.
   *
   * @return the base URI
   * @throws IllegalStateException when not started
   */
  public URI baseUri() {
    URI u = baseUri;
    if (u == null) {
      throw new IllegalStateException("not started");
    }
    return u;
  }

  /**
   * Whether it serves HTTPS.
   *
   * @return whether an {@link SSLContext} was configured
   */
  public boolean isTls() {
    return tls != null;
  }

  /** Stops the server and the scheduler; pending tasks never complete. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (server != null) {
      server.stop(0);
    }
    if (httpExecutor != null) {
      httpExecutor.shutdownNow();
    }
    scheduler.shutdownNow();
  }

  // ------------------------------------------------------------------ seeding

  /**
   * Seeds one AOS cluster ({@value #DEFAULT_CLUSTER}), the Prism Central pseudo-cluster ({@value
   * #PRISM_CENTRAL_CLUSTER}), one VLAN subnet on the AOS cluster ({@value #DEFAULT_SUBNET}) and two
   * images ({@value #UBUNTU_IMAGE}, 2.2 GiB; {@value #WINDOWS_IMAGE}, 32 GiB).
   *
   * @return this fake
   */
  public FakePrismCentral seedDefaults() {
    String cluster = addCluster(DEFAULT_CLUSTER);
    addPrismCentralCluster(PRISM_CENTRAL_CLUSTER);
    addSubnet(DEFAULT_SUBNET, cluster);
    addImage(UBUNTU_IMAGE, 2_361_393_152L);
    addImage(WINDOWS_IMAGE, 34_359_738_368L);
    return this;
  }

  /**
   * Adds an AOS cluster that can host VMs.
   *
   * @param name its name
   * @return its extId
   */
  public String addCluster(String name) {
    return addCluster(name, "AOS");
  }

  /**
   * Adds a Prism Central pseudo-cluster ({@code clusterFunction: ["PRISM_CENTRAL"]}), listed with
   * the clusters as real Prism Central does; creating a VM on it gives 422.
   *
   * @param name its name
   * @return its extId
   */
  public String addPrismCentralCluster(String name) {
    return addCluster(name, "PRISM_CENTRAL");
  }

  private String addCluster(String name, String function) {
    PrismCluster c =
        new PrismCluster(PrismStore.newId(), requireNonNull(name, "name"), List.of(function));
    synchronized (store) {
      store.clusters.put(c.extId(), c);
    }
    return c.extId();
  }

  /**
   * Adds a VLAN subnet.
   *
   * @param name its name
   * @param clusterExtId the cluster it belongs to
   * @return its extId
   * @throws IllegalArgumentException when the cluster does not exist
   */
  public String addSubnet(String name, String clusterExtId) {
    PrismSubnet s =
        new PrismSubnet(
            PrismStore.newId(),
            requireNonNull(name, "name"),
            requireNonNull(clusterExtId, "clusterExtId"));
    synchronized (store) {
      if (!store.clusters.containsKey(clusterExtId)) {
        throw new IllegalArgumentException("no cluster " + clusterExtId);
      }
      store.subnets.put(s.extId(), s);
    }
    return s.extId();
  }

  /**
   * Adds a disk image.
   *
   * @param name its name
   * @param sizeBytes its size, at least 1
   * @return its extId
   */
  public String addImage(String name, long sizeBytes) {
    if (sizeBytes < 1) {
      throw new IllegalArgumentException("sizeBytes must be >= 1: " + sizeBytes);
    }
    PrismImage i = new PrismImage(PrismStore.newId(), requireNonNull(name, "name"), sizeBytes);
    synchronized (store) {
      store.images.put(i.extId(), i);
    }
    return i.extId();
  }

  /**
   * The clusters, in the order they were added.
   *
   * @return the clusters
   */
  public List<PrismCluster> clusters() {
    synchronized (store) {
      return List.copyOf(store.clusters.values());
    }
  }

  /**
   * The cluster of this name.
   *
   * @param name the name
   * @return the cluster
   * @throws NoSuchElementException when there is none
   */
  public PrismCluster cluster(String name) {
    return byName(clusters(), PrismCluster::name, name);
  }

  /**
   * The subnets, in the order they were added.
   *
   * @return the subnets
   */
  public List<PrismSubnet> subnets() {
    synchronized (store) {
      return List.copyOf(store.subnets.values());
    }
  }

  /**
   * The subnet of this name.
   *
   * @param name the name
   * @return the subnet
   * @throws NoSuchElementException when there is none
   */
  public PrismSubnet subnet(String name) {
    return byName(subnets(), PrismSubnet::name, name);
  }

  /**
   * The images, in the order they were added.
   *
   * @return the images
   */
  public List<PrismImage> images() {
    synchronized (store) {
      return List.copyOf(store.images.values());
    }
  }

  /**
   * The image of this name.
   *
   * @param name the name
   * @return the image
   * @throws NoSuchElementException when there is none
   */
  public PrismImage image(String name) {
    return byName(images(), PrismImage::name, name);
  }

  private static <T> T byName(List<T> items, Function<T, String> name, String wanted) {
    for (T t : items) {
      if (name.apply(t).equals(wanted)) {
        return t;
      }
    }
    throw new NoSuchElementException("none named " + wanted);
  }

  // ------------------------------------------------------------------ faults and sessions

  /**
   * The faults to script, live.
   *
   * @return the faults
   */
  public PrismFaults faults() {
    return faults;
  }

  /** Invalidates every session cookie issued so far: requests carrying one alone get 401. */
  public void expireSessions() {
    sessions.expireAll();
  }

  /**
   * How many session cookies were issued (one per request authenticated by credentials).
   *
   * @return the count
   */
  public int sessionsIssued() {
    return sessions.issued();
  }

  /**
   * A server-side change of a VM, as when Prism Central updates it on its own: its ETag and update
   * time change, nothing else.
   *
   * @param vmExtId the VM's extId
   * @throws NoSuchElementException when there is no such VM
   */
  public void touchVm(String vmExtId) {
    synchronized (store) {
      VmEntity vm = store.vms.get(vmExtId);
      if (vm == null || !vm.created) {
        throw new NoSuchElementException("no VM " + vmExtId);
      }
      store.touch(vm);
    }
  }

  // ------------------------------------------------------------------ introspection

  private void record(RecordedRequest r) {
    synchronized (log) {
      log.add(r);
    }
  }

  /**
   * Every request received so far, oldest first; credentials redacted.
   *
   * @return a copy of the request log
   */
  public List<RecordedRequest> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  /**
   * How many requests matched a method and a path glob ({@code *} within a segment, {@code **}
   * across segments, on the decoded path), e.g. {@code requestCount("GET", TASKS_PATH + "/*")}.
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @return the count
   */
  public int requestCount(String method, String pathGlob) {
    Glob g = new Glob(method, pathGlob);
    int n = 0;
    for (RecordedRequest r : requests()) {
      if (g.matches(r.method(), r.path())) {
        n++;
      }
    }
    return n;
  }

  /** Forgets the request log. */
  public void clearRequests() {
    synchronized (log) {
      log.clear();
    }
  }

  /**
   * Every VM, including those whose create task has not succeeded yet ({@link PrismVm#created()}
   * false) and those being deleted.
   *
   * @return snapshots, in creation order
   */
  public List<PrismVm> vms() {
    synchronized (store) {
      return store.vms.values().stream().map(VmEntity::snapshot).toList();
    }
  }

  /**
   * One VM, created or not.
   *
   * @param extId its extId
   * @return a snapshot
   */
  public Optional<PrismVm> vm(String extId) {
    synchronized (store) {
      return Optional.ofNullable(store.vms.get(extId)).map(VmEntity::snapshot);
    }
  }

  /**
   * Every category.
   *
   * @return the categories, in creation order
   */
  public List<PrismCategory> categories() {
    synchronized (store) {
      return List.copyOf(store.categories.values());
    }
  }

  /**
   * Every recovery point, created or not.
   *
   * @return snapshots, in creation order
   */
  public List<PrismRecoveryPoint> recoveryPoints() {
    synchronized (store) {
      return store.recoveryPoints.values().stream().map(RecoveryPointEntity::snapshot).toList();
    }
  }

  /**
   * Every task.
   *
   * @return snapshots, in creation order
   */
  public List<PrismTask> tasks() {
    synchronized (store) {
      return store.tasks.values().stream().map(TaskEntity::snapshot).toList();
    }
  }

  /**
   * One task.
   *
   * @param extId its extId
   * @return a snapshot
   */
  public Optional<PrismTask> task(String extId) {
    synchronized (store) {
      return Optional.ofNullable(store.tasks.get(extId)).map(TaskEntity::snapshot);
    }
  }

  /**
   * Waits until no task and no server-side change (guest boot) is pending. A stalled or very slow
   * task ({@link PrismFaults#stallTasks}, {@link PrismFaults#slowTasks}) and a blocked boot ({@link
   * PrismFaults#guestNeverBoots()}) keep it busy.
   *
   * @param timeout how long to wait at most
   * @return whether it became idle in time
   * @throws InterruptedException when interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!engine.idle()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Configures a {@link FakePrismCentral}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {

    private final Map<String, String> users = new LinkedHashMap<>();
    private final Set<String> apiKeys = new LinkedHashSet<>();
    private Duration taskStepDelay = DEFAULT_TASK_STEP_DELAY;
    private Duration bootDelay = DEFAULT_BOOT_DELAY;
    private Clock clock = Clock.systemUTC();
    private @Nullable SSLContext tls;
    private boolean secureCookie = true;
    private String guestNetwork = "10.42.";

    private Builder() {}

    /**
     * The /16 network guests learn their addresses from, default {@code 10.42.0.0/16}. Tests whose
     * VM probes must reach a local listener use {@code 127.42.0.0/16}: on Linux every 127/8 address
     * is the loopback, so a listener bound to the wildcard address answers each guest's address.
     *
     * @param cidr a /16 network, e.g. {@code 127.42.0.0/16}
     * @return this builder
     */
    public Builder guestNetwork(String cidr) {
      requireNonNull(cidr, "cidr");
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.0\\.0/16").matcher(cidr);
      if (!m.matches()
          || Integer.parseInt(m.group(1)) > 255
          || Integer.parseInt(m.group(2)) > 255) {
        throw new IllegalArgumentException(
            "guestNetwork must be a /16 such as 10.42.0.0/16 or 127.42.0.0/16, not " + cidr);
      }
      guestNetwork = m.group(1) + "." + m.group(2) + ".";
      return this;
    }

    /**
     * Accepts this user for HTTP Basic (more than one may be added). Without any credentials or API
     * keys, {@value FakePrismCentral#DEFAULT_USERNAME}/{@value FakePrismCentral#DEFAULT_PASSWORD}
     * is accepted.
     *
     * @param username the user name
     * @param password the password
     * @return this builder
     */
    public Builder credentials(String username, String password) {
      users.put(requireNonNull(username, "username"), requireNonNull(password, "password"));
      return this;
    }

    /**
     * Accepts this key in {@code X-ntnx-api-key} (more than one may be added).
     *
     * @param key the API key
     * @return this builder
     */
    public Builder apiKey(String key) {
      apiKeys.add(requireNonNull(key, "key"));
      return this;
    }

    /**
     * The delay of each of a task's three steps (running, progress, completion); {@link
     * Duration#ZERO} runs them as soon as the scheduler can.
     *
     * @param delay the delay, default 20 ms
     * @return this builder
     */
    public Builder taskStepDelay(Duration delay) {
      taskStepDelay = nonNegative(delay, "taskStepDelay");
      return this;
    }

    /**
     * The delay from a VM's power-on (its task succeeded) to a booted guest: its NICs learn their
     * IPv4 addresses and the guest tools become reachable.
     *
     * @param delay the delay, default 50 ms
     * @return this builder
     */
    public Builder bootDelay(Duration delay) {
      bootDelay = nonNegative(delay, "bootDelay");
      return this;
    }

    /**
     * No latency: task steps and boots run as soon as the scheduler can (they stay asynchronous).
     *
     * @return this builder
     */
    public Builder noLatency() {
      taskStepDelay = Duration.ZERO;
      bootDelay = Duration.ZERO;
      return this;
    }

    /**
     * The clock of every timestamp ({@code createdTime}, {@code updateTime}, the request log).
     * Delays always run on real time.
     *
     * @param clock the clock, default the system's
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Serves HTTPS with this context (its key manager holds the server's certificate, which should
     * be valid for {@code 127.0.0.1}).
     *
     * @param context the TLS context
     * @return this builder
     */
    public Builder tls(SSLContext context) {
      tls = requireNonNull(context, "context");
      return this;
    }

    /**
     * Whether the session cookie carries {@code Secure}, as the contract writes it (default true).
     * A {@link java.net.CookieManager} does not send a {@code Secure} cookie back over plain HTTP;
     * turn this off to test cookie reuse without TLS.
     *
     * @param secure whether to mark the cookie {@code Secure}
     * @return this builder
     */
    public Builder secureCookie(boolean secure) {
      secureCookie = secure;
      return this;
    }

    /**
     * Builds a fake that is not started yet (seed it, then {@link FakePrismCentral#start()}).
     *
     * @return the fake
     */
    public FakePrismCentral build() {
      return new FakePrismCentral(this);
    }

    /**
     * Builds and starts a fake.
     *
     * @return the started fake
     */
    public FakePrismCentral start() {
      return build().start();
    }

    private static Duration nonNegative(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative: " + d);
      }
      return d;
    }
  }
}
