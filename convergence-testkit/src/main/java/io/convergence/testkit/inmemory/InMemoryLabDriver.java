package io.convergence.testkit.inmemory;

import io.convergence.BackendException;
import io.convergence.Endpoint;
import io.convergence.ExecResult;
import io.convergence.Ownership;
import io.convergence.Snapshots;
import io.convergence.WorkloadStatus;
import io.convergence.spec.Stage;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadAccess;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Drives one lab on an {@link InMemoryPlatform}, using only the platform's API: create, get, list,
 * delete and one watch per lab that dispatches changes to the workloads' observers.
 */
final class InMemoryLabDriver implements LabDriver {

  private static final List<String> WORKLOAD_KINDS = List.of("VirtualMachine", "Container");

  private final InMemoryPlatform platform;
  private final BackendPlan plan;
  private final String labId;
  private final Map<String, StageObserver> observers = new ConcurrentHashMap<>();
  private final Map<String, String> kinds = new ConcurrentHashMap<>();
  private volatile @Nullable AutoCloseable watch;

  InMemoryLabDriver(InMemoryPlatform platform, BackendPlan plan) {
    this.platform = platform;
    this.plan = plan;
    this.labId = plan.ownership().labId();
    plan.workloads()
        .forEach(
            w ->
                kinds.put(
                    w.name(),
                    w.spec() instanceof io.convergence.spec.VmSpec
                        ? "VirtualMachine"
                        : "Container"));
  }

  @Override
  public void prepare() {
    if (watch == null) {
      watch = platform.watch(labId, this::onChange);
    }
    for (SpecToInMemoryObjects.Request r :
        SpecToInMemoryObjects.labObjects(plan.spec(), plan.ownership())) {
      createIfAbsent(r);
    }
  }

  private void createIfAbsent(SpecToInMemoryObjects.Request r) {
    try {
      platform.create(r.kind(), r.name(), r.labels(), r.spec());
    } catch (InMemoryApiException e) {
      if (e.status() != 409) {
        throw InMemoryBackend.error("create " + r.kind() + " " + r.name(), e);
      }
    }
  }

  @Override
  public void create(WorkloadRequest request) {
    for (SpecToInMemoryObjects.Request r :
        SpecToInMemoryObjects.workloadObjects(
            request.name(), request.spec(), plan.spec(), plan.ownership())) {
      createIfAbsent(r);
    }
  }

  @Override
  public void observe(String workload, StageObserver observer) {
    observers.put(workload, observer);
    // Changes before the observer was registered were dispatched to nobody: report the current
    // state once.
    platform.get(kinds.get(workload), labId, workload).ifPresent(o -> report(o, observer));
  }

  private void onChange(InMemoryObject o) {
    if (!WORKLOAD_KINDS.contains(o.kind()) || o.terminating()) {
      return;
    }
    StageObserver observer = observers.get(o.name());
    if (observer != null) {
      report(o, observer);
    }
  }

  /** Maps the platform's status to the highest stage reached, or to a failure. */
  @SuppressWarnings("unchecked")
  private static void report(InMemoryObject o, StageObserver observer) {
    Map<String, Object> status = o.status();
    if (status.get("failure") instanceof Map<?, ?> f) {
      Stage stage = Stage.valueOf(String.valueOf(f.get("stage")));
      String reason = String.valueOf(f.get("reason"));
      observer.failed(stage, reason, String.valueOf(f.get("message")), hint(reason));
      return;
    }
    if (Boolean.TRUE.equals(status.get("ready"))) {
      Stage last =
          "Passed".equals(status.get("probe"))
              ? Stage.PROBE
              : "Connected".equals(status.get("guest")) ? Stage.GUEST : Stage.NETWORK;
      observer.reached(last, last == Stage.NETWORK ? String.valueOf(status.get("ip")) : "ready");
    } else if ("Connected".equals(status.get("guest"))) {
      observer.reached(Stage.GUEST, "guest ready");
    } else if (status.get("ip") != null) {
      observer.reached(Stage.NETWORK, String.valueOf(status.get("ip")));
    } else if ("Running".equals(status.get("phase"))) {
      observer.reached(Stage.RUNNING, "");
    } else if ("Scheduled".equals(status.get("phase"))) {
      observer.reached(Stage.SCHEDULED, "on " + status.get("node"));
    }
  }

  private static String hint(String reason) {
    switch (reason) {
      case "ErrImagePull":
      case "ImagePullBackOff":
        return "check the image name and that its registry is reachable from the platform";
      case "Unschedulable":
        return "check that the platform has room for the workload's CPU and memory";
      default:
        return "see the platform's message";
    }
  }

  @Override
  public WorkloadDetails describe(String workload) {
    Optional<InMemoryObject> found =
        platform.get(kinds.getOrDefault(workload, "Container"), labId, workload);
    if (found.isEmpty()) {
      return new WorkloadDetails(WorkloadStatus.DELETED, "NotFound", null, Map.of(), List.of());
    }
    InMemoryObject o = found.get();
    Map<String, Object> status = o.status();
    WorkloadStatus portable =
        o.terminating()
            ? WorkloadStatus.DELETING
            : "Failed".equals(status.get("phase"))
                ? WorkloadStatus.FAILED
                : Boolean.TRUE.equals(status.get("ready"))
                    ? WorkloadStatus.READY
                    : WorkloadStatus.PROVISIONING;
    List<String> diagnostics = new ArrayList<>();
    status.forEach((k, v) -> diagnostics.add("status." + k + ": " + v));
    List<String> logs = platform.logs(labId, workload);
    logs.subList(Math.max(0, logs.size() - 10), logs.size())
        .forEach(l -> diagnostics.add("log: " + l));
    Map<Integer, Integer> ports = new HashMap<>();
    if (o.spec().get("ports") instanceof List<?> list) {
      list.forEach(p -> ports.put(((Number) p).intValue(), ((Number) p).intValue()));
    }
    Object ip = status.get("ip");
    return new WorkloadDetails(
        portable,
        String.valueOf(status.get("backendStatus")),
        ip == null ? null : ip.toString(),
        ports,
        diagnostics);
  }

  @Override
  public Optional<WorkloadAccess> access(String workload) {
    return Optional.of(new Access(workload));
  }

  @Override
  public void destroy(Duration timeout) {
    release();
    deleteAndWait(platform, labId, timeout);
  }

  @Override
  public void release() {
    AutoCloseable w = watch;
    watch = null;
    if (w != null) {
      try {
        w.close();
      } catch (Exception e) {
        // closing an in-memory watch cannot fail
      }
    }
  }

  /** Deletes a lab's objects and waits, watching, until the platform reports them gone. */
  static void deleteAndWait(InMemoryPlatform platform, String labId, Duration timeout) {
    Object gone = new Object();
    AutoCloseable deletions =
        platform.watch(
            labId,
            o -> {
              synchronized (gone) {
                gone.notifyAll();
              }
            });
    try {
      try {
        platform.deleteLab(labId);
      } catch (InMemoryApiException e) {
        throw InMemoryBackend.error("delete lab " + labId, e);
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      Map<String, String> selector = Map.of(Ownership.LAB_ID_KEY, labId);
      while (true) {
        List<InMemoryObject> left;
        synchronized (gone) {
          left = platform.list(selector);
          if (left.isEmpty()) {
            return;
          }
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          gone.wait(Math.max(1, Math.min(Duration.ofNanos(wait).toMillis(), 1000)));
        }
      }
      throw new BackendException(
          InMemoryBackendProvider.ID,
          "delete lab " + labId,
          -1,
          "Timeout",
          "objects still present after "
              + timeout
              + ": "
              + platform.list(Map.of(Ownership.LAB_ID_KEY, labId)),
          "raise convergence.teardown.timeout",
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(
          InMemoryBackendProvider.ID,
          "delete lab " + labId,
          -1,
          "Interrupted",
          "interrupted while waiting for the lab's objects to disappear",
          "",
          e);
    } finally {
      try {
        deletions.close();
      } catch (Exception e) {
        // closing an in-memory watch cannot fail
      }
    }
  }

  @Override
  public List<String> remainingObjects() {
    return platform.list(Map.of(Ownership.LAB_ID_KEY, labId)).stream()
        .map(InMemoryObject::ref)
        .sorted()
        .toList();
  }

  @Override
  public <T> Optional<T> capability(Class<T> type) {
    if (type == Snapshots.class) {
      return Optional.of(type.cast(new InMemorySnapshots()));
    }
    return Optional.empty();
  }

  /** Exec, logs and loopback endpoints of one workload. */
  private final class Access implements WorkloadAccess {
    private final String workload;
    private final Map<Integer, ServerSocket> listeners = new ConcurrentHashMap<>();

    Access(String workload) {
      this.workload = workload;
    }

    @Override
    public ExecResult exec(List<String> command) {
      if (!"Container".equals(kinds.get(workload))) {
        throw new UnsupportedOperationException(
            "the in-memory platform runs no guest commands in VMs; " + workload + " is a VM");
      }
      return call("exec in " + workload, () -> platform.exec(labId, workload, command));
    }

    @Override
    public String logs() {
      return String.join("\n", call("logs of " + workload, () -> platform.logs(labId, workload)))
          + "\n";
    }

    /**
     * A listener on the loopback interface standing in for the workload's port: it accepts
     * connections and closes them, as a port-forward to a service that hangs up would.
     */
    @Override
    public Endpoint endpoint(int port) {
      ServerSocket socket =
          listeners.computeIfAbsent(
              port,
              p -> {
                try {
                  ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                  Thread t =
                      new Thread(() -> acceptLoop(s), "inmemory-endpoint-" + workload + "-" + p);
                  t.setDaemon(true);
                  t.start();
                  return s;
                } catch (IOException e) {
                  throw new UncheckedIOException(
                      "cannot open a loopback endpoint for " + workload + ":" + p, e);
                }
              });
      return new Endpoint(socket.getInetAddress().getHostAddress(), socket.getLocalPort());
    }

    private void acceptLoop(ServerSocket s) {
      while (!s.isClosed()) {
        try (Socket c = s.accept()) {
          // accepted and closed
        } catch (IOException e) {
          return;
        }
      }
    }

    @Override
    public void close() {
      for (ServerSocket s : listeners.values()) {
        try {
          s.close();
        } catch (IOException e) {
          // already closed
        }
      }
      listeners.clear();
    }
  }

  private static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (InMemoryApiException e) {
      throw InMemoryBackend.error(operation, e);
    }
  }

  /** Snapshots of the lab's VMs, stored as Snapshot objects owned by the lab. */
  private final class InMemorySnapshots implements Snapshots {
    @Override
    public void snapshot(String workload, String snapshot) {
      requireVm(workload);
      Map<String, String> labels = new HashMap<>(plan.ownership().labels());
      labels.put(Ownership.WORKLOAD_KEY, workload);
      call(
          "snapshot " + workload,
          () ->
              platform.create(
                  "Snapshot", workload + "." + snapshot, labels, Map.of("vm", workload)));
    }

    @Override
    public void revert(String workload, String snapshot) {
      requireVm(workload);
      if (platform.get("Snapshot", labId, workload + "." + snapshot).isEmpty()) {
        throw new IllegalArgumentException(
            "VM " + workload + " has no snapshot '" + snapshot + "'; snapshots: " + list(workload));
      }
    }

    @Override
    public List<String> list(String workload) {
      return platform
          .list(Map.of(Ownership.LAB_ID_KEY, labId, Ownership.WORKLOAD_KEY, workload))
          .stream()
          .filter(o -> o.kind().equals("Snapshot"))
          .map(o -> o.name().substring(workload.length() + 1))
          .sorted()
          .toList();
    }

    private void requireVm(String workload) {
      if (!"VirtualMachine".equals(kinds.get(workload))) {
        throw new IllegalArgumentException(workload + " is not a VM of lab " + labId);
      }
    }
  }
}
