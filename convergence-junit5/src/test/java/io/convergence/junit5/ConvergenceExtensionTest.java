package io.convergence.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.convergence.BackendUnavailableException;
import io.convergence.Convergence;
import io.convergence.ProvisioningException;
import io.convergence.SweepRequest;
import io.convergence.junit5.fixtures.ClassLabFixture;
import io.convergence.junit5.fixtures.FailuresFixture;
import io.convergence.junit5.fixtures.Labs;
import io.convergence.junit5.fixtures.NestedFixture;
import io.convergence.junit5.fixtures.ParallelFixture;
import io.convergence.junit5.fixtures.PerTestLabFixture;
import io.convergence.junit5.fixtures.ProgrammaticFixture;
import io.convergence.junit5.fixtures.Recorder;
import io.convergence.junit5.fixtures.ResourceFixture;
import io.convergence.junit5.fixtures.ReuseFixture;
import io.convergence.junit5.fixtures.SimulatorFixture;
import io.convergence.junit5.fixtures.UnavailableFixture;
import io.convergence.junit5.internal.DiagnosticsBundle;
import io.convergence.junit5.internal.Settings;
import io.convergence.spec.Stage;
import io.convergence.testkit.inmemory.InMemoryPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Drives real JUnit Jupiter engines over the fixture classes and checks what the extension did,
 * through the fixtures' records and the platforms' own view of what exists.
 */
class ConvergenceExtensionTest {

  private static final InMemoryPlatform PLATFORM = InMemoryPlatform.named("default");

  @TempDir Path reports;

  @BeforeEach
  void clear() {
    Recorder.clear();
    PLATFORM.clearFaults();
  }

  @AfterEach
  void clearFaults() {
    PLATFORM.clearFaults();
  }

  private EngineExecutionResults run(Map<String, String> parameters, Class<?>... classes) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(Settings.REPORTS_DIR, reports.toString());
    all.put(Settings.UNAVAILABLE, "skip");
    all.putAll(parameters);
    return EngineTestKit.engine("junit-jupiter")
        .selectors(
            Stream.of(classes)
                .map(c -> selectClass(c))
                .toArray(org.junit.platform.engine.DiscoverySelector[]::new))
        .configurationParameters(all)
        .execute();
  }

  private EngineExecutionResults run(Class<?>... classes) {
    return run(Map.of(), classes);
  }

  /** Lab ids recorded as "... <prefix> <id> ..." lines. */
  private static List<String> ids(String prefix) {
    return Recorder.lines().stream()
        .filter(l -> l.startsWith(prefix + " "))
        .map(l -> l.substring(prefix.length() + 1).split(" ")[0])
        .toList();
  }

  private Path bundle(Class<?> testClass, String test) {
    return DiagnosticsBundle.directory(reports, testClass.getName(), test);
  }

  private static Throwable failure(Event e) {
    return e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
  }

  @Test
  void aClassLabStartsBeforeAllTestsIsInjectedEverywhereAndIsGoneAfterTheClass() {
    EngineExecutionResults r = run(ClassLabFixture.class);

    r.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    List<String> lines = Recorder.lines();
    String id = ids("a").get(0);
    assertThat(lines)
        .containsExactly(
            "beforeAll static field " + id,
            "beforeAll parameter " + id,
            "beforeEach instance field " + id,
            "a " + id,
            "beforeEach instance field " + id,
            "b " + id,
            "afterAll open true");
    assertThat(PLATFORM.objects(id)).as("objects of the class lab after the class").isEmpty();
  }

  @Test
  void anInstanceLabDefinitionGivesEachTestItsOwnLab() {
    EngineExecutionResults r = run(PerTestLabFixture.class);

    r.testEvents().assertStatistics(s -> s.succeeded(2));
    List<String> ids = ids("test");
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    ids.forEach(id -> assertThat(PLATFORM.objects(id)).as("objects of %s", id).isEmpty());
  }

  @Test
  void aFailingTestGetsADiagnosticsBundleLinkedFromItsFailureAndTheLabIsStillRemoved()
      throws IOException {
    PLATFORM.logLines("app", "starting with token " + Labs.SECRET, "listening on 8000");
    EngineExecutionResults r = run(FailuresFixture.FailingTest.class);

    r.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    Throwable t = failure(r.testEvents().failed().list().get(0));
    assertThat(t).isInstanceOf(AssertionError.class).hasMessageContaining("arithmetic");
    assertThat(t.getSuppressed()).hasSize(1);
    Path dir = bundle(FailuresFixture.FailingTest.class, "fails");
    assertThat(t.getSuppressed()[0].getMessage()).contains(dir.toUri().toString());

    assertThat(dir.resolve("summary.txt")).content().contains("fails()", "tester", "app", "READY");
    assertThat(dir.resolve("spec.yaml")).content().contains("<redacted>", "python:3.12-slim");
    assertThat(dir.resolve("plan.yaml")).content().contains("app");
    assertThat(dir.resolve("events.txt"))
        .content()
        .contains("STAGE_REACHED", "LAB_READY", "stage timings");
    assertThat(dir.resolve("workloads/tester.txt")).content().contains("stage timings", "running");
    assertThat(dir.resolve("workloads/app.log"))
        .content()
        .contains("listening on 8000", "starting with token ****");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f)).as("secret in %s", f).doesNotContain(Labs.SECRET);
      }
    }
    String id = ids("lab").get(0);
    assertThat(PLATFORM.objects(id)).as("objects after a failed test").isEmpty();
  }

  @Test
  void aFailingBeforeAllStillTearsTheLabDownAndWritesABundle() {
    EngineExecutionResults r = run(FailuresFixture.FailingBeforeAll.class);

    r.containerEvents().assertStatistics(s -> s.failed(1));
    String id = ids("lab").get(0);
    assertThat(PLATFORM.objects(id)).as("objects after a failed @BeforeAll").isEmpty();
    assertThat(bundle(FailuresFixture.FailingBeforeAll.class, "beforeAll").resolve("events.txt"))
        .exists();
  }

  @Test
  void aLabThatFailsToStartFailsTheClassLeavesNothingAndWritesABundle() {
    PLATFORM.failAt("tester", Stage.RUNNING, "ErrImagePull", "image fedora-41 not found");
    EngineExecutionResults r = run(FailuresFixture.FailingStart.class);

    Event failed = r.containerEvents().failed().list().get(0);
    assertThat(failure(failed))
        .isInstanceOf(ProvisioningException.class)
        .hasMessageContaining("ErrImagePull");
    assertThat(Recorder.lines()).doesNotContain("test ran");
    assertThat(PLATFORM.objects())
        .as("objects of any failing-start lab")
        .noneMatch(o -> o.labels().getOrDefault("convergence.io/lab", "").equals("failing-start"));
    Path dir = bundle(FailuresFixture.FailingStart.class, "beforeAll");
    assertThat(dir.resolve("summary.txt")).content().contains("ErrImagePull");
    assertThat(dir.resolve("events.txt")).content().contains("WORKLOAD_FAILED");
    assertThat(failure(failed).getSuppressed()[0].getMessage()).contains(dir.toUri().toString());
  }

  @Test
  void keepOnFailureLeavesTheLabUpAndSaysHowToRemoveIt() {
    EngineExecutionResults r = run(FailuresFixture.KeptOnFailure.class);

    r.testEvents().assertStatistics(s -> s.failed(1));
    String id = ids("lab").get(0);
    try {
      assertThat(PLATFORM.objects(id)).as("objects of the kept lab").isNotEmpty();
      assertThat(r.allEvents().reportingEntryPublished().list()).isNotEmpty();
    } finally {
      Convergence.backend("inmemory").sweep(SweepRequest.lab(id));
    }
    assertThat(PLATFORM.objects(id)).isEmpty();
  }

  @Test
  void aClassWithoutALabSourceFailsSayingWhatToAdd() {
    EngineExecutionResults r = run(FailuresFixture.NoSource.class);

    Event failed = r.containerEvents().failed().list().get(0);
    assertThat(failure(failed))
        .hasMessageContaining("@LabDefinition")
        .hasMessageContaining("labs/");
  }

  @Test
  void aWronglyTypedInjectionFieldFailsTheClassAndTheLabIsRemoved() {
    EngineExecutionResults r = run(FailuresFixture.WrongFieldType.class);

    Event failed = r.containerEvents().failed().list().get(0);
    assertThat(failure(failed))
        .hasMessageContaining("notAWorkload")
        .hasMessageContaining("Workload");
    assertThat(PLATFORM.objects())
        .noneMatch(o -> o.labels().getOrDefault("convergence.io/lab", "").equals("wrong-type"));
  }

  @Test
  void anUnavailableBackendSkipsTheClassWithTheReason() throws IOException {
    withUnreachableCluster(
        () -> {
          EngineExecutionResults r = run(UnavailableFixture.Default.class);
          Event skipped = r.containerEvents().skipped().list().get(0);
          assertThat(skipped.getRequiredPayload(String.class))
              .contains("unavailable", "kubevirt", "failIfUnavailable");
          assertThat(Recorder.lines()).isEmpty();
        });
  }

  @Test
  void anUnavailableBackendFailsTheClassWhenAsked() throws IOException {
    withUnreachableCluster(
        () -> {
          EngineExecutionResults r = run(UnavailableFixture.Failing.class);
          assertThat(failure(r.containerEvents().failed().list().get(0)))
              .isInstanceOf(BackendUnavailableException.class)
              .hasMessageContaining("kubevirt");
          EngineExecutionResults byParameter =
              run(Map.of(Settings.UNAVAILABLE, "fail"), UnavailableFixture.Default.class);
          assertThat(byParameter.containerEvents().failed().count()).isEqualTo(1);
          assertThat(Recorder.lines()).isEmpty();
        });
  }

  private static void withUnreachableCluster(Runnable check) throws IOException {
    Path kubeconfig = Files.createTempFile("unreachable", ".kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: gone
          cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        users:
        - name: u
          user: {token: x}
        contexts:
        - name: gone
          context: {cluster: gone, user: u}
        current-context: gone
        """);
    String key = "convergence.kubevirt.kubeconfig";
    String before = System.getProperty(key);
    System.setProperty(key, kubeconfig.toString());
    try {
      check.run();
    } finally {
      if (before == null) {
        System.clearProperty(key);
      } else {
        System.setProperty(key, before);
      }
      Files.deleteIfExists(kubeconfig);
    }
  }

  @Test
  void unavailablePolicyFollowsTheAnnotationThenTheParameterThenCi() {
    Map<String, String> ci = Map.of("CI", "true");
    assertThat(policy(false, Map.of(), Map.of()).failIfUnavailable()).isFalse();
    assertThat(policy(false, Map.of(), ci).failIfUnavailable()).isTrue();
    assertThat(policy(false, Map.of(Settings.UNAVAILABLE, "skip"), ci).failIfUnavailable())
        .isFalse();
    assertThat(policy(true, Map.of(Settings.UNAVAILABLE, "skip"), Map.of()).failIfUnavailable())
        .isTrue();
    assertThat(policy(false, Map.of(), Map.of("CI", "false")).failIfUnavailable()).isFalse();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> policy(false, Map.of(Settings.UNAVAILABLE, "maybe"), Map.of()))
        .hasMessageContaining("convergence.unavailable")
        .hasMessageContaining("skip or fail");
  }

  @Test
  void reuseIsOffInCiUnlessAsked() {
    Map<String, String> ci = Map.of("CI", "true");
    assertThat(reuse(true, Map.of(), Map.of())).isTrue();
    assertThat(reuse(true, Map.of(), ci)).isFalse();
    assertThat(reuse(true, Map.of(Settings.REUSE, "true"), ci)).isTrue();
    assertThat(reuse(true, Map.of(Settings.REUSE, "false"), Map.of())).isFalse();
    assertThat(reuse(false, Map.of(Settings.REUSE, "true"), Map.of())).isFalse();
  }

  private static Settings policy(
      boolean annotation, Map<String, String> parameters, Map<String, String> env) {
    return Settings.resolve(
        "", annotation, false, false, k -> Optional.ofNullable(parameters.get(k)), env::get);
  }

  private static boolean reuse(
      boolean annotation, Map<String, String> parameters, Map<String, String> env) {
    return Settings.resolve(
            "", false, false, annotation, k -> Optional.ofNullable(parameters.get(k)), env::get)
        .reuse();
  }

  @Test
  void parallelClassesGetLabsOfTheirOwnUpAtTheSameTime() {
    ParallelFixture.bothUp = new CountDownLatch(2);
    EngineExecutionResults r =
        run(
            Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"),
            ParallelFixture.First.class,
            ParallelFixture.Second.class);

    r.testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    List<String> ids = ids("lab");
    assertThat(ids).hasSize(2).doesNotHaveDuplicates();
    ids.forEach(id -> assertThat(PLATFORM.objects(id)).isEmpty());
  }

  @Test
  void reuseAdoptsTheSameSpecAcrossRunsAndAChangedSpecSupersedesIt() {
    Map<String, String> reuse = Map.of(Settings.REUSE, "true");
    run(reuse, ReuseFixture.Original.class).testEvents().assertStatistics(s -> s.succeeded(1));
    run(reuse, ReuseFixture.Original.class).testEvents().assertStatistics(s -> s.succeeded(1));
    List<String> ids = ids("lab");
    assertThat(ids).hasSize(2);
    assertThat(ids.get(1)).as("the second run's lab").isEqualTo(ids.get(0));
    assertThat(Recorder.lines()).allMatch(l -> l.endsWith("reusable true"));
    assertThat(PLATFORM.objects(ids.get(0))).as("the reusable lab between runs").isNotEmpty();

    run(reuse, ReuseFixture.Changed.class).testEvents().assertStatistics(s -> s.succeeded(1));
    String changed = ids("lab").get(2);
    try {
      assertThat(changed).isNotEqualTo(ids.get(0));
      assertThat(PLATFORM.objects(ids.get(0))).as("the superseded lab").isEmpty();
      assertThat(PLATFORM.objects(changed)).isNotEmpty();
    } finally {
      Convergence.backend("inmemory").sweep(SweepRequest.lab(changed));
      Convergence.backend("inmemory").sweep(SweepRequest.lab(ids.get(0)));
    }
  }

  @Test
  void aStaticRegistrationGivesAClassLabAndAnInstanceOneALabPerTest() {
    run(ProgrammaticFixture.Static.class).testEvents().assertStatistics(s -> s.succeeded(2));
    List<String> classIds = ids("lab");
    assertThat(classIds).hasSize(2).containsOnly(classIds.get(0));
    assertThat(Recorder.lines().get(0)).endsWith("app READY");
    assertThat(PLATFORM.objects(classIds.get(0))).isEmpty();

    Recorder.clear();
    run(ProgrammaticFixture.PerTest.class).testEvents().assertStatistics(s -> s.succeeded(2));
    List<String> perTest = ids("lab");
    assertThat(perTest).hasSize(2).doesNotHaveDuplicates();
    perTest.forEach(id -> assertThat(PLATFORM.objects(id)).isEmpty());
  }

  @Test
  void aNestedClassSharesItsEnclosingClassLab() {
    run(NestedFixture.class).testEvents().assertStatistics(s -> s.succeeded(2).failed(0));
    List<String> ids = ids("lab");
    assertThat(ids).hasSize(2).containsOnly(ids.get(0));
    assertThat(PLATFORM.objects(ids.get(0))).isEmpty();
  }

  @Test
  void aLabComesFromAYamlResource() {
    run(ResourceFixture.class).testEvents().assertStatistics(s -> s.succeeded(1));
    assertThat(PLATFORM.objects(ids("lab").get(0))).isEmpty();
  }

  @Test
  void aConvergedLabRunsOnTheKubeVirtSimulatorWithABundleForTheFailingTest() {
    EngineExecutionResults r = run(SimulatorFixture.class);

    r.testEvents().assertStatistics(s -> s.succeeded(1).failed(1));
    String id = ids("lab").get(0);
    Path dir = bundle(SimulatorFixture.class, "failsForTheBundle");
    assertThat(dir.resolve("plan.yaml"))
        .content()
        .contains("kind: \"VirtualMachine\"", "kind: \"Pod\"");
    assertThat(dir.resolve("workloads/tester.txt"))
        .content()
        .contains("VirtualMachineInstance phase Running");
    assertThat(dir.resolve("spec.yaml")).content().doesNotContain(Labs.SECRET);
    assertThat(
            Convergence.backend("kubevirt-simulator").sweep(SweepRequest.lab(id).dryRun()).labIds())
        .as("labs left on the simulator")
        .isEmpty();
  }
}
