package io.convergence.internal.runtime;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.BackendException;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.Feature;
import io.convergence.InvalidLabSpecException;
import io.convergence.Lab;
import io.convergence.ProvisioningException;
import io.convergence.StartOptions;
import io.convergence.TeardownException;
import io.convergence.config.ConvergenceConfig;
import io.convergence.event.LabEvent;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LabRuntimeTest {

  private final FakeBackend backend = new FakeBackend();
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private Map<String, String> environment = Map.of();

  @AfterEach
  void stop() {
    workers.shutdownNow();
    scheduler.shutdownNow();
  }

  private LabRuntime runtime() {
    return runtime(Map.of("teardown.backoff", "10ms"));
  }

  private LabRuntime runtime(Map<String, String> settings) {
    return new LabRuntime(
        backend,
        ConvergenceConfig.load(settings, new Properties(), Map.of(), null),
        Clock.systemUTC(),
        workers,
        scheduler,
        List.of(),
        "run1",
        "tester",
        environment::get);
  }

  private static ContainerSpec.Builder container() {
    return ContainerSpec.builder().image("busybox");
  }

  @Test
  @DisplayName(
      "references resolve to the referenced workload's host and in-lab port, in env and user data")
  void resolvesReferences() {
    backend.hosts.put("tester", "10.0.0.5");
    backend.ports.put("tester", Map.of(5985, 15985));
    LabSpec spec =
        LabSpec.builder("refs")
            .vm(
                "tester",
                VmSpec.builder()
                    .image("w")
                    .guestOs(GuestOs.WINDOWS)
                    .memory("4Gi")
                    .expose(5985)
                    .build())
            .container(
                "analysis",
                container()
                    .env("HOST", ref("tester").host())
                    .env("URL", "http://" + ref("tester").address(5985) + "/wsman")
                    .secretEnv("PORT", SecretValue.of("port=" + ref("tester").port(5985)))
                    .args("--tester", ref("tester").host().expression())
                    .build())
            .vm(
                "linux",
                VmSpec.builder()
                    .image("f")
                    .cloudInit("#cloud-config\nhost: " + ref("tester").host())
                    .build())
            .build();

    try (Lab lab = runtime().start(spec, StartOptions.DEFAULTS)) {
      ContainerSpec analysis = (ContainerSpec) backend.created.get("analysis").spec();
      assertThat(analysis.env())
          .containsEntry("HOST", EnvValue.plain("10.0.0.5"))
          .containsEntry("URL", EnvValue.plain("http://10.0.0.5:15985/wsman"))
          .containsEntry("PORT", EnvValue.secret(SecretValue.of("port=15985")));
      assertThat(analysis.args()).containsExactly("--tester", "10.0.0.5");
      VmSpec linux = (VmSpec) backend.created.get("linux").spec();
      assertThat(linux.cloudInit().orElseThrow().reveal())
          .isEqualTo("#cloud-config\nhost: 10.0.0.5");
      assertThat(lab.workload("analysis").spec()).isEqualTo(analysis);
      assertThat(backend.calls.indexOf("create analysis"))
          .isGreaterThan(backend.calls.indexOf("observe tester"));
    }
  }

  @Test
  @DisplayName(
      "a report of a later stage implies the earlier ones; repeats and stale reports are ignored")
  void impliedStages() {
    backend.onObserve =
        (w, o) -> {
          o.reached(Stage.NETWORK, "10.1.1.1");
          o.reached(Stage.SCHEDULED, "late");
          o.reached(Stage.NETWORK, "again");
        };
    LabSpec spec = LabSpec.builder("implied").container("c", container().build()).build();

    try (Lab lab = runtime().start(spec, StartOptions.DEFAULTS)) {
      List<LabEvent> stages =
          lab.events().stream().filter(e -> e.type() == LabEvent.Type.STAGE_REACHED).toList();
      assertThat(stages)
          .extracting(LabEvent::stage)
          .containsExactly(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK);
      assertThat(stages.get(1).message()).isEqualTo("implied by network");
      assertThat(stages.get(3).message()).isEqualTo("10.1.1.1");
      assertThat(lab.workload("c").stageTimings())
          .containsOnlyKeys(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK);
    }
  }

  @Test
  @DisplayName("a platform error quoting a secret reaches neither the message nor the stack trace")
  void scrubsSecretsFromPlatformErrors() {
    String token = "tkn-9f8e7d6c5b4a";
    backend.onCreate =
        r -> {
          throw new BackendException(
              "fake",
              "create " + r.name(),
              422,
              "Invalid",
              "env API_TOKEN=" + token + " rejected",
              "",
              new IllegalStateException("echo " + token));
        };
    LabSpec spec =
        LabSpec.builder("scrub")
            .container("app", container().secretEnv("API_TOKEN", SecretValue.of(token)).build())
            .build();

    ProvisioningException e =
        catchThrowableOfType(
            ProvisioningException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain(token).contains("API_TOKEN=****");
    assertThat(e.failures().get("app").reason()).isEqualTo("Invalid");
    assertThat(e.failures().get("app").stage()).isEqualTo(Stage.CREATED);
    assertThat(backend.destroys).hasValue(1);
  }

  @Test
  @DisplayName("a failure to prepare the lab rolls back and is reported as the lab's")
  void prepareFailure() {
    backend.onPrepare =
        () -> {
          throw new BackendException(
              "fake", "create namespace", 403, "Forbidden", "no quota", "", null);
        };
    LabSpec spec = LabSpec.builder("prep").container("c", container().build()).build();

    ProvisioningException e =
        catchThrowableOfType(
            ProvisioningException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    assertThat(e.failures()).containsOnlyKeys("(lab)");
    assertThat(e.failures().get("(lab)").reason()).isEqualTo("Forbidden");
    assertThat(e.created()).isEmpty();
    assertThat(backend.calls).doesNotContain("create c").contains("destroy");
  }

  @Test
  @DisplayName(
      "a stage nobody reports times out with its own timeout and the backend's last status")
  void timeout() {
    backend.onObserve = (w, o) -> o.reached(Stage.RUNNING, "");
    LabSpec spec =
        LabSpec.builder("slow")
            .container("c", container().timeout(Stage.NETWORK, Duration.ofMillis(300)).build())
            .build();

    ConvergenceTimeoutException e =
        catchThrowableOfType(
            ConvergenceTimeoutException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    assertThat(e.notReady()).containsExactly(Map.entry("c", Stage.NETWORK));
    assertThat(e.failures().get("c").diagnostics())
        .contains("status: Fine", "event: something about c");
    assertThat(e.getMessage())
        .contains("c not network", "within 300ms", "raise readiness.timeouts.network");
    assertThat(backend.destroys).hasValue(1);
  }

  @Test
  @DisplayName("a failed lab kept for inspection is not destroyed and says how to remove it")
  void keepOnFailure() {
    backend.onObserve =
        (w, o) -> o.failed(Stage.SCHEDULED, "Unschedulable", "0/3 nodes available", "add nodes");
    LabSpec spec = LabSpec.builder("keep").container("c", container().build()).build();

    ProvisioningException e =
        catchThrowableOfType(
            ProvisioningException.class,
            () -> runtime().start(spec, StartOptions.builder().keepOnFailure(true).build()));

    assertThat(backend.destroys).hasValue(0);
    assertThat(e.keptUntil()).isPresent();
    assertThat(e.getMessage())
        .contains("0/3 nodes available", "check: add nodes", "SweepRequest.lab(");
  }

  @Test
  @DisplayName("teardown retries, then fails naming what remains and when it expires")
  void teardownGivesUp() {
    AtomicInteger attempts = new AtomicInteger();
    backend.onDestroy =
        () -> {
          attempts.incrementAndGet();
          throw new BackendException("fake", "delete", 503, null, "unavailable", "", null);
        };
    Lab lab =
        runtime()
            .start(
                LabSpec.builder("stuck").container("c", container().build()).build(),
                StartOptions.DEFAULTS);

    TeardownException e = catchThrowableOfType(TeardownException.class, lab::close);

    assertThat(attempts).hasValue(3);
    assertThat(e.remaining()).containsExactly("Thing/left-over");
    assertThat(e.getMessage()).contains("expire at", "SweepRequest.lab(\"" + lab.id() + "\")");
    assertThat(lab.events())
        .extracting(LabEvent::type)
        .containsSubsequence(
            LabEvent.Type.TEARDOWN_RETRY,
            LabEvent.Type.TEARDOWN_RETRY,
            LabEvent.Type.TEARDOWN_FAILED);
    lab.close();
    assertThat(attempts).as("a second close does nothing").hasValue(3);
  }

  @Test
  @DisplayName("no more backend calls run at once than the worker pool allows")
  void boundedParallelism() throws InterruptedException {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    backend.onCreate =
        r -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          try {
            Thread.sleep(30);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          running.decrementAndGet();
        };
    LabSpec.Builder spec = LabSpec.builder("many");
    for (int i = 0; i < 6; i++) {
      spec.container("c" + i, container().build());
    }

    try (Lab lab = runtime().start(spec.build(), StartOptions.DEFAULTS)) {
      assertThat(lab.workloads()).hasSize(6);
    }
    assertThat(most.get()).as("most concurrent creates with 2 workers").isEqualTo(2);
  }

  @Test
  @DisplayName("an interrupted start rolls back, fails, and keeps the interrupt flag")
  void interrupted() throws InterruptedException {
    CountDownLatch observing = new CountDownLatch(1);
    backend.onObserve = (w, o) -> observing.countDown();
    LabSpec spec = LabSpec.builder("intr").container("c", container().build()).build();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                runtime().start(spec, StartOptions.DEFAULTS);
              } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
              }
            });
    starter.start();
    assertThat(observing.await(5, TimeUnit.SECONDS)).isTrue();

    starter.interrupt();
    starter.join(5000);

    assertThat(thrown.get())
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("interrupted");
    assertThat(flag.get()).isTrue();
    assertThat(backend.destroys).hasValue(1);
  }

  @Test
  @DisplayName(
      "a secret from an unset variable is a spec problem found before the backend is asked")
  void missingSecretVariable() {
    LabSpec spec =
        LabSpec.builder("env")
            .container("c", container().secretEnv("T", SecretValue.fromEnv("LAB_TOKEN")).build())
            .build();

    InvalidLabSpecException e =
        catchThrowableOfType(
            InvalidLabSpecException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    assertThat(e.problems())
        .extracting(p -> p.path())
        .containsExactly("workloads[c].container.env[T]");
    assertThat(e.getMessage()).contains("LAB_TOKEN", "not set");
    assertThat(backend.calls).isEmpty();
  }

  @Test
  @DisplayName("a secret from a variable is read at start and handed to the backend as a value")
  void secretVariableIsRead() {
    environment = Map.of("LAB_TOKEN", "from-env-123");
    LabSpec spec =
        LabSpec.builder("env")
            .container("c", container().secretEnv("T", SecretValue.fromEnv("LAB_TOKEN")).build())
            .build();

    try (Lab lab = runtime().start(spec, StartOptions.DEFAULTS)) {
      ContainerSpec c = (ContainerSpec) backend.created.get("c").spec();
      assertThat(((EnvValue.Secret) c.env().get("T")).value().reveal()).isEqualTo("from-env-123");
      assertThat(lab.spec()).isEqualTo(spec);
    }
  }

  @Test
  @DisplayName("a feature the backend lacks is rejected with the path, before the backend plans")
  void missingFeature() {
    backend.features.remove(Feature.WINDOWS_GUESTS);
    LabSpec spec =
        LabSpec.builder("win")
            .vm("w", VmSpec.builder().image("w").guestOs(GuestOs.WINDOWS).memory("4Gi").build())
            .build();

    InvalidLabSpecException e =
        catchThrowableOfType(
            InvalidLabSpecException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    assertThat(e.backendId()).contains("fake");
    assertThat(e.problems()).extracting(p -> p.path()).containsExactly("workloads[w].vm.guestOs");
    assertThat(backend.calls).containsExactly("features");
  }

  @Test
  @DisplayName("a failed prerequisite keeps its dependents from being created")
  void failedPrerequisite() {
    backend.onObserve =
        (w, o) -> {
          if (w.name().equals("db")) {
            o.failed(Stage.RUNNING, "CrashLoopBackOff", "exit 1", "look at the logs");
          } else {
            w.stages().forEach(s -> o.reached(s, ""));
          }
        };
    LabSpec spec =
        LabSpec.builder("prereq")
            .container("db", container().build())
            .container("app", container().dependsOn("db").build())
            .build();

    ProvisioningException e =
        catchThrowableOfType(
            ProvisioningException.class, () -> runtime().start(spec, StartOptions.DEFAULTS));

    assertThat(e.created()).containsExactly("db");
    assertThat(e.failures()).containsOnlyKeys("db");
    assertThat(backend.calls).doesNotContain("create app");
  }
}
