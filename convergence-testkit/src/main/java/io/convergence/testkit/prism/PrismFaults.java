package io.convergence.testkit.prism;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.prism.Envelopes.AppMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Faults injected into a {@link FakePrismCentral}, scriptable while it runs. Thread-safe; every
 * fault applies from the next request or task and is removed by {@link #clear()}.
 *
 * <p>Request faults match an HTTP method ({@code GET}, {@code POST}, ..., or {@code *}) and a glob
 * on the decoded request path without its query: {@code *} matches within one segment, {@code **}
 * across segments. They are checked before authentication, in the order they were added, and each
 * matching request consumes one of its {@code times}:
 *
 * <pre>{@code
 * pc.faults()
 *     .respond("POST", "/api/vmm/v4.0/ahv/config/vms", 2, 503)     // the next two creates
 *     .rateLimit("GET", "/api/prism/**", 1, Duration.ofSeconds(1))  // 429 + Retry-After: 1
 *     .failNextTask("PowerOnVm", "VMM-30100", "VM_POWER_ON_FAILED", "no host has room")
 *     .stallTasks("DeleteVm")                                      // RUNNING until cleared
 *     .racingWriter(2);                                            // two 412s, then success
 * }</pre>
 *
 * <p>Error bodies follow the namespace of the path ({@code vmm}, {@code prism}, ...) and the wire
 * contract's table: 401 is HTML; 403 {@code <NS>-10403 ACCESS_DENIED}; 404 {@code <NS>-20005
 * ENTITY_NOT_FOUND}; 409 {@code VMM-30700 VM_OPERATION_CONFLICT} (other namespaces {@code
 * <NS>-30700 OPERATION_CONFLICT}); 412 {@code VMM-30303 VM_ETAG_MISMATCH}; 422 {@code <NS>-20010
 * INVALID_REFERENCE}; 429 {@code PLAT-10429 RATE_LIMIT_EXCEEDED} with {@code Retry-After}; 500
 * {@code <NS>-10500 INTERNAL_ERROR}; 502, 503 and 504 the gateway's {@code PLAT-10502 BAD_GATEWAY},
 * {@code PLAT-10503 SERVICE_UNAVAILABLE} and {@code PLAT-10504 GATEWAY_TIMEOUT}.
 *
 * @since 0.1.0
 */
public final class PrismFaults {

  /**
   * Matches any operation in {@link #failNextTask}, {@link #failTasks}, {@link #slowTasks} and
   * {@link #stallTasks}.
   */
  public static final String ANY_OPERATION = "*";

  enum Kind {
    RESPOND,
    DROP,
    DELAY
  }

  /** One scripted request fault; {@code remaining} counts down. */
  record RequestRule(
      Glob glob,
      AtomicInteger remaining,
      Kind kind,
      int status,
      @Nullable AppMessage message,
      @Nullable Duration retryAfter,
      Duration delay) {

    boolean take(String method, String path) {
      if (!glob.matches(method, path)) {
        return false;
      }
      return remaining.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0;
    }
  }

  private record TaskRule(String operation, AtomicInteger remaining, AppMessage message) {}

  private record RaceRule(@Nullable String vmExtId, AtomicInteger remaining) {}

  private final List<RequestRule> requests = new CopyOnWriteArrayList<>();
  private final List<TaskRule> tasks = new CopyOnWriteArrayList<>();
  private final Map<String, Duration> slow = new ConcurrentHashMap<>();
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final Set<String> noBoot = ConcurrentHashMap.newKeySet();
  private static final String ANY_VM = "*";
  private final List<RaceRule> races = new CopyOnWriteArrayList<>();

  PrismFaults() {}

  // ------------------------------------------------------------------ request faults

  /**
   * Answers the next {@code times} matching requests with {@code status} and the platform's default
   * error body for it (see the class documentation).
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob, e.g. {@code /api/vmm/v4.0/ahv/config/vms/*}
   * @param times how many requests, at least 1
   * @param status an HTTP error status, 400 to 599
   * @return these faults
   */
  public PrismFaults respond(String method, String pathGlob, int times, int status) {
    return add(method, pathGlob, times, Kind.RESPOND, status, null, null, Duration.ZERO);
  }

  /**
   * Answers the next {@code times} matching requests with {@code status} and an error body carrying
   * this code, error group and message (ignored for 401, whose body is never JSON).
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @param times how many requests, at least 1
   * @param status an HTTP error status, 400 to 599
   * @param code e.g. {@code VMM-30700}
   * @param errorGroup e.g. {@code VM_OPERATION_CONFLICT}
   * @param message the message
   * @return these faults
   */
  public PrismFaults respond(
      String method,
      String pathGlob,
      int times,
      int status,
      String code,
      String errorGroup,
      String message) {
    AppMessage m = new AppMessage(code, errorGroup, message);
    return add(method, pathGlob, times, Kind.RESPOND, status, m, null, Duration.ZERO);
  }

  /**
   * Answers the next {@code times} matching requests with 401 and a non-JSON (HTML) body, as the
   * gateway does for a bad or expired session.
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @param times how many requests, at least 1
   * @return these faults
   */
  public PrismFaults unauthorized(String method, String pathGlob, int times) {
    return respond(method, pathGlob, times, 401);
  }

  /**
   * Answers the next {@code times} matching requests with 429 {@code PLAT-10429
   * RATE_LIMIT_EXCEEDED} and {@code Retry-After} (whole seconds, rounded up).
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @param times how many requests, at least 1
   * @param retryAfter the delay announced in {@code Retry-After}
   * @return these faults
   */
  public PrismFaults rateLimit(String method, String pathGlob, int times, Duration retryAfter) {
    requireNonNull(retryAfter, "retryAfter");
    return add(method, pathGlob, times, Kind.RESPOND, 429, null, retryAfter, Duration.ZERO);
  }

  /**
   * Closes the connection of the next {@code times} matching requests without any response.
   *
   * <p>Note that {@code java.net.http.HttpClient} silently retries an idempotent request (GET) once
   * when the server closes the connection before answering.
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @param times how many requests, at least 1
   * @return these faults
   */
  public PrismFaults dropConnection(String method, String pathGlob, int times) {
    return add(method, pathGlob, times, Kind.DROP, 0, null, null, Duration.ZERO);
  }

  /**
   * Delays the next {@code times} matching requests by {@code delay} before they are handled
   * (normally, or by a later fault). {@link FakePrismCentral#close()} cuts a delay short.
   *
   * @param method the HTTP method, or {@code *}
   * @param pathGlob the path glob
   * @param times how many requests, at least 1
   * @param delay how long
   * @return these faults
   */
  public PrismFaults delay(String method, String pathGlob, int times, Duration delay) {
    requireNonNull(delay, "delay");
    return add(method, pathGlob, times, Kind.DELAY, 0, null, null, delay);
  }

  private PrismFaults add(
      String method,
      String pathGlob,
      int times,
      Kind kind,
      int status,
      @Nullable AppMessage message,
      @Nullable Duration retryAfter,
      Duration delay) {
    requireNonNull(method, "method");
    requireNonNull(pathGlob, "pathGlob");
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1: " + times);
    }
    if (kind == Kind.RESPOND && (status < 400 || status > 599)) {
      throw new IllegalArgumentException("status must be 400..599: " + status);
    }
    requests.add(
        new RequestRule(
            new Glob(method, pathGlob),
            new AtomicInteger(times),
            kind,
            status,
            message,
            retryAfter,
            delay));
    return this;
  }

  /**
   * How many scripted request faults have not been consumed yet, over all rules.
   *
   * @return the count
   */
  public int pendingRequestFaults() {
    int n = 0;
    for (RequestRule r : requests) {
      n += Math.max(0, r.remaining().get());
    }
    return n;
  }

  // ------------------------------------------------------------------ task faults

  /**
   * Makes the next task of {@code operation} end {@code FAILED} with this error in its {@code
   * errorMessages}; the entity is not created or changed.
   *
   * @param operation a task operation ({@code CreateVm}, {@code PowerOnVm}, ...) or {@value
   *     #ANY_OPERATION}
   * @param code e.g. {@code VMM-30100}
   * @param errorGroup e.g. {@code VM_POWER_ON_FAILED}
   * @param message the message
   * @return these faults
   */
  public PrismFaults failNextTask(
      String operation, String code, String errorGroup, String message) {
    return failTasks(operation, 1, code, errorGroup, message);
  }

  /**
   * Makes the next {@code times} tasks of {@code operation} end {@code FAILED} with this error.
   *
   * @param operation a task operation or {@value #ANY_OPERATION}
   * @param times how many tasks, at least 1
   * @param code the error code
   * @param errorGroup the error group
   * @param message the message
   * @return these faults
   */
  public PrismFaults failTasks(
      String operation, int times, String code, String errorGroup, String message) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1: " + times);
    }
    tasks.add(
        new TaskRule(
            requireNonNull(operation, "operation"),
            new AtomicInteger(times),
            new AppMessage(code, errorGroup, message)));
    return this;
  }

  /**
   * Makes every step of the tasks of {@code operation} (queued to running, progress, completion)
   * take {@code stepDelay} instead of the configured task step delay, until cleared.
   *
   * @param operation a task operation or {@value #ANY_OPERATION}
   * @param stepDelay the delay of each step
   * @return these faults
   */
  public PrismFaults slowTasks(String operation, Duration stepDelay) {
    slow.put(requireNonNull(operation, "operation"), requireNonNull(stepDelay, "stepDelay"));
    return this;
  }

  /**
   * Stalls the tasks of {@code operation}: they still go {@code RUNNING} but make no more progress
   * until this fault is cleared, as a Prism Central task stuck behind a busy host does.
   *
   * @param operation a task operation or {@value #ANY_OPERATION}
   * @return these faults
   */
  public PrismFaults stallTasks(String operation) {
    stalled.add(requireNonNull(operation, "operation"));
    return this;
  }

  // ------------------------------------------------------------------ guests

  /**
   * No guest boots until this fault is cleared: powered-on VMs stay without learned addresses and
   * with unreachable guest tools (a guest stuck in its boot, a DHCP server that never answers).
   * Once cleared, pending boots complete.
   *
   * @return these faults
   */
  public PrismFaults guestNeverBoots() {
    noBoot.add(ANY_VM);
    return this;
  }

  /**
   * The guest of this VM does not boot until this fault is cleared, as {@link #guestNeverBoots()}.
   *
   * @param vmExtId the VM's extId
   * @return these faults
   */
  public PrismFaults guestNeverBoots(String vmExtId) {
    noBoot.add(requireNonNull(vmExtId, "vmExtId"));
    return this;
  }

  // ------------------------------------------------------------------ racing writer

  /**
   * A racing writer on every VM: the next {@code times} mutations of a VM that carry {@code
   * If-Match} find that another writer changed the VM (a new ETag) between the client's read and
   * its write, and get 412 {@code VMM-30303 VM_ETAG_MISMATCH}. A client that re-reads and retries
   * succeeds after {@code times} conflicts.
   *
   * @param times how many mutations, at least 1
   * @return these faults
   */
  public PrismFaults racingWriter(int times) {
    return addRace(null, times);
  }

  /**
   * A racing writer on one VM, as {@link #racingWriter(int)}.
   *
   * @param vmExtId the VM's extId
   * @param times how many mutations, at least 1
   * @return these faults
   */
  public PrismFaults racingWriter(String vmExtId, int times) {
    return addRace(requireNonNull(vmExtId, "vmExtId"), times);
  }

  private PrismFaults addRace(@Nullable String vmExtId, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be >= 1: " + times);
    }
    races.add(new RaceRule(vmExtId, new AtomicInteger(times)));
    return this;
  }

  /**
   * Removes every fault, consumed or not.
   *
   * @return these faults, empty
   */
  public PrismFaults clear() {
    requests.clear();
    tasks.clear();
    slow.clear();
    stalled.clear();
    noBoot.clear();
    races.clear();
    return this;
  }

  // ------------------------------------------------------------------ queries (for the server)

  /** The delay rules matching a request, each consumed once. */
  List<RequestRule> takeDelays(String method, String path) {
    List<RequestRule> out = new ArrayList<>();
    for (RequestRule r : requests) {
      if (r.kind() == Kind.DELAY && r.take(method, path)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The first response or drop rule matching a request, consumed once. */
  Optional<RequestRule> takeResponse(String method, String path) {
    for (RequestRule r : requests) {
      if (r.kind() != Kind.DELAY && r.take(method, path)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The failure scripted for the next task of an operation, consumed. */
  Optional<AppMessage> takeTaskFailure(String operation) {
    for (TaskRule r : tasks) {
      if ((r.operation().equals(operation) || r.operation().equals(ANY_OPERATION))
          && r.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
        return Optional.of(r.message());
      }
    }
    return Optional.empty();
  }

  /** The step delay scripted for an operation's tasks. */
  Optional<Duration> taskStepDelay(String operation) {
    Duration d = slow.get(operation);
    return Optional.ofNullable(d != null ? d : slow.get(ANY_OPERATION));
  }

  /** Whether the tasks of an operation are stalled. */
  boolean stalled(String operation) {
    return stalled.contains(operation) || stalled.contains(ANY_OPERATION);
  }

  /** Whether the guest of this VM must not boot yet. */
  boolean bootBlocked(String vmExtId) {
    return noBoot.contains(vmExtId) || noBoot.contains(ANY_VM);
  }

  /** Whether a racing writer changes this VM before the current mutation; consumes one race. */
  boolean takeRace(String vmExtId) {
    for (RaceRule r : races) {
      if ((r.vmExtId() == null || r.vmExtId().equals(vmExtId))
          && r.remaining().getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
        return true;
      }
    }
    return false;
  }
}
