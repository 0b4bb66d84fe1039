package io.convergence.nutanix.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.Convergence;
import io.convergence.ConvergenceTimeoutException;
import io.convergence.Lab;
import io.convergence.ProvisioningException;
import io.convergence.WorkloadFailure;
import io.convergence.WorkloadStatus;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.prism.FakePrismCentral;
import io.convergence.testkit.prism.PrismFaults;
import io.convergence.testkit.prism.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every fault the fake Prism Central injects, through the backend: a transient one (401, 429 with
 * Retry-After, 503, a dropped connection, a racing writer, slow tasks) is retried and the lab
 * starts with exactly one VM; a lasting one (failed tasks, 409, 422, 500 past the retries, a guest
 * that never boots) fails the start with the platform's error code and message at the stage it hit.
 * Either way nothing is left on Prism Central or the cluster once the lab is closed or rolled back.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NutanixFaultsTest {

  private static final String VMS = FakePrismCentral.VMS_PATH;
  private static final String POWER_ON = VMS + "/*/$actions/power-on";
  private static final AtomicInteger LABS = new AtomicInteger();

  private static NutanixEnvironment env;
  private static NutanixContractTarget target;

  @BeforeAll
  static void start() {
    env = NutanixEnvironment.start();
    target = new NutanixContractTarget(env, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @AfterEach
  void clearFaults() {
    target.clearFaults();
  }

  private static PrismFaults faults() {
    return env.prism.faults();
  }

  private static LabSpec vmLab(String prefix) {
    return LabSpec.builder(prefix + "-" + LABS.incrementAndGet())
        .vm(
            "tester",
            VmSpec.builder()
                .image(FakePrismCentral.UBUNTU_IMAGE)
                .guestOs(GuestOs.LINUX)
                .guestAgent(true)
                .build())
        .build();
  }

  private static List<PlatformObject> objectsOf(String labId) {
    return target.objects().stream().filter(o -> o.labId().equals(labId)).toList();
  }

  /**
   * Starts a one-VM lab under the fault, checks the fault was met (a response with {@code status}
   * was sent, 0 for a dropped connection, -1 to skip) and the lab is ready with one VM, closes it.
   */
  private static void startsThroughRetries(String prefix, int status, Consumer<PrismFaults> fault) {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      int before = env.prism.requests().size();
      fault.accept(faults());
      Lab lab = c.start(vmLab(prefix));
      try {
        assertThat(lab.workload("tester").status()).isEqualTo(WorkloadStatus.READY);
        if (status >= 0) {
          List<RecordedRequest> log = env.prism.requests();
          assertThat(log.subList(before, log.size()))
              .as("the injected fault was met")
              .extracting(RecordedRequest::status)
              .contains(status);
        }
        assertThat(objectsOf(lab.id()))
            .filteredOn(o -> o.kind().equals("VirtualMachine"))
            .as("VMs of the lab: a retried create must not make a second one")
            .hasSize(1);
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).as("objects left after close").isEmpty();
    }
  }

  /** Starts a one-VM lab under the fault and returns the failure of its VM, checking rollback. */
  private static WorkloadFailure failsWith(String prefix, Consumer<PrismFaults> fault) {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      fault.accept(faults());
      ProvisioningException e =
          catchThrowableOfType(ProvisioningException.class, () -> c.start(vmLab(prefix)));
      assertThat(e).as("the start must fail").isNotNull();
      assertThat(e.getMessage()).contains("tester", "rolled back");
      faults().clear();
      assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
      assertThat(e.failures()).containsKey("tester");
      return e.failures().get("tester");
    }
  }

  // ------------------------------------------------------------------ retried

  @Test
  void anExpiredSessionIsRenewedOnce() {
    startsThroughRetries(
        "relogin",
        401,
        f -> {
          env.prism.expireSessions();
          f.unauthorized("POST", VMS, 1);
        });
  }

  @Test
  void rateLimitingIsWaitedOutHonouringRetryAfter() {
    startsThroughRetries("ratelimit", 429, f -> f.rateLimit("POST", VMS, 2, Duration.ofSeconds(1)));
  }

  @Test
  void unavailableGatewaysAreRetried() {
    startsThroughRetries("unavailable", 503, f -> f.respond("POST", POWER_ON, 2, 503));
  }

  @Test
  void aCreateWhoseConnectionDroppedIsResentWithItsRequestIdAndMakesOneVm() {
    startsThroughRetries("dropped", 0, f -> f.dropConnection("POST", VMS, 1));
    assertThat(env.prism.requests())
        .filteredOn(r -> r.method().equals("POST") && r.path().equals(VMS))
        .extracting(r -> r.header("NTNX-Request-Id").orElse(""))
        .as("the create was resent with its request id")
        .filteredOn(id -> !id.isEmpty())
        .hasSizeGreaterThanOrEqualTo(2)
        .satisfies(ids -> assertThat(ids.get(ids.size() - 1)).isEqualTo(ids.get(ids.size() - 2)));
  }

  @Test
  void aRacingWriterChangingTheEtagIsReReadAndRetried() {
    startsThroughRetries("racing", 412, f -> f.racingWriter(2));
  }

  @Test
  void slowTasksAreWaitedFor() {
    startsThroughRetries(
        "slow", -1, f -> f.slowTasks(PrismFaults.ANY_OPERATION, Duration.ofMillis(300)));
  }

  // ------------------------------------------------------------------ failed

  @Test
  void aFailedCreateTaskFailsAtScheduledWithThePlatformsCodeAndWhatToCheck() {
    WorkloadFailure f =
        failsWith(
            "createfails",
            p ->
                p.failNextTask(
                    "CreateVm", "VMM-20011", "VM_CREATE_FAILED", "not enough memory on host"));
    assertThat(f.stage())
        .as("Prism accepted the VM (created) but could not place it")
        .isEqualTo(Stage.SCHEDULED);
    assertThat(f.reason()).isEqualTo("VMM-20011");
    assertThat(f.message()).contains("not enough memory on host");
    assertThat(f.hint()).contains("image " + FakePrismCentral.UBUNTU_IMAGE, "lab-cluster-01");
  }

  @Test
  void aFailedPowerOnTaskFailsAtRunningWithThePlatformsCode() {
    WorkloadFailure f =
        failsWith(
            "poweronfails",
            p ->
                p.failNextTask(
                    "PowerOnVm", "VMM-30100", "VM_POWER_ON_FAILED", "host has no free vCPUs"));
    assertThat(f.stage()).isEqualTo(Stage.RUNNING);
    assertThat(f.reason()).isEqualTo("VMM-30100");
    assertThat(f.message()).contains("host has no free vCPUs");
    assertThat(f.hint()).contains("power-on task");
  }

  @Test
  void aRejectedCreateIsNotRetriedAndNamesTheCode() {
    WorkloadFailure f =
        failsWith(
            "rejected",
            p ->
                p.respond(
                    "POST",
                    VMS,
                    1,
                    422,
                    "VMM-10422",
                    "INVALID_ARGUMENT",
                    "memorySizeBytes is above the cluster's limit"));
    assertThat(f.stage()).isEqualTo(Stage.CREATED);
    assertThat(f.reason()).isEqualTo("VMM-10422");
    assertThat(f.message()).contains("memorySizeBytes is above the cluster's limit");
    assertThat(f.hint())
        .as("the Prism client's own hint, not the runtime's generic one")
        .isNotBlank()
        .doesNotContain("the platform refused the request");
    assertThat(env.prism.requestCount("POST", VMS)).isPositive();
  }

  @Test
  void aLastingConflictOnPowerOnFailsAtRunning() {
    WorkloadFailure f =
        failsWith(
            "conflict",
            p ->
                p.respond(
                    "POST",
                    POWER_ON,
                    50,
                    409,
                    "VMM-30700",
                    "VM_OPERATION_CONFLICT",
                    "another operation is in progress on the VM"));
    assertThat(f.stage()).isEqualTo(Stage.RUNNING);
    assertThat(f.reason()).isEqualTo("VMM-30700");
    assertThat(f.message()).contains("another operation is in progress");
  }

  @Test
  void serverErrorsPastTheRetriesFailWithTheCode() {
    WorkloadFailure f =
        failsWith(
            "servererror",
            p -> p.respond("POST", VMS, 50, 500, "VMM-10500", "INTERNAL_ERROR", "vmm is down"));
    assertThat(f.stage()).isEqualTo(Stage.CREATED);
    assertThat(f.reason()).isEqualTo("VMM-10500");
    assertThat(f.message()).contains("vmm is down");
  }

  @Test
  void aGuestThatNeverBootsTimesOutAtNetworkAndIsRemoved() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      faults().guestNeverBoots();
      LabSpec spec =
          LabSpec.builder("noboot-" + LABS.incrementAndGet())
              .vm(
                  "tester",
                  VmSpec.builder()
                      .image(FakePrismCentral.UBUNTU_IMAGE)
                      .guestOs(GuestOs.LINUX)
                      .timeout(Stage.NETWORK, Duration.ofSeconds(2))
                      .build())
              .build();
      ConvergenceTimeoutException e =
          catchThrowableOfType(ConvergenceTimeoutException.class, () -> c.start(spec));
      assertThat(e).isNotNull();
      assertThat(e.notReady()).containsEntry("tester", Stage.NETWORK);
      assertThat(e.failures().get("tester").diagnostics())
          .anySatisfy(d -> assertThat(d).contains("powerState ON"));
      assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
    }
  }

  @Test
  void aRollbackWaitsOutThePowerOnTaskStillRunningAndRemovesTheVm() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      faults().slowTasks("PowerOnVm", Duration.ofMillis(700));
      LabSpec spec =
          LabSpec.builder("busy-" + LABS.incrementAndGet())
              .vm(
                  "tester",
                  VmSpec.builder()
                      .image(FakePrismCentral.UBUNTU_IMAGE)
                      .guestOs(GuestOs.LINUX)
                      .timeout(Stage.RUNNING, Duration.ofMillis(500))
                      .build())
              .build();
      ConvergenceTimeoutException e =
          catchThrowableOfType(ConvergenceTimeoutException.class, () -> c.start(spec));
      assertThat(e).isNotNull();
      assertThat(e.notReady()).containsEntry("tester", Stage.RUNNING);
      assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
      assertThat(env.prism.requests())
          .as("the delete met the pending power-on (409) and was retried")
          .anySatisfy(
              r -> {
                assertThat(r.method()).isEqualTo("DELETE");
                assertThat(r.status()).isEqualTo(409);
              });
    }
  }

  @Test
  void aRollbackWhileTheCreateTaskRunsWaitsForItAndRemovesTheVm() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      faults().slowTasks("CreateVm", Duration.ofMillis(600));
      LabSpec spec =
          LabSpec.builder("creating-" + LABS.incrementAndGet())
              .vm(
                  "tester",
                  VmSpec.builder()
                      .image(FakePrismCentral.UBUNTU_IMAGE)
                      .guestOs(GuestOs.LINUX)
                      .timeout(Stage.SCHEDULED, Duration.ofMillis(300))
                      .build())
              .build();
      ConvergenceTimeoutException e =
          catchThrowableOfType(ConvergenceTimeoutException.class, () -> c.start(spec));
      assertThat(e).isNotNull();
      assertThat(e.notReady()).containsEntry("tester", Stage.SCHEDULED);
      assertThat(e.getMessage()).doesNotContain("not removed");
      assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
      faults().clear();
      assertThat(env.prism.awaitIdle(Duration.ofSeconds(10))).isTrue();
      assertThat(objectsOf(e.labId())).as("objects once every task ended").isEmpty();
    } catch (InterruptedException ex) {
      throw new AssertionError(ex);
    }
  }
}
