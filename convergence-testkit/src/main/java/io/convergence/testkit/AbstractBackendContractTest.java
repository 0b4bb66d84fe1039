package io.convergence.testkit;

import static io.convergence.spec.Ref.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.Convergence;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.InvalidLabSpecException;
import io.convergence.Lab;
import io.convergence.Ownership;
import io.convergence.ProvisioningException;
import io.convergence.StartOptions;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.event.LabEvent;
import io.convergence.plan.Plan;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.Readiness;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every backend keeps, run against the backend's simulator (and, where configured, a
 * real platform). Extend it, implement {@link #target()}, and opt out of a check only by overriding
 * it with a one-line reason:
 *
 * <pre>{@code
 * class KubeVirtBackendContractTest extends AbstractBackendContractTest {
 *   static final KubeVirtSimulator SIM = ...;
 *   protected ContractTarget target() { return SIM.contractTarget(); }
 * }
 * }</pre>
 *
 * <p>Each check is a {@code protected} method, so a backend that cannot support one overrides it,
 * without {@code @Test}, with a comment saying why.
 *
 * <p>Every check starts its own labs with unique names and asserts, through the target's view of
 * the platform, what is really there: objects and their ownership labels, stored environments,
 * request counts.
 *
 * @since 0.1.0
 */
public abstract class AbstractBackendContractTest {

  private static final AtomicInteger LABS = new AtomicInteger();

  private final List<Convergence> clients = new ArrayList<>();
  private final List<Lab> labs = new ArrayList<>();
  private final List<Map.Entry<Convergence, String>> reusable = new ArrayList<>();

  /** Creates the suite. */
  protected AbstractBackendContractTest() {}

  /**
   * The platform under test.
   *
   * @return the target
   */
  protected abstract ContractTarget target();

  /**
   * A client of the platform; closed after the test.
   *
   * @return the client
   */
  protected Convergence client() {
    return client(Clock.systemUTC());
  }

  /**
   * A client of the platform using {@code clock}; closed after the test.
   *
   * @param clock the clock
   * @return the client
   */
  protected Convergence client(Clock clock) {
    Convergence c = target().connect(clock);
    clients.add(c);
    return c;
  }

  /** Clears faults left by a failed check. */
  @BeforeEach
  void clearFaultsBefore() {
    target().clearFaults();
  }

  /** Closes what a check left open and clears faults. */
  @AfterEach
  void closeEverything() {
    target().clearFaults();
    for (Lab lab : labs) {
      try {
        lab.close();
      } catch (RuntimeException e) {
        // reported by the check that left it
      }
    }
    for (Map.Entry<Convergence, String> r : reusable) {
      try {
        r.getKey().sweep(SweepRequest.lab(r.getValue()));
      } catch (RuntimeException e) {
        // reported by the check that left it
      }
    }
    clients.forEach(Convergence::close);
  }

  /**
   * A unique lab name.
   *
   * @param prefix a short prefix
   * @return the name
   */
  protected static String labName(String prefix) {
    return prefix + "-" + LABS.incrementAndGet();
  }

  private Lab track(Lab lab) {
    labs.add(lab);
    return lab;
  }

  private ContainerSpec.Builder container() {
    return ContainerSpec.builder().image(target().containerImage());
  }

  private VmSpec.Builder linuxVm() {
    return VmSpec.builder().image(target().linuxImage()).guestOs(GuestOs.LINUX);
  }

  private Duration stageTimeout() {
    return target().typicalReadiness().multipliedBy(6);
  }

  private List<PlatformObject> objectsOf(String labId) {
    return target().objects().stream().filter(o -> o.labId().equals(labId)).toList();
  }

  private static List<LabEvent> eventsOf(Lab lab, String workload) {
    return lab.events().stream().filter(e -> workload.equals(e.workload())).toList();
  }

  /** A lab with a VM, two containers and a shared volume, every workload probed. */
  private LabSpec convergedLab(String name) {
    return LabSpec.builder(name)
        .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
        .vm(
            "tester",
            linuxVm()
                .guestAgent(true)
                .mount("results", "/results")
                .expose(22)
                .probe(Probe.ssh())
                .timeout(Stage.GUEST, stageTimeout())
                .build())
        .container(
            "analysis",
            container()
                .env("TESTER_HOST", ref("tester").host())
                .env("TESTER_SSH", ref("tester").address(22))
                .mount("results", "/data")
                .expose(8000)
                .probe(Probe.tcp(8000))
                .build())
        .container("collector", container().expose(9000).build())
        .ttl(Duration.ofHours(1))
        .build();
  }

  /**
   * Checks that a converged lab starts with every workload ready and leaves nothing behind when
   * closed.
   */
  @Test
  @DisplayName(
      "a converged lab starts with every workload ready and leaves nothing behind when closed")
  protected void lifecycle() {
    Lab lab = track(client().start(convergedLab(labName("life"))));

    assertThat(lab.workloads())
        .extracting(w -> w.name())
        .contains("tester", "analysis", "collector");
    for (var w : lab.workloads()) {
      assertThat(w.status()).as("status of %s", w.name()).isEqualTo(WorkloadStatus.READY);
      assertThat(w.host()).as("host of %s", w.name()).isNotBlank();
    }
    assertThat(objectsOf(lab.id())).as("objects of the running lab").isNotEmpty();
    assertThat(lab.events()).extracting(LabEvent::type).contains(LabEvent.Type.LAB_READY);

    lab.close();

    assertThat(objectsOf(lab.id())).as("objects left after close").isEmpty();
    assertThat(lab.events()).extracting(LabEvent::type).endsWith(LabEvent.Type.TEARDOWN_FINISHED);
  }

  /**
   * Checks that each workload reports its stages in order, from created to its last planned stage.
   */
  @Test
  @DisplayName("each workload reports its stages in order, from created to its last planned stage")
  protected void stageOrder() {
    Lab lab = track(client().start(convergedLab(labName("stages"))));

    for (var step : lab.plan().steps()) {
      if (step.workload() == null) {
        continue;
      }
      List<Stage> reached =
          eventsOf(lab, step.workload()).stream()
              .filter(e -> e.type() == LabEvent.Type.STAGE_REACHED)
              .map(LabEvent::stage)
              .toList();
      assertThat(reached).as("stages of %s", step.workload()).isEqualTo(step.stages());
      List<LabEvent.Type> types =
          eventsOf(lab, step.workload()).stream().map(LabEvent::type).toList();
      assertThat(types)
          .as("events of %s", step.workload())
          .startsWith(LabEvent.Type.WORKLOAD_CREATING)
          .endsWith(LabEvent.Type.WORKLOAD_READY);
    }
    assertThat(lab.plan().workloadStep("tester").orElseThrow().stages())
        .as("a VM expecting a guest agent has the guest stage")
        .contains(Stage.GUEST, Stage.PROBE);
    assertThat(lab.plan().workloadStep("collector").orElseThrow().stages())
        .as("a container has no guest stage, and no probe stage without probes")
        .doesNotContain(Stage.GUEST, Stage.PROBE);
  }

  /** Checks that independent workloads are provisioned at the same time. */
  @Test
  @DisplayName("independent workloads are provisioned at the same time")
  protected void parallel() {
    LabSpec.Builder spec = LabSpec.builder(labName("parallel"));
    for (int i = 0; i < 4; i++) {
      spec.container("c" + i, container().build());
    }
    Lab lab = track(client().start(spec.build()));

    Instant firstReady =
        lab.events().stream()
            .filter(e -> e.type() == LabEvent.Type.WORKLOAD_READY)
            .map(LabEvent::at)
            .min(Instant::compareTo)
            .orElseThrow();
    long startedBeforeFirstReady =
        lab.events().stream()
            .filter(e -> e.type() == LabEvent.Type.WORKLOAD_CREATING && !e.at().isAfter(firstReady))
            .count();
    assertThat(startedBeforeFirstReady)
        .as("workloads whose creation started before the first one was ready (overlap)")
        .isGreaterThanOrEqualTo(2);
  }

  /**
   * Checks that a workload that references another waits until it is ready and gets its address.
   */
  @Test
  @DisplayName("a workload that references another waits until it is ready and gets its address")
  protected void references() {
    Lab lab = track(client().start(convergedLab(labName("refs"))));

    Instant testerReady = readyAt(lab, "tester");
    Instant analysisCreating = eventAt(lab, "analysis", LabEvent.Type.WORKLOAD_CREATING);
    assertThat(analysisCreating)
        .as("analysis is created only after tester is ready")
        .isAfterOrEqualTo(testerReady);

    Map<String, String> env = target().containerEnv(lab.id(), "analysis");
    String host = lab.workload("tester").host();
    assertThat(env).containsEntry("TESTER_HOST", host);
    assertThat(env.get("TESTER_SSH"))
        .as("address of tester's port 22")
        .startsWith(host + ":")
        .doesNotContain("${");
  }

  /** Checks that dependsOn orders provisioning without a reference. */
  @Test
  @DisplayName("dependsOn orders provisioning without a reference")
  protected void dependsOn() {
    LabSpec spec =
        LabSpec.builder(labName("deps"))
            .container("db", container().build())
            .container("app", container().dependsOn("db").build())
            .build();
    Lab lab = track(client().start(spec));

    assertThat(eventAt(lab, "app", LabEvent.Type.WORKLOAD_CREATING))
        .isAfterOrEqualTo(readyAt(lab, "db"));
  }

  /**
   * Checks that a failure at a stage names the workload, stage and reason, and rolls back
   * everything.
   */
  @Test
  @DisplayName(
      "a failure at a stage names the workload, stage and reason, and rolls back everything")
  protected void failureRollsBack() {
    target().failAt("broken", Stage.RUNNING, "ErrImagePull");
    LabSpec spec =
        LabSpec.builder(labName("fail"))
            .sharedVolume(SharedVolume.named("data").withSize("1Gi"))
            .container("healthy", container().mount("data", "/data").build())
            .container("broken", container().build())
            .container("after", container().dependsOn("broken").build())
            .build();
    Convergence client = client();

    ProvisioningException e =
        catchThrowableOfType(ProvisioningException.class, () -> client.start(spec));

    assertThat(e).as("the start must fail").isNotNull();
    assertThat(e).isNotInstanceOf(ConvergenceTimeoutException.class);
    assertThat(e.failures()).containsKey("broken");
    assertThat(e.failures().get("broken").stage()).isEqualTo(Stage.RUNNING);
    assertThat(e.failures().get("broken").reason()).isEqualTo("ErrImagePull");
    assertThat(e.created()).contains("broken").doesNotContain("after");
    assertThat(e.keptUntil()).isEmpty();
    assertThat(e.getMessage()).contains("broken", "running", "ErrImagePull", "rolled back");
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  /** Checks that a stage that never comes times out with the stage named, and rolls back. */
  @Test
  @DisplayName("a stage that never comes times out with the stage named, and rolls back")
  protected void timeoutRollsBack() {
    target().hangAt("slow", Stage.PROBE);
    LabSpec spec =
        LabSpec.builder(labName("timeout"))
            .container("fine", container().build())
            .container(
                "slow",
                container()
                    .expose(8000)
                    .readiness(
                        Readiness.builder()
                            .probe(Probe.tcp(8000))
                            .timeoutForEveryStage(stageTimeout())
                            .timeout(Stage.PROBE, Duration.ofSeconds(1))
                            .build())
                    .build())
            .build();
    Convergence client = client();

    ConvergenceTimeoutException e =
        catchThrowableOfType(ConvergenceTimeoutException.class, () -> client.start(spec));

    assertThat(e).as("the start must time out").isNotNull();
    assertThat(e.notReady()).containsEntry("slow", Stage.PROBE);
    assertThat(e.getMessage()).contains("slow", "probe", "1s");
    assertThat(e.failures().get("slow").diagnostics())
        .as("diagnostics of the stalled workload")
        .isNotEmpty();
    assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
  }

  /** Checks that a failed lab kept for inspection stays until it is swept. */
  @Test
  @DisplayName("a failed lab kept for inspection stays until it is swept")
  protected void keepOnFailure() {
    target().failAt("broken", Stage.SCHEDULED, "Unschedulable");
    LabSpec spec =
        LabSpec.builder(labName("keep")).container("broken", container().build()).build();
    Convergence client = client();

    ProvisioningException e =
        catchThrowableOfType(
            ProvisioningException.class,
            () -> client.start(spec, StartOptions.builder().keepOnFailure(true).build()));

    assertThat(e).isNotNull();
    assertThat(e.keptUntil()).isPresent();
    assertThat(e.getMessage()).contains("kept for inspection", e.labId());
    assertThat(objectsOf(e.labId())).as("the kept lab's objects").isNotEmpty();

    SweepReport report = client.sweep(SweepRequest.lab(e.labId()));

    assertThat(report.labIds()).containsExactly(e.labId());
    assertThat(objectsOf(e.labId())).as("objects left after the sweep").isEmpty();
  }

  /** Checks that every object carries the lab's ownership labels and expiry. */
  @Test
  @DisplayName("every object carries the lab's ownership labels and expiry")
  protected void ownership() {
    Instant before = Instant.now();
    Lab lab = track(client().start(convergedLab(labName("owned"))));

    Ownership o = lab.ownership();
    assertThat(o.expiresAt())
        .isBetween(
            before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(Duration.ofHours(1)),
            Instant.now().plus(Duration.ofHours(1)));
    List<PlatformObject> objects = objectsOf(lab.id());
    assertThat(objects).hasSizeGreaterThanOrEqualTo(lab.workloads().size());
    for (PlatformObject object : objects) {
      assertThat(object.labels())
          .as("labels of %s/%s", object.kind(), object.name())
          .containsAllEntriesOf(o.labels());
    }
    assertThat(Ownership.fromLabels(objects.get(0).labels())).contains(o);
  }

  /**
   * Checks that sweep removes expired labs of any run and leaves live labs and foreign objects
   * alone.
   */
  @Test
  @DisplayName(
      "sweep removes expired labs of any run and leaves live labs and foreign objects alone")
  protected void sweep() {
    MutableClock clock = new MutableClock();
    Convergence crashed = client(clock);
    LabSpec shortLived =
        LabSpec.builder(labName("short"))
            .container("c", container().build())
            .ttl(Duration.ofHours(1))
            .build();
    LabSpec longLived =
        LabSpec.builder(labName("long"))
            .container("c", container().build())
            .ttl(Duration.ofHours(5))
            .build();
    Lab expiring = crashed.start(shortLived);
    Lab living = track(crashed.start(longLived));
    String foreign = "foreign-" + LABS.incrementAndGet();
    target().createForeignObject(foreign);
    // The JVM that started the labs "crashes": nothing closes them. A later run sweeps.

    clock.advance(Duration.ofHours(2));
    SweepReport report = client(clock).sweep(SweepRequest.expired());

    assertThat(report.labIds()).contains(expiring.id()).doesNotContain(living.id());
    assertThat(objectsOf(expiring.id())).as("objects of the expired lab").isEmpty();
    assertThat(objectsOf(living.id())).as("objects of the live lab").isNotEmpty();
    assertThat(target().objects()).extracting(PlatformObject::name).contains(foreign);

    SweepReport dryRun = client(clock).sweep(SweepRequest.run(crashed.runId()).dryRun());
    assertThat(dryRun.labIds()).contains(living.id());
    assertThat(objectsOf(living.id())).as("a dry run removes nothing").isNotEmpty();
  }

  /**
   * Checks that a reusable lab stays up when closed, is adopted (not recreated) by the next start
   * of the same spec, and is removed when a changed spec of the same name supersedes it.
   */
  @Test
  @DisplayName(
      "a reusable lab stays up when closed, is adopted by the same spec and superseded by a changed"
          + " one")
  protected void reuse() {
    String name = labName("reuse");
    StartOptions reuse = StartOptions.builder().reuse(true).build();
    Convergence client = client();
    LabSpec spec =
        LabSpec.builder(name)
            .container("app", container().env("MODE", "first").build())
            .ttl(Duration.ofHours(1))
            .build();
    Lab first = client.start(spec, reuse);
    reusable.add(Map.entry(client, first.id()));
    assertThat(first.reusable()).isTrue();
    assertThat(first.ownership().runId()).isEqualTo(Ownership.REUSE_RUN_ID);
    String address = first.workload("app").host();
    first.close();
    assertThat(objectsOf(first.id())).as("objects of a closed reusable lab").isNotEmpty();

    Lab second = client().start(spec, reuse);
    assertThat(second.id()).as("the adopted lab's id").isEqualTo(first.id());
    assertThat(second.expiresAt()).as("an adopted lab keeps its TTL").isEqualTo(first.expiresAt());
    assertThat(second.workload("app").host())
        .as("the adopted container's address (a recreated one gets a new one)")
        .isEqualTo(address);
    assertThat(second.events()).extracting(LabEvent::type).contains(LabEvent.Type.LAB_REUSED);
    second.close();

    LabSpec changed =
        LabSpec.builder(name)
            .container("app", container().env("MODE", "second").build())
            .ttl(Duration.ofHours(1))
            .build();
    Lab third = client().start(changed, reuse);
    reusable.add(Map.entry(client, third.id()));
    assertThat(third.id()).as("a changed spec's lab id").isNotEqualTo(first.id());
    assertThat(third.events())
        .extracting(LabEvent::type)
        .contains(LabEvent.Type.LAB_SUPERSEDED)
        .doesNotContain(LabEvent.Type.LAB_REUSED);
    assertThat(objectsOf(first.id())).as("objects of the superseded lab").isEmpty();
    third.close();

    client.sweep(SweepRequest.lab(third.id()));
    assertThat(objectsOf(third.id())).as("objects of a swept reusable lab").isEmpty();
  }

  /**
   * Checks that close is idempotent, waits until everything is gone, and the second close calls
   * nothing.
   */
  @Test
  @DisplayName(
      "close is idempotent, waits until everything is gone, and the second close calls nothing")
  protected void idempotentClose() {
    Lab lab =
        client()
            .start(LabSpec.builder(labName("close")).container("c", container().build()).build());

    lab.close();
    assertThat(objectsOf(lab.id())).isEmpty();
    long requests = target().requestCount();
    lab.close();

    assertThat(lab.isClosed()).isTrue();
    assertThat(target().requestCount()).as("requests made by the second close").isEqualTo(requests);
  }

  /** Checks that a teardown that fails once is retried and still removes everything. */
  @Test
  @DisplayName("a teardown that fails once is retried and still removes everything")
  protected void teardownRetry() {
    Lab lab =
        client()
            .start(LabSpec.builder(labName("retry")).container("c", container().build()).build());
    target().failTeardownOnce();

    lab.close();

    assertThat(objectsOf(lab.id())).isEmpty();
    assertThat(lab.events())
        .extracting(LabEvent::type)
        .contains(LabEvent.Type.TEARDOWN_RETRY)
        .endsWith(LabEvent.Type.TEARDOWN_FINISHED);
  }

  /**
   * Checks that an invalid spec is rejected with its field paths before any request to the
   * platform.
   */
  @Test
  @DisplayName(
      "an invalid spec is rejected with its field paths before any request to the platform")
  protected void invalidSpecMakesNoRequest() {
    Convergence client = client();
    List<LabSpec> invalid =
        List.of(
            LabSpec.builder("Bad_Name").container("c", container().build()).build(),
            LabSpec.builder(labName("bad")).vm("v", linuxVm().memory("8GB").build()).build(),
            LabSpec.builder(labName("bad"))
                .container(
                    "c", container().env("X", ref("nobody").host()).mount("ghost", "/g").build())
                .build());
    long before = target().requestCount();

    for (LabSpec spec : invalid) {
      assertThatThrownBy(() -> client.start(spec)).isInstanceOf(InvalidLabSpecException.class);
      assertThatThrownBy(() -> client.plan(spec)).isInstanceOf(InvalidLabSpecException.class);
    }

    assertThat(target().requestCount()).as("requests for invalid specs").isEqualTo(before);
    InvalidLabSpecException e =
        catchThrowableOfType(InvalidLabSpecException.class, () -> client.start(invalid.get(2)));
    assertThat(e.problems())
        .extracting(p -> p.path())
        .contains("workloads[c].container.env[X]", "workloads[c].container.mounts[ghost]");
  }

  /**
   * Checks that secret values reach the platform's secret store and never logs, messages, plans or
   * toString.
   */
  @Test
  @DisplayName(
      "secret values reach the platform's secret store and never logs, messages, plans or toString")
  protected void secretsStaySecret() {
    String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-Zq9";
    String token = "tok-" + Long.toHexString(System.nanoTime()) + "-Xy7";
    LabSpec spec =
        LabSpec.builder(labName("secret"))
            .vm(
                "vm",
                linuxVm()
                    .cloudInit("#cloud-config\nchpasswd:\n  list: |\n    root:" + password + "\n")
                    .build())
            .container(
                "app",
                container()
                    .secretEnv("API_TOKEN", SecretValue.of(token))
                    .env("MODE", "test")
                    .build())
            .build();
    target().failAt("broken", Stage.RUNNING, "CrashLoopBackOff");
    LabSpec failing =
        spec.toBuilder()
            .container("broken", container().secretEnv("API_TOKEN", SecretValue.of(token)).build())
            .build();
    List<String> texts = new ArrayList<>();

    try (LogCapture logs = LogCapture.start()) {
      Convergence client = client();
      Lab lab = track(client.start(spec));
      Map<String, String> env = target().containerEnv(lab.id(), "app");
      assertThat(env).containsEntry("MODE", "test");
      assertThat(env.get("API_TOKEN"))
          .as("secret env is delivered through the secret store")
          .startsWith("secret:");
      Plan plan = client.plan(spec);
      texts.add(plan.render());
      texts.add(lab.plan().render());
      texts.add(spec.toString());
      texts.add(lab.toString());
      texts.add(lab.workload("app").spec().toString());
      lab.events().forEach(e -> texts.add(e.toString()));
      lab.close();
      ProvisioningException e =
          catchThrowableOfType(ProvisioningException.class, () -> client.start(failing));
      assertThat(e).isNotNull();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      texts.add(trace.toString());
      texts.add(logs.text());
      assertThat(logs.lines()).as("log lines captured").isNotEmpty();
    }

    for (String text : texts) {
      assertThat(text).doesNotContain(password).doesNotContain(token);
    }
  }

  /** Checks that plan renders every native object without creating anything. */
  @Test
  @DisplayName("plan renders every native object without creating anything")
  protected void planOnly() {
    LabSpec spec = convergedLab(labName("plan"));
    Set<String> before =
        Set.copyOf(target().objects().stream().map(o -> o.kind() + "/" + o.name()).toList());

    Plan plan = client().plan(spec);

    assertThat(plan.steps())
        .extracting(s -> s.workload())
        .contains("tester", "analysis", "collector");
    for (var step : plan.steps()) {
      if (step.workload() != null) {
        assertThat(step.objects()).as("objects of %s", step.id()).isNotEmpty();
        assertThat(step.after()).contains("lab");
      }
    }
    assertThat(plan.workloadStep("analysis").orElseThrow().after()).contains("workload/tester");
    assertThat(plan.render()).contains("tester", "analysis", "collector");
    Set<String> after =
        Set.copyOf(target().objects().stream().map(o -> o.kind() + "/" + o.name()).toList());
    assertThat(after).as("objects after planning").isEqualTo(before);
  }

  /** Checks that asking for a workload the lab does not have lists the ones it has. */
  @Test
  @DisplayName("asking for a workload the lab does not have lists the ones it has")
  protected void unknownWorkload() {
    Lab lab =
        track(
            client()
                .start(
                    LabSpec.builder(labName("names"))
                        .container("only", container().build())
                        .build()));

    assertThatThrownBy(() -> lab.workload("other"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other")
        .hasMessageContaining("only");
  }

  private static Instant readyAt(Lab lab, String workload) {
    return eventAt(lab, workload, LabEvent.Type.WORKLOAD_READY);
  }

  private static Instant eventAt(Lab lab, String workload, LabEvent.Type type) {
    return eventsOf(lab, workload).stream()
        .filter(e -> e.type() == type)
        .map(LabEvent::at)
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + type + " event for " + workload + " in " + lab.events()));
  }

  /**
   * Every event of a lab grouped by workload, for failure messages.
   *
   * @param lab the lab
   * @return workload to its event types
   */
  protected static Map<String, List<LabEvent.Type>> eventsByWorkload(Lab lab) {
    Map<String, List<LabEvent.Type>> out = new LinkedHashMap<>();
    lab.events()
        .forEach(
            e ->
                out.computeIfAbsent(String.valueOf(e.workload()), k -> new ArrayList<>())
                    .add(e.type()));
    return out;
  }
}
