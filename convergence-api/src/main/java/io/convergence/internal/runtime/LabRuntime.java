package io.convergence.internal.runtime;

import io.convergence.BackendException;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.InvalidLabSpecException;
import io.convergence.Lab;
import io.convergence.Ownership;
import io.convergence.ProvisioningException;
import io.convergence.StartOptions;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.TeardownException;
import io.convergence.WorkloadFailure;
import io.convergence.codec.LabSpecCodec;
import io.convergence.config.ConvergenceConfig;
import io.convergence.event.LabEvent;
import io.convergence.event.LabListener;
import io.convergence.plan.Plan;
import io.convergence.spec.DurationText;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.Backend;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.LabDriver;
import io.convergence.spi.PlanRequest;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.WorkloadDetails;
import io.convergence.spi.WorkloadRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Plans and starts labs on one backend: validate, read secrets, check features, plan, then apply
 * the plan with independent workloads in parallel and dependents after their prerequisites are
 * ready, each workload timed stage by stage; on any failure, roll back everything the lab created
 * (unless asked to keep it) and say what happened.
 */
public final class LabRuntime {

  static final String LAB_FAILURE_KEY = "(lab)";
  private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Backend backend;
  private final ConvergenceConfig config;
  private final Clock clock;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final List<LabListener> listeners;
  private final String runId;
  private final String owner;
  private final SpecMaterializer materializer;
  private final LabSpecCodec codec;
  private final Duration teardownTimeout;
  private final int teardownAttempts;
  private final Duration teardownBackoff;
  private final Duration diagnosticsTimeout;

  /**
   * Creates a runtime.
   *
   * @param backend the backend
   * @param config the whole configuration
   * @param clock the clock
   * @param workers runs blocking backend calls; its size bounds how many run at once
   * @param scheduler runs stage timers
   * @param listeners listeners of every lab
   * @param runId this run's id
   * @param owner the owner stamped on labs
   * @param environment environment variables, for secrets
   */
  public LabRuntime(
      Backend backend,
      ConvergenceConfig config,
      Clock clock,
      ExecutorService workers,
      ScheduledExecutorService scheduler,
      List<LabListener> listeners,
      String runId,
      String owner,
      Function<String, String> environment) {
    this.backend = backend;
    this.config = config;
    this.clock = clock;
    this.workers = workers;
    this.scheduler = scheduler;
    this.listeners = List.copyOf(listeners);
    this.runId = runId;
    this.owner = owner;
    this.materializer = new SpecMaterializer(environment);
    this.codec = LabSpecCodec.create();
    this.teardownTimeout = config.getDuration("teardown.timeout", Duration.ofMinutes(5));
    this.teardownAttempts = Math.max(1, config.getInt("teardown.attempts", 3));
    this.teardownBackoff = config.getDuration("teardown.backoff", Duration.ofSeconds(1));
    this.diagnosticsTimeout = config.getDuration("diagnostics.timeout", Duration.ofSeconds(20));
  }

  /** What a lab would be, without creating anything. */
  public Plan plan(LabSpec spec) {
    return prepare(spec).plan();
  }

  /** Starts a lab and waits until every workload is ready. */
  public Lab start(LabSpec spec, StartOptions options) {
    if (options.reuse()) {
      return startReusable(spec, options);
    }
    Prepared prepared = prepare(spec);
    return new Run(prepared, options, events(prepared, options)).execute();
  }

  private EventBus events(Prepared prepared, StartOptions options) {
    List<LabListener> all = new ArrayList<>(listeners);
    all.addAll(options.listeners());
    return new EventBus(prepared.ownership().labId(), clock, all, prepared.redactor());
  }

  /**
   * Starts a reusable lab: its id follows from its name and spec hash, its run id is {@link
   * Ownership#REUSE_RUN_ID}. A running lab of that id (same owner) with enough TTL left is adopted;
   * reusable labs of the same name and owner with another spec, or about to expire, are removed
   * first.
   */
  private Lab startReusable(LabSpec spec, StartOptions options) {
    String hash = codec.specHash(spec);
    Ownership fresh =
        new Ownership(
            reusableLabId(spec.name(), hash),
            spec.name(),
            Ownership.REUSE_RUN_ID,
            hash,
            owner,
            clock.instant().plus(spec.ttl()));
    Prepared prepared = prepare(spec, fresh); // validates before any remote call
    Instant now = clock.instant();
    Duration minRemaining =
        min(
            config.getDuration("reuse.min-remaining", Duration.ofMinutes(15)),
            spec.ttl().dividedBy(2));
    Ownership adopted = null;
    List<String> superseded = new ArrayList<>();
    for (SweepReport.SweptLab found :
        backend.sweep(SweepRequest.owner(owner).dryRun(), now).labs()) {
      Ownership o = found.ownership();
      if (!o.reusable() || !o.labName().equals(spec.name()) || !o.owner().equals(owner)) {
        continue;
      }
      if (o.labId().equals(fresh.labId())
          && o.specHash().equals(hash)
          && o.expiresAt().isAfter(now.plus(minRemaining))) {
        adopted = o;
      } else {
        backend.sweep(SweepRequest.lab(o.labId()), now);
        superseded.add(
            o.labId()
                + (o.labId().equals(fresh.labId())
                    ? " (expires at " + o.expiresAt() + ", too soon to reuse)"
                    : " (spec " + o.specHash() + ")"));
      }
    }
    if (adopted != null) {
      prepared = prepare(spec, adopted);
    }
    EventBus events = events(prepared, options);
    for (String s : superseded) {
      events.lab(LabEvent.Type.LAB_SUPERSEDED, "removed superseded reusable lab " + s);
    }
    if (adopted != null) {
      events.lab(
          LabEvent.Type.LAB_REUSED,
          "reusing lab " + adopted.labId() + " (expires at " + adopted.expiresAt() + ")");
    }
    return new Run(prepared, options, events).execute();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A reusable lab's id: its name and the start of its spec hash. */
  static String reusableLabId(String name, String specHash) {
    return name + "-" + specHash.substring(0, Math.min(6, specHash.length()));
  }

  private record Prepared(
      LabSpec spec,
      LabSpec materialized,
      Ownership ownership,
      BackendPlan backendPlan,
      Plan plan,
      Redactor redactor) {}

  private Prepared prepare(LabSpec spec) {
    return prepare(spec, null);
  }

  private Prepared prepare(LabSpec spec, @Nullable Ownership given) {
    List<SpecProblem> problems = spec.validate();
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), problems);
    }
    List<SpecProblem> secretProblems = new ArrayList<>();
    LabSpec materialized = materializer.materialize(spec, secretProblems);
    if (secretProblems.isEmpty()) {
      secretProblems.addAll(materialized.validate());
    }
    if (!secretProblems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), secretProblems);
    }
    List<SpecProblem> featureProblems =
        FeatureCheck.check(materialized, backend.id(), backend.features());
    if (!featureProblems.isEmpty()) {
      throw new InvalidLabSpecException(spec.name(), featureProblems, backend.id());
    }
    Ownership ownership =
        given != null
            ? given
            : new Ownership(
                newLabId(spec.name()),
                spec.name(),
                runId,
                codec.specHash(spec),
                owner,
                clock.instant().plus(spec.ttl()));
    BackendPlan backendPlan = backend.plan(new PlanRequest(materialized, ownership));
    for (String name : spec.workloadNames()) {
      if (backendPlan.workload(name).isEmpty()) {
        throw new IllegalStateException(
            "backend " + backend.id() + " did not plan workload " + name);
      }
    }
    Redactor redactor = Redactor.of(materialized, config);
    Plan plan = PlanAssembler.assemble(backendPlan, backend.id(), redactor);
    return new Prepared(spec, materialized, ownership, backendPlan, plan, redactor);
  }

  static String newLabId(String name) {
    StringBuilder s = new StringBuilder(name).append('-');
    for (int i = 0; i < 6; i++) {
      s.append(ID_ALPHABET.charAt(RANDOM.nextInt(ID_ALPHABET.length())));
    }
    return s.toString();
  }

  /** One lab being started. */
  private final class Run {
    private final Prepared prepared;
    private final StartOptions options;
    private final EventBus events;
    private final LabDriver driver;
    private final DefaultLab lab;
    private final Map<String, WorkloadProgress> progress = new ConcurrentHashMap<>();
    private final Map<String, WorkloadDetails> readyDetails = new ConcurrentHashMap<>();
    private final Map<String, WorkloadSpec> resolvedSpecs = new ConcurrentHashMap<>();
    private final List<String> created = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<Void>> createCalls =
        Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean aborting = new AtomicBoolean();
    private final CompletableFuture<Throwable> firstFailure = new CompletableFuture<>();

    Run(Prepared prepared, StartOptions options, EventBus events) {
      this.prepared = prepared;
      this.options = options;
      this.events = events;
      this.driver = backend.open(prepared.backendPlan());
      this.lab =
          new DefaultLab(
              prepared.spec(),
              prepared.ownership(),
              backend,
              driver,
              prepared.plan(),
              events,
              prepared.redactor(),
              teardownTimeout,
              teardownAttempts,
              teardownBackoff,
              options.reuse());
    }

    Lab execute() {
      BackendPlan plan = prepared.backendPlan();
      events.lab(
          LabEvent.Type.LAB_PLANNED,
          "planned lab "
              + lab.id()
              + " on "
              + backend.id()
              + ": "
              + plan.workloads().size()
              + " workloads, ttl "
              + DurationText.format(prepared.spec().ttl())
              + ", expires at "
              + prepared.ownership().expiresAt());
      try {
        await(CompletableFuture.runAsync(driver::prepare, workers));
      } catch (RuntimeException e) {
        throw abort(labFailure(e));
      }
      events.lab(LabEvent.Type.LAB_PREPARED, "lab-wide objects of " + lab.id() + " created");

      Map<String, CompletableFuture<WorkloadDetails>> ready = new LinkedHashMap<>();
      Map<String, Set<String>> prerequisites = PlanAssembler.prerequisites(plan);
      for (String name : PlanAssembler.order(plan)) {
        PlannedWorkload w = plan.workload(name).orElseThrow();
        CompletableFuture<?>[] before =
            prerequisites.get(name).stream().map(ready::get).toArray(CompletableFuture[]::new);
        CompletableFuture<WorkloadDetails> f =
            CompletableFuture.allOf(before).thenComposeAsync(v -> launch(w), workers);
        f.whenComplete(
            (d, e) -> {
              if (e != null) {
                firstFailure.complete(e);
              }
            });
        ready.put(name, f);
      }
      CompletableFuture<Void> all =
          CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new));
      try {
        await(CompletableFuture.anyOf(all, firstFailure));
      } catch (RuntimeException e) {
        firstFailure.complete(e);
      }
      if (firstFailure.isDone()) {
        throw abort(null);
      }
      Map<String, DefaultWorkload> handles = new LinkedHashMap<>();
      for (PlannedWorkload w : plan.workloads()) {
        handles.put(
            w.name(),
            new DefaultWorkload(
                w.name(),
                backend.id(),
                resolvedSpecs.get(w.name()),
                driver,
                readyDetails.get(w.name()),
                progress.get(w.name()).timings()));
      }
      lab.ready(handles);
      events.lab(
          LabEvent.Type.LAB_READY,
          "lab " + lab.id() + " ready: " + String.join(", ", handles.keySet()));
      return lab;
    }

    private CompletableFuture<WorkloadDetails> launch(PlannedWorkload w) {
      if (aborting.get()) {
        return CompletableFuture.failedFuture(new CancellationException("lab is failing"));
      }
      WorkloadProgress p =
          new WorkloadProgress(w, scheduler, events, (wp, stage) -> onTimeout(wp, stage));
      progress.put(w.name(), p);
      CompletableFuture<Void> call = new CompletableFuture<>();
      createCalls.add(call);
      try {
        WorkloadSpec resolved = new RefResolver(readyDetails).resolve(w.spec());
        resolvedSpecs.put(w.name(), resolved);
        events.workload(
            LabEvent.Type.WORKLOAD_CREATING, w.name(), null, Duration.ZERO, describe(w));
        p.start();
        driver.create(new WorkloadRequest(w, resolved));
        created.add(w.name());
        p.reached(Stage.CREATED, "");
        driver.observe(w.name(), p);
      } catch (RuntimeException e) {
        p.failed(
            Stage.CREATED,
            reason(e),
            prepared.redactor().scrub(String.valueOf(e.getMessage())),
            hint(e));
      } finally {
        call.complete(null);
      }
      return p.done()
          .thenApplyAsync(
              v -> {
                WorkloadDetails d = driver.describe(w.name());
                readyDetails.put(w.name(), d);
                return d;
              },
              workers);
    }

    private String describe(PlannedWorkload w) {
      String kind = w.spec().kind().name().toLowerCase(java.util.Locale.ROOT);
      return kind + w.optionalAuxiliaryReason().map(r -> " (added: " + r + ")").orElse("");
    }

    private void onTimeout(WorkloadProgress p, Stage stage) {
      p.timedOut(
          stage,
          "did not reach "
              + stage.id()
              + " within "
              + DurationText.format(
                  prepared
                      .backendPlan()
                      .workload(p.name())
                      .orElseThrow()
                      .spec()
                      .readiness()
                      .timeout(stage)));
    }

    /** Waits for a future; an interrupt fails the lab and keeps the flag set. */
    private void await(CompletableFuture<?> f) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CancellationException("interrupted while starting lab " + lab.id());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
      }
    }

    private RuntimeException abort(@Nullable WorkloadFailure labLevel) {
      aborting.set(true);
      Map<String, WorkloadFailure> failures = new LinkedHashMap<>();
      if (labLevel != null) {
        failures.put(LAB_FAILURE_KEY, labLevel);
      }
      for (WorkloadProgress p : progress.values()) {
        p.cancel("lab failing");
      }
      waitForCreateCalls();
      boolean timeout = labLevel == null;
      for (String name : PlanAssembler.order(prepared.backendPlan())) {
        WorkloadProgress p = progress.get(name);
        if (p == null || p.failure() == null) {
          continue;
        }
        List<String> diagnostics = diagnostics(name);
        WorkloadFailure f = p.toWorkloadFailure(diagnostics);
        timeout &= p.failure().timeout();
        failures.put(name, f);
      }
      Throwable cause = firstFailure.getNow(null);
      Throwable root = unwrap(cause);
      if (failures.isEmpty()) {
        timeout = false;
        String why =
            root == null ? "unknown" : prepared.redactor().scrub(String.valueOf(root.getMessage()));
        failures.put(
            LAB_FAILURE_KEY,
            new WorkloadFailure(
                LAB_FAILURE_KEY,
                Stage.CREATED,
                root == null ? "Failed" : reason(root),
                why,
                root instanceof CancellationException
                    ? "the start was interrupted or cancelled"
                    : "see the cause",
                List.of()));
      }
      Instant keptUntil = null;
      TeardownException rollbackFailure = null;
      if (options.keepOnFailure()) {
        keptUntil = prepared.ownership().expiresAt();
        events.lab(
            LabEvent.Type.LAB_KEPT,
            "lab "
                + lab.id()
                + " failed and is kept for inspection until "
                + keptUntil
                + "; remove it with sweep(SweepRequest.lab(\""
                + lab.id()
                + "\"))");
      } else {
        events.lab(LabEvent.Type.LAB_FAILED, "lab " + lab.id() + " failed; rolling back");
        try {
          lab.teardown("rollback after failure");
        } catch (TeardownException e) {
          rollbackFailure = e;
        }
      }
      List<String> createdNow = List.copyOf(created);
      ProvisioningException ex =
          timeout
              ? new ConvergenceTimeoutException(
                  lab.id(), backend.id(), createdNow, failures, keptUntil)
              : new ProvisioningException(
                  lab.id(),
                  backend.id(),
                  createdNow,
                  failures,
                  keptUntil,
                  root == null || root instanceof WorkloadProgress.StageFailedException
                      ? null
                      : prepared.redactor().scrub(root));
      if (rollbackFailure != null) {
        ex.addSuppressed(rollbackFailure);
      }
      return ex;
    }

    private void waitForCreateCalls() {
      CompletableFuture<?>[] calls;
      synchronized (createCalls) {
        calls = createCalls.toArray(CompletableFuture[]::new);
      }
      try {
        CompletableFuture.allOf(calls).get(teardownTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Rollback deletes by ownership; a create still running after this is reported by the
        // sweep.
      }
    }

    private List<String> diagnostics(String name) {
      try {
        WorkloadDetails d =
            CompletableFuture.supplyAsync(() -> driver.describe(name), workers)
                .get(diagnosticsTimeout.toMillis(), TimeUnit.MILLISECONDS);
        List<String> lines = new ArrayList<>();
        lines.add("status: " + d.backendStatus());
        d.diagnostics().forEach(l -> lines.add(prepared.redactor().scrub(l)));
        return lines;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      } catch (ExecutionException | TimeoutException e) {
        Throwable c = e instanceof ExecutionException ? e.getCause() : e;
        return List.of("diagnostics unavailable: " + prepared.redactor().scrub(String.valueOf(c)));
      }
    }

    private WorkloadFailure labFailure(RuntimeException e) {
      return new WorkloadFailure(
          LAB_FAILURE_KEY,
          Stage.CREATED,
          reason(e),
          prepared.redactor().scrub(String.valueOf(e.getMessage())),
          hint(e),
          List.of());
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable t) {
    while (t instanceof CompletionException || t instanceof ExecutionException) {
      if (t.getCause() == null) {
        break;
      }
      t = t.getCause();
    }
    return t;
  }

  private static String reason(Throwable e) {
    if (e instanceof BackendException be) {
      return be.platformCode()
          .orElse(be.statusCode().isPresent() ? "HTTP " + be.statusCode().getAsInt() : "Refused");
    }
    return e.getClass().getSimpleName();
  }

  private String hint(Throwable e) {
    if (e instanceof BackendException be) {
      if (!be.hint().isEmpty()) {
        return be.hint();
      }
      return "the platform refused the request; check its message, the backend's credentials and quota";
    }
    return "this looks like a bug in backend " + backend.id() + "; the cause has the stack trace";
  }
}
