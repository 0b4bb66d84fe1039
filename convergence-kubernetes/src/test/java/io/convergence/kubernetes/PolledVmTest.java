package io.convergence.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.BackendException;
import io.convergence.WorkloadStatus;
import io.convergence.spec.GuestOs;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.StageObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll loop of a VM the SDK polls: stages once each, failures, read errors, details. */
class PolledVmTest {

  private final ExecutorService work = LabSteps.workPool("polled", 2);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final LabSteps steps = new LabSteps(work, scheduler);
  private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
  private final StageObserver observer =
      new StageObserver() {
        @Override
        public void reached(Stage stage, String detail) {
          reports.add("reached " + stage);
        }

        @Override
        public void failed(Stage stage, String reason, String message, String hint) {
          reports.add("failed " + stage + " " + reason);
        }
      };

  @AfterEach
  void stop() {
    steps.close(Duration.ofSeconds(5));
    work.shutdownNow();
    scheduler.shutdownNow();
  }

  private static VmSpec spec() {
    return VmSpec.builder().image("ubuntu").guestOs(GuestOs.LINUX).expose(22).build();
  }

  private String next() throws InterruptedException {
    String r = reports.poll(10, TimeUnit.SECONDS);
    assertThat(r).as("a report within 10 s").isNotNull();
    return r;
  }

  @Test
  void eachStageIsReportedOnceAndTheLoopStopsAtTheFinalStage() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    List<Optional<Observation>> script =
        List.of(
            Optional.empty(),
            Optional.of(Observation.reached(Stage.SCHEDULED, "")),
            Optional.of(Observation.reached(Stage.SCHEDULED, "")),
            Optional.of(Observation.reached(Stage.RUNNING, "ON")),
            Optional.of(Observation.reached(Stage.NETWORK, "ON 10.0.0.5")));
    PolledVm vm =
        new PolledVm(
            "tester",
            spec(),
            Stage.NETWORK,
            steps,
            v -> script.get(Math.min(reads.getAndIncrement(), script.size() - 1)),
            "creating");
    assertThat(vm.details(false, "VM tester", "power", "ip").status())
        .isEqualTo(WorkloadStatus.PENDING);

    vm.observe(observer);
    vm.observe(observer); // a second call starts no second loop

    assertThat(List.of(next(), next(), next()))
        .containsExactly("reached SCHEDULED", "reached RUNNING", "reached NETWORK");
    int readsAtReady = reads.get();
    Thread.sleep(600);
    assertThat(reads.get()).as("no read once ready").isEqualTo(readsAtReady);
    assertThat(reports).as("nothing reported twice").isEmpty();
    vm.seen("ON", "10.0.0.5");
    assertThat(vm.details(true, "VM tester", "power", "ip").diagnostics().get(0))
        .isEqualTo("VM tester: creating, power ON, ip 10.0.0.5");
    assertThat(vm.details(true, "VM tester", "power", "ip").status())
        .isEqualTo(WorkloadStatus.READY);
  }

  @Test
  void aPlatformReadErrorIsRetriedAndAFailureIsReportedOnce() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    PolledVm vm =
        new PolledVm(
            "tester",
            spec(),
            Stage.NETWORK,
            steps,
            v -> {
              if (reads.incrementAndGet() <= 2) {
                throw new BackendException("test", "read", 503, null, "busy", "", null);
              }
              return Optional.of(Observation.reached(Stage.SCHEDULED, ""));
            },
            "creating");
    vm.observe(observer);
    assertThat(next()).isEqualTo("reached SCHEDULED");

    vm.fail(Stage.RUNNING, "VMM-30100", "no room", "check the host");
    // the running loop picks the failure up at its next poll
    assertThat(next()).isEqualTo("failed RUNNING VMM-30100");
    assertThat(vm.details(true, "VM tester", "power", "ip").status())
        .isEqualTo(WorkloadStatus.FAILED);
    assertThat(vm.details(true, "VM tester", "power", "ip").diagnostics())
        .contains("failed at RUNNING: VMM-30100 no room (check the host)");
  }

  @Test
  void anUnexpectedReadErrorFailsTheVmInsteadOfPollingForever() throws Exception {
    PolledVm vm =
        new PolledVm(
            "tester",
            spec(),
            Stage.NETWORK,
            steps,
            v -> {
              throw new IllegalStateException("bug");
            },
            "creating");
    vm.observe(observer);
    assertThat(next()).isEqualTo("failed RUNNING IllegalStateException");
  }
}
