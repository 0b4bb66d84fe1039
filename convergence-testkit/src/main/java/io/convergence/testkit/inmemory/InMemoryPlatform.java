package io.convergence.testkit.inmemory;

import static java.util.Objects.requireNonNull;

import io.convergence.ExecResult;
import io.convergence.spec.Stage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A simulated platform held in memory, standing in for a cluster or a vCenter: it stores objects
 * with labels, answers create/get/list/delete and watch requests, and runs a controller that moves
 * each VM and container through its readiness stages after configurable latencies, the way a real
 * platform's controllers would. It counts every request it receives and can inject faults.
 *
 * <p>What it simulates, so that tests relying on it are honest:
 *
 * <ul>
 *   <li>Creating a workload returns at once; its stages follow asynchronously: scheduled, running,
 *       an IP address (network), the guest agent or customisation (VMs that expect one), then the
 *       readiness probes.
 *   <li>Workloads listen on the ports they expose and nowhere else: a TCP, HTTP, WinRM or SSH probe
 *       of a port the workload does not expose never passes. An exec probe passes when the
 *       command's {@linkplain #onExec(String, Function) handler} exits 0; a log-line probe when a
 *       {@linkplain #logLines(String, String...) log line} matches.
 *   <li>Deleting is asynchronous: an object is terminating for the {@linkplain
 *       #deleteLatency(Duration) delete latency}, then gone. A workload whose lab is being deleted
 *       stops progressing.
 *   <li>Watches deliver changes in order, from another thread, after the change.
 * </ul>
 *
 * <p>Platforms are shared by name ({@link #named(String)}), so that two clients (say, one that
 * "crashed" and a sweeper) see the same objects.
 *
 * @since 0.1.0
 */
public final class InMemoryPlatform {

  private static final Map<String, InMemoryPlatform> NAMED = new ConcurrentHashMap<>();
  private static final String LAB_ID = "convergence.io/lab-id";

  private final String name;
  private final Map<String, InMemoryObject> store = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<InMemoryObject>>> watches = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
  private final AtomicLong versions = new AtomicLong();
  private final AtomicInteger addresses = new AtomicInteger();
  private final ScheduledExecutorService controller;
  private final ExecutorService notifier;

  private final Map<Stage, Duration> latencies = new EnumMap<>(Stage.class);
  private volatile Duration deleteLatency = Duration.ofMillis(5);
  private final Map<String, Fault> faults = new ConcurrentHashMap<>();
  private final AtomicInteger teardownFailures = new AtomicInteger();
  private final Map<String, Function<List<String>, ExecResult>> execHandlers =
      new ConcurrentHashMap<>();
  private final Map<String, List<String>> configuredLogLines = new ConcurrentHashMap<>();
  private final Map<String, List<String>> logs = new ConcurrentHashMap<>();

  private record Fault(Stage stage, boolean hang, String reason, String message) {}

  private InMemoryPlatform(String name) {
    this.name = name;
    this.controller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inmemory-platform-" + name + "-controller");
              t.setDaemon(true);
              return t;
            });
    this.notifier =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "inmemory-platform-" + name + "-watch");
              t.setDaemon(true);
              return t;
            });
    for (Stage s : Stage.values()) {
      latencies.put(s, Duration.ofMillis(10));
    }
    latencies.put(Stage.CREATED, Duration.ZERO);
  }

  /**
   * The platform of this name, created on first use and shared by every client that names it.
   *
   * @param name the platform's name
   * @return the platform
   */
  public static InMemoryPlatform named(String name) {
    return NAMED.computeIfAbsent(requireNonNull(name, "name"), InMemoryPlatform::new);
  }

  /**
   * The platform's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  // ------------------------------------------------------------------ settings

  /**
   * Sets how long the controller takes to move a workload to {@code stage} after the previous one
   * (default 10ms).
   *
   * @param stage the stage
   * @param latency the latency
   * @return this platform
   */
  public InMemoryPlatform latency(Stage stage, Duration latency) {
    synchronized (latencies) {
      latencies.put(requireNonNull(stage, "stage"), requireNonNull(latency, "latency"));
    }
    return this;
  }

  /**
   * Sets the latency of every stage after creation.
   *
   * @param latency the latency
   * @return this platform
   */
  public InMemoryPlatform latency(Duration latency) {
    for (Stage s : Stage.values()) {
      if (s != Stage.CREATED) {
        latency(s, latency);
      }
    }
    return this;
  }

  /**
   * The latency of a stage.
   *
   * @param stage the stage
   * @return the latency
   */
  public Duration latency(Stage stage) {
    synchronized (latencies) {
      return latencies.get(stage);
    }
  }

  /**
   * Sets how long a deleted object stays terminating (default 5ms).
   *
   * @param latency the latency
   * @return this platform
   */
  public InMemoryPlatform deleteLatency(Duration latency) {
    this.deleteLatency = requireNonNull(latency, "latency");
    return this;
  }

  /**
   * Answers commands run in a workload (by name, in any lab). Without a handler a command fails
   * with exit code 127, as a missing program would.
   *
   * @param workload the workload's name
   * @param handler the command's result
   * @return this platform
   */
  public InMemoryPlatform onExec(String workload, Function<List<String>, ExecResult> handler) {
    execHandlers.put(requireNonNull(workload, "workload"), requireNonNull(handler, "handler"));
    return this;
  }

  /**
   * Lines a workload (by name, in any lab) writes to its output once it runs.
   *
   * @param workload the workload's name
   * @param lines the lines
   * @return this platform
   */
  public InMemoryPlatform logLines(String workload, String... lines) {
    configuredLogLines.put(requireNonNull(workload, "workload"), List.of(lines));
    return this;
  }

  // ------------------------------------------------------------------ faults

  /**
   * Makes every workload of this name fail to reach {@code stage}, with the platform reason and
   * message.
   *
   * @param workload the workload's name
   * @param stage the stage it cannot reach
   * @param reason e.g. {@code ErrImagePull}
   * @param message the platform's message
   * @return this platform
   */
  public InMemoryPlatform failAt(String workload, Stage stage, String reason, String message) {
    faults.put(workload, new Fault(stage, false, reason, message));
    return this;
  }

  /**
   * Makes every workload of this name stop before {@code stage}, never reaching it.
   *
   * @param workload the workload's name
   * @param stage the stage it never reaches
   * @return this platform
   */
  public InMemoryPlatform hangAt(String workload, Stage stage) {
    faults.put(workload, new Fault(stage, true, "", ""));
    return this;
  }

  /**
   * Makes the next delete request fail with HTTP 500.
   *
   * @return this platform
   */
  public InMemoryPlatform failTeardownOnce() {
    teardownFailures.incrementAndGet();
    return this;
  }

  /** Removes every injected fault, exec handler and log line; settings and objects stay. */
  public void clearFaults() {
    faults.clear();
    teardownFailures.set(0);
    execHandlers.clear();
    configuredLogLines.clear();
  }

  // ------------------------------------------------------------------ inspection

  /**
   * Every object on the platform, terminating ones included.
   *
   * @return the objects
   */
  public List<InMemoryObject> objects() {
    return List.copyOf(store.values());
  }

  /**
   * The objects of one lab.
   *
   * @param labId the lab's id
   * @return the objects
   */
  public List<InMemoryObject> objects(String labId) {
    return store.values().stream().filter(o -> labId.equals(o.labels().get(LAB_ID))).toList();
  }

  /**
   * Requests received, by operation ({@code create Container}, {@code get VirtualMachine}, {@code
   * list}, {@code delete}, {@code watch}).
   *
   * @return operation to count
   */
  public Map<String, Long> requests() {
    Map<String, Long> out = new LinkedHashMap<>();
    requests.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /**
   * Requests received in total.
   *
   * @return the count
   */
  public long requestCount() {
    return requests.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /**
   * Adds an object that no Convergence client created (for tests that sweeps leave it alone).
   *
   * @param kind the kind
   * @param objectName the name
   * @param labels its labels
   */
  public void putForeignObject(String kind, String objectName, Map<String, String> labels) {
    InMemoryObject o =
        new InMemoryObject(
            kind, objectName, labels, Map.of(), Map.of(), versions.incrementAndGet(), false);
    store.put(key(kind, "", objectName), o);
  }

  // ------------------------------------------------------------------ the platform's API

  private void count(String operation) {
    requests.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
  }

  private static String key(String kind, String labId, String objectName) {
    return kind + "/" + labId + "/" + objectName;
  }

  private static String labOf(InMemoryObject o) {
    return o.labels().getOrDefault(LAB_ID, "");
  }

  /** Creates an object; fails with 409 when it exists. */
  InMemoryObject create(
      String kind, String objectName, Map<String, String> labels, Map<String, Object> spec) {
    count("create " + kind);
    String labId = labels.getOrDefault(LAB_ID, "");
    InMemoryObject o =
        new InMemoryObject(
            kind, objectName, labels, spec, initialStatus(kind), versions.incrementAndGet(), false);
    InMemoryObject existing = store.putIfAbsent(key(kind, labId, objectName), o);
    if (existing != null) {
      throw new InMemoryApiException(
          409, "AlreadyExists", kind + " " + objectName + " already exists in lab " + labId);
    }
    notifyWatchers(o);
    if (kind.equals("VirtualMachine") || kind.equals("Container")) {
      logs.put(logKey(labId, objectName), new CopyOnWriteArrayList<>());
      scheduleNext(key(kind, labId, objectName), Stage.SCHEDULED);
    }
    return o;
  }

  private static Map<String, Object> initialStatus(String kind) {
    if (kind.equals("VirtualMachine") || kind.equals("Container")) {
      return Map.of("phase", "Pending", "backendStatus", "Pending");
    }
    return Map.of("phase", "Ready", "backendStatus", "Ready");
  }

  /** Reads an object. */
  Optional<InMemoryObject> get(String kind, String labId, String objectName) {
    count("get " + kind);
    return Optional.ofNullable(store.get(key(kind, labId, objectName)));
  }

  /** Lists objects whose labels contain every entry of {@code selector}. */
  List<InMemoryObject> list(Map<String, String> selector) {
    count("list");
    List<InMemoryObject> out = new ArrayList<>();
    for (InMemoryObject o : store.values()) {
      if (o.labels().entrySet().containsAll(selector.entrySet())) {
        out.add(o);
      }
    }
    return out;
  }

  /** Starts deleting every object of a lab; they disappear after the delete latency. */
  void deleteLab(String labId) {
    count("delete");
    if (teardownFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new InMemoryApiException(
          500, "InternalError", "injected failure: deleting lab " + labId + " failed");
    }
    for (Map.Entry<String, InMemoryObject> e : store.entrySet()) {
      InMemoryObject o = e.getValue();
      if (labId.equals(labOf(o)) && !o.terminating()) {
        InMemoryObject t =
            store.computeIfPresent(
                e.getKey(), (k, cur) -> cur.terminating(versions.incrementAndGet()));
        if (t != null) {
          notifyWatchers(t);
          controller.schedule(
              () -> remove(e.getKey()), deleteLatency.toNanos(), TimeUnit.NANOSECONDS);
        }
      }
    }
  }

  private void remove(String key) {
    InMemoryObject gone = store.remove(key);
    if (gone != null) {
      logs.remove(logKey(labOf(gone), gone.name()));
      notifyWatchers(gone);
    }
  }

  /**
   * Watches every change to the objects of a lab; the watcher sees changes in order, on the
   * platform's thread.
   */
  AutoCloseable watch(String labId, Consumer<InMemoryObject> watcher) {
    count("watch");
    watches.computeIfAbsent(labId, k -> new CopyOnWriteArrayList<>()).add(watcher);
    return () -> {
      List<Consumer<InMemoryObject>> list = watches.get(labId);
      if (list != null) {
        list.remove(watcher);
      }
    };
  }

  /** Runs a command in a running workload. */
  ExecResult exec(String labId, String workload, List<String> command) {
    count("exec");
    InMemoryObject o = store.get(key("Container", labId, workload));
    if (o == null || !"Running".equals(o.status().get("phase"))) {
      throw new InMemoryApiException(
          409, "NotRunning", "container " + workload + " is not running");
    }
    Function<List<String>, ExecResult> handler = execHandlers.get(workload);
    if (handler == null) {
      return new ExecResult(
          127,
          "",
          command.get(0)
              + ": command not found (in-memory platform "
              + name
              + ": register a handler with onExec(\""
              + workload
              + "\", ...))\n");
    }
    return handler.apply(command);
  }

  /** A workload's output so far. */
  List<String> logs(String labId, String workload) {
    count("logs");
    return List.copyOf(logs.getOrDefault(logKey(labId, workload), List.of()));
  }

  private static String logKey(String labId, String workload) {
    return labId + "/" + workload;
  }

  private void notifyWatchers(InMemoryObject o) {
    List<Consumer<InMemoryObject>> list = watches.get(labOf(o));
    if (list == null || list.isEmpty()) {
      return;
    }
    notifier.execute(
        () -> {
          for (Consumer<InMemoryObject> w : list) {
            w.accept(o);
          }
        });
  }

  // ------------------------------------------------------------------ the controller

  private void scheduleNext(String key, Stage stage) {
    long nanos = latency(stage).toNanos();
    InMemoryObject o = store.get(key);
    if (o != null
        && o.spec().get("latencyMillis") instanceof Map<?, ?> overrides
        && overrides.get(stage.name()) instanceof Number millis) {
      nanos = TimeUnit.MILLISECONDS.toNanos(millis.longValue());
    }
    controller.schedule(() -> advance(key, stage), nanos, TimeUnit.NANOSECONDS);
  }

  private void advance(String key, Stage stage) {
    InMemoryObject o = store.get(key);
    if (o == null || o.terminating()) {
      return;
    }
    Fault fault = faults.get(o.name());
    if (fault != null && fault.stage() == stage) {
      if (!fault.hang()) {
        Map<String, Object> status = new LinkedHashMap<>(o.status());
        status.put("phase", "Failed");
        status.put("backendStatus", fault.reason());
        status.put(
            "failure",
            Map.of("stage", stage.name(), "reason", fault.reason(), "message", fault.message()));
        update(key, status);
        log(o, "Warning " + fault.reason() + ": " + fault.message());
      }
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>(o.status());
    Stage next = null;
    switch (stage) {
      case SCHEDULED:
        status.put("phase", "Scheduled");
        status.put("backendStatus", "Scheduled");
        status.put("node", "node-" + (1 + Math.floorMod(o.name().hashCode(), 3)));
        log(o, "Scheduled on " + status.get("node"));
        next = Stage.RUNNING;
        break;
      case RUNNING:
        status.put("phase", "Running");
        status.put("backendStatus", "Running");
        log(o, o.kind().equals("VirtualMachine") ? "Powered on" : "Started container");
        configuredLogLines.getOrDefault(o.name(), List.of()).forEach(line -> log(o, line));
        next = Stage.NETWORK;
        break;
      case NETWORK:
        int n = addresses.incrementAndGet();
        status.put("ip", "10.88." + (n / 250) + "." + (2 + n % 250));
        next = needsGuest(o) ? Stage.GUEST : needsProbe(o) ? Stage.PROBE : null;
        break;
      case GUEST:
        status.put("guest", "Connected");
        log(o, "Guest ready");
        next = needsProbe(o) ? Stage.PROBE : null;
        break;
      case PROBE:
        String refusal = probeRefusal(o);
        if (refusal != null) {
          status.put("probe", refusal);
          update(key, status);
          controller.schedule(
              () -> advance(key, Stage.PROBE), probeInterval(o), TimeUnit.MILLISECONDS);
          return;
        }
        status.put("probe", "Passed");
        status.put("ready", true);
        break;
      default:
        throw new AssertionError(stage);
    }
    if (next == null) {
      status.put("ready", true);
    }
    update(key, status);
    if (next != null) {
      scheduleNext(key, next);
    }
  }

  private static boolean needsGuest(InMemoryObject o) {
    return Boolean.TRUE.equals(o.spec().get("guestExpected"));
  }

  private static boolean needsProbe(InMemoryObject o) {
    return o.spec().get("probes") instanceof List<?> l && !l.isEmpty();
  }

  private static long probeInterval(InMemoryObject o) {
    return o.spec().get("probeIntervalMillis") instanceof Number n ? n.longValue() : 200;
  }

  /** Why the workload's probes do not pass yet, or null when they all pass. */
  @SuppressWarnings("unchecked")
  private String probeRefusal(InMemoryObject o) {
    List<Object> ports = (List<Object>) o.spec().getOrDefault("ports", List.of());
    String labId = labOf(o);
    for (Object p : (List<Object>) o.spec().get("probes")) {
      Map<String, Object> probe = (Map<String, Object>) p;
      String type = (String) probe.get("type");
      switch (type) {
        case "tcp":
        case "http":
        case "winrm":
        case "ssh":
          Object port = probe.get("port");
          if (!ports.contains(port)) {
            return type
                + " probe of port "
                + port
                + ": connection refused (the workload listens only on "
                + ports
                + ")";
          }
          break;
        case "exec":
          Function<List<String>, ExecResult> handler = execHandlers.get(o.name());
          List<String> command = (List<String>) probe.get("command");
          ExecResult r =
              handler == null
                  ? new ExecResult(127, "", "command not found")
                  : handler.apply(command);
          if (r.exitCode() != 0) {
            return "exec probe " + command + " exited with " + r.exitCode();
          }
          break;
        case "logLine":
          Pattern regex = Pattern.compile((String) probe.get("regex"));
          Collection<String> lines = logs.getOrDefault(logKey(labId, o.name()), List.of());
          if (lines.stream().noneMatch(l -> regex.matcher(l).find())) {
            return "no output line matches " + regex;
          }
          break;
        case "guestAgent":
          if (!"Connected".equals(o.status().get("guest"))) {
            return "guest agent not connected";
          }
          break;
        default:
          return "unknown probe type " + type;
      }
    }
    return null;
  }

  private void update(String key, Map<String, Object> status) {
    InMemoryObject updated =
        store.computeIfPresent(
            key,
            (k, cur) ->
                cur.terminating() ? cur : cur.withStatus(status, versions.incrementAndGet()));
    if (updated != null && !updated.terminating()) {
      notifyWatchers(updated);
    }
  }

  private void log(InMemoryObject o, String line) {
    List<String> l = logs.get(logKey(labOf(o), o.name()));
    if (l != null) {
      l.add(line);
    }
  }

  /** A number for an IP-like address, for tests that need a new one. */
  int nextAddress() {
    return addresses.incrementAndGet();
  }

  @Override
  public String toString() {
    return "InMemoryPlatform{" + name + ", " + store.size() + " objects}";
  }
}
