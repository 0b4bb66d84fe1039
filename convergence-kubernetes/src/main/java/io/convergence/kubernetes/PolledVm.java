package io.convergence.kubernetes;

import static java.util.Objects.requireNonNull;

import io.convergence.BackendException;
import io.convergence.WorkloadStatus;
import io.convergence.spec.Probe;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadDetails;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM of a lab on a platform the SDK polls (a vCenter clone, a Prism Central VM): what the
 * driver knows of it (phase, power state, address, notes, failure) and its poll loop. The loop
 * starts when the runtime observes the VM, runs on the lab's {@link LabSteps}, reads the VM with
 * backoff ({@value #FIRST_POLL_MILLIS} ms, growing 1.5 times up to {@value #MAX_POLL_MILLIS} ms,
 * back to the start after each new stage) and stops at the final stage or a failure. Before the VM
 * exists it looks again without a request.
 *
 * @since 0.1.0
 */
public final class PolledVm {

  /** The first pause between polls, and the pause after each new stage: {@value} ms. */
  public static final long FIRST_POLL_MILLIS = 200;

  /** The longest pause between polls: {@value} ms. */
  public static final long MAX_POLL_MILLIS = 5000;

  private static final Logger log = LoggerFactory.getLogger(PolledVm.class);

  /** Reads a VM's progress once. */
  @FunctionalInterface
  public interface Reader {
    /**
     * What the VM shows now.
     *
     * @param vm the VM
     * @return its observation (a failure when it is gone), or empty while it does not exist yet
     * @throws BackendException when the read failed; the poll keeps the last observation and reads
     *     again after its pause
     */
    Optional<Observation> read(PolledVm vm);
  }

  private final String workload;
  private final VmSpec spec;
  private final Stage finalStage;
  private final LabSteps steps;
  private final Reader reader;
  private final AtomicBoolean polling = new AtomicBoolean();
  private final List<String> notes = new CopyOnWriteArrayList<>();
  private volatile String phase;
  private volatile Observation.@Nullable Failure failure;
  private volatile @Nullable StageObserver observer;
  private volatile @Nullable Stage reported;
  private volatile Observation last = Observation.NOTHING;
  private volatile @Nullable String power;
  private volatile @Nullable String ip;
  private long pause = FIRST_POLL_MILLIS;

  /**
   * A VM not made yet.
   *
   * @param workload its workload's name
   * @param spec its spec
   * @param finalStage the stage at which it is ready
   * @param steps the lab's steps, where the polls run
   * @param reader reads the VM
   * @param phase what the driver does with it first, e.g. {@code waiting to clone}
   */
  public PolledVm(
      String workload, VmSpec spec, Stage finalStage, LabSteps steps, Reader reader, String phase) {
    this.workload = requireNonNull(workload, "workload");
    this.spec = requireNonNull(spec, "spec");
    this.finalStage = requireNonNull(finalStage, "finalStage");
    this.steps = requireNonNull(steps, "steps");
    this.reader = requireNonNull(reader, "reader");
    this.phase = requireNonNull(phase, "phase");
  }

  /**
   * The workload's name.
   *
   * @return the name
   */
  public String workload() {
    return workload;
  }

  /**
   * The VM's spec.
   *
   * @return the spec
   */
  public VmSpec spec() {
    return spec;
  }

  /**
   * Records what the driver is doing with the VM, for {@link #details}.
   *
   * @param phase e.g. {@code powering on}
   */
  public void phase(String phase) {
    this.phase = requireNonNull(phase, "phase");
  }

  /**
   * Adds a line to the VM's details.
   *
   * @param note the line
   */
  public void note(String note) {
    notes.add(note);
  }

  /**
   * Records the power state and address last read, for {@link #details}.
   *
   * @param power the platform's power state, or null
   * @param ip the guest's address, or null
   */
  public void seen(@Nullable String power, @Nullable String ip) {
    this.power = power;
    this.ip = ip == null || ip.isEmpty() ? null : ip;
  }

  /**
   * Marks the VM failed; the poll loop reports it.
   *
   * @param stage the stage it did not reach
   * @param reason the platform's reason
   * @param message the platform's message
   * @param hint what to check next, or empty
   */
  public void fail(Stage stage, String reason, String message, String hint) {
    log.debug("{} failed at {}: {} {}", workload, stage, reason, message);
    phase = "failed: " + reason;
    failure = new Observation.Failure(stage, reason, message, hint);
  }

  /**
   * Starts the poll loop (once) that reports to this observer.
   *
   * @param observer the runtime's observer of the VM
   */
  public void observe(StageObserver observer) {
    this.observer = requireNonNull(observer, "observer");
    if (polling.compareAndSet(false, true)) {
      steps.runAfter(0, this::poll);
    }
  }

  private void poll() {
    synchronized (this) {
      pollLocked();
    }
  }

  private void pollLocked() {
    StageObserver o = observer;
    Observation.Failure f = failure;
    if (f != null) {
      if (o != null && reported != f.stage()) {
        reported = f.stage();
        o.failed(f.stage(), f.reason(), f.message(), f.hint());
      }
      return;
    }
    Observation now;
    try {
      Optional<Observation> read = reader.read(this);
      if (read.isEmpty()) {
        steps.runAfter(FIRST_POLL_MILLIS, this::poll); // not made yet: look again soon
        return;
      }
      now = read.get();
    } catch (BackendException e) {
      log.debug("poll of {} failed, retrying: {}", workload, e.getMessage());
      now = last;
    } catch (RuntimeException e) {
      fail(
          Stage.RUNNING,
          e.getClass().getSimpleName(),
          String.valueOf(e.getMessage()),
          "reading the VM failed unexpectedly; this looks like a bug, the log has the details");
      log.warn("poll of {} failed", workload, e);
      steps.runAfter(0, this::poll);
      return;
    }
    last = now;
    if (o != null) {
      if (now.failure() != null) {
        now.reportTo(o);
        return;
      }
      if (now.reached() != null && now.reached() != reported) {
        reported = now.reached();
        pause = FIRST_POLL_MILLIS;
        now.reportTo(o);
      }
      if (now.reached() == finalStage) {
        return;
      }
    }
    long p = pause;
    pause = Math.min(MAX_POLL_MILLIS, p + p / 2);
    steps.runAfter(p, this::poll);
  }

  /**
   * The VM's details for the runtime.
   *
   * @param exists whether the VM exists on the platform yet
   * @param head the first line, e.g. {@code AHV VM tester-1a2b (extId)}
   * @param powerName the platform's name of the power state, e.g. {@code powerState}
   * @param ipName the platform's name of the address, e.g. {@code guest.ipAddress}
   * @return the details: status, phase or power state, address, exposed ports, lines
   */
  public WorkloadDetails details(boolean exists, String head, String powerName, String ipName) {
    Observation.Failure f = failure;
    WorkloadStatus status =
        f != null
            ? WorkloadStatus.FAILED
            : !exists
                ? WorkloadStatus.PENDING
                : last.reached() == finalStage ? WorkloadStatus.READY : WorkloadStatus.PROVISIONING;
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    spec.ports().forEach(p -> ports.put(p.number(), p.number()));
    List<String> lines = new ArrayList<>();
    lines.add(
        head
            + ": "
            + phase
            + (power == null ? "" : ", " + powerName + " " + power)
            + (ip == null ? "" : ", " + ipName + " " + ip));
    lines.addAll(notes);
    if (f != null) {
      lines.add(
          "failed at "
              + f.stage()
              + ": "
              + f.reason()
              + " "
              + f.message()
              + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")"));
    }
    String p = power;
    return new WorkloadDetails(status, p == null ? phase : p, ip, ports, lines);
  }

  /**
   * Whether every TCP, SSH and WinRM probe of the VM connects to the guest's address (1 s each).
   *
   * @param spec the VM's spec
   * @param ip the guest's address
   * @return whether all connect
   */
  public static boolean tcpProbesPass(VmSpec spec, String ip) {
    for (Probe p : spec.readiness().probes()) {
      int port =
          p instanceof Probe.Tcp t
              ? t.port()
              : p instanceof Probe.Ssh ssh
                  ? ssh.port()
                  : p instanceof Probe.WinRm w ? w.port() : -1;
      if (port > 0) {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(ip, port), 1000);
        } catch (IOException e) {
          return false;
        }
      }
    }
    return true;
  }
}
