package io.convergence.nutanix.prism;

import static io.convergence.nutanix.prism.Wire.ETAG_MISMATCH_MESSAGE;
import static io.convergence.nutanix.prism.Wire.TASK_ID;
import static io.convergence.nutanix.prism.Wire.TASK_ID_2;
import static io.convergence.nutanix.prism.Wire.VM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.nutanix.prism.ScriptedPrism.Request;
import io.convergence.nutanix.prism.ScriptedPrism.Response;
import io.convergence.spec.SecretValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** If-Match with re-read and bounded retry on ETag mismatches; the task waiter. */
class PrismEtagAndTaskTest {
  private static final String VM = "/api/vmm/v4.0/ahv/config/vms/" + VM_ID;
  private static final String POWER_ON = VM + "/\\$actions/power-on";
  private static final String TASK_1 = "/api/prism/v4.0/config/tasks/" + TASK_ID;
  private static final String TASK_2 = "/api/prism/v4.0/config/tasks/" + TASK_ID_2;

  private ScriptedPrism server;
  private FakePacer pacer;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedPrism.start();
    pacer = new FakePacer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private PrismClient client(int etagRetries) {
    return PrismClient.create(
        PrismConfig.builder(server.endpoint())
            .basicAuth("admin", SecretValue.of("pw"))
            .retries(3, Duration.ofMillis(100), Duration.ofSeconds(2))
            .etagRetries(etagRetries)
            .taskPolling(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(4))
            .build(),
        pacer,
        () -> 1.0);
  }

  private static Response mismatch412() {
    return Wire.error(412, "VMM-30303", "VM_ETAG_MISMATCH", ETAG_MISMATCH_MESSAGE);
  }

  private static String failedWith(String code, String group, String message) {
    return "\"errorMessages\":[{\"$objectType\":\"prism.v4.error.AppMessage\",\"code\":\""
        + code
        + "\",\"errorGroup\":\""
        + group
        + "\",\"message\":\""
        + message
        + "\",\"severity\":\"ERROR\"}]";
  }

  // ------------------------------------------------------------------ ETags

  @Test
  void aStaleETagIsReReadAndTheActionSentAgain() {
    server
        .on("GET", VM, Wire.vmWithEtag("e1"), Wire.vmWithEtag("e2"))
        .on("POST", POWER_ON, mismatch412(), Wire.taskRef(TASK_ID));
    try (PrismClient pc = client(5)) {
      assertThat(pc.powerOnVm(VM_ID).extId()).isEqualTo(TASK_ID);
    }
    assertThat(server.log())
        .containsExactly(
            "GET " + VM,
            "POST " + VM + "/$actions/power-on",
            "GET " + VM,
            "POST " + VM + "/$actions/power-on");
    List<Request> posts = server.requests("POST");
    assertThat(posts.get(0).header("If-Match")).isEqualTo("e1");
    assertThat(posts.get(1).header("If-Match")).isEqualTo("e2");
    assertThat(posts.get(1).header("NTNX-Request-Id"))
        .as("a new ETag makes a new logical call: a replayed id would return the old 412")
        .isNotEqualTo(posts.get(0).header("NTNX-Request-Id"));
    assertThat(pacer.sleeps()).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void etagRetriesAreBounded() {
    server.on("GET", VM, Wire.vmWithEtag("e")).on("POST", POWER_ON, mismatch412());
    try (PrismClient pc = client(2)) {
      assertThatThrownBy(() -> pc.powerOnVm(VM_ID))
          .isInstanceOfSatisfying(
              PrismConflictException.class,
              e -> {
                assertThat(e.isEtagMismatch()).isTrue();
                assertThat(e.httpStatus()).isEqualTo(412);
                assertThat(e.code()).contains("VMM-30303");
                assertThat(e.errorGroup()).contains("VM_ETAG_MISMATCH");
                assertThat(e.getMessage())
                    .contains("gave up after 2 ETag retries")
                    .contains("VMM-30303 VM_ETAG_MISMATCH: Failed to perform the operation")
                    .contains("POST " + VM + "/$actions/power-on");
                assertThat(e.getCause()).isInstanceOf(PrismConflictException.class);
              });
    }
    assertThat(server.requests("POST")).hasSize(3);
    assertThat(server.requests("GET")).hasSize(3);
    assertThat(pacer.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void a428MeansSendIfMatchAndIsRetriedWithAFreshETag() {
    String noEtag =
        Wire.entity("vmm.v4.ahv.config.GetVmApiResponse", "{\"extId\":\"" + VM_ID + "\"}");
    server
        .on("GET", VM, Wire.ok(noEtag), Wire.vmWithEtag("e9"))
        .on(
            "DELETE",
            VM,
            Wire.errors(
                428,
                "vmm",
                Wire.appMessage("vmm", "PLAT-10004", "MISSING_ETAG_HEADER", "If-Match required")),
            Wire.taskRef(TASK_ID));
    try (PrismClient pc = client(3)) {
      pc.deleteVm(VM_ID);
    }
    List<Request> deletes = server.requests("DELETE");
    assertThat(deletes.get(0).header("If-Match")).isNull();
    assertThat(deletes.get(1).header("If-Match")).isEqualTo("e9");
  }

  @Test
  void otherConflictsAreNotRetried() {
    server
        .on("GET", VM, Wire.vmWithEtag("e"))
        .on(
            "POST",
            POWER_ON,
            Wire.error(409, "VMM-30700", "VM_OPERATION_CONFLICT", "another operation is running"));
    try (PrismClient pc = client(5)) {
      assertThatThrownBy(() -> pc.powerOnVm(VM_ID))
          .isInstanceOfSatisfying(
              PrismConflictException.class,
              e -> {
                assertThat(e.isEtagMismatch()).isFalse();
                assertThat(e.getMessage())
                    .contains("VMM-30700 VM_OPERATION_CONFLICT: another operation is running");
              });
    }
    assertThat(server.requests("POST")).hasSize(1);
  }

  @Test
  void aTaskFailingWithAnEtagMismatchIsResubmittedWithAFreshETag() {
    server
        .on("GET", VM, Wire.vmWithEtag("e1"), Wire.vmWithEtag("e2"))
        .on("POST", POWER_ON, Wire.taskRef(TASK_ID), Wire.taskRef(TASK_ID_2))
        .on(
            "GET",
            TASK_1,
            Wire.taskAnswer(
                TASK_ID,
                "FAILED",
                failedWith("VMM-30303", "VM_ETAG_MISMATCH", "the VM changed before the task ran")))
        .on("GET", TASK_2, Wire.taskAnswer(TASK_ID_2, "SUCCEEDED", Wire.createdVm(VM_ID)));
    try (PrismClient pc = client(3)) {
      PrismTask task = pc.powerOnVm(VM_ID);
      Task done = task.await();
      assertThat(done.status()).isEqualTo(Task.Status.SUCCEEDED);
      assertThat(task.extId()).isEqualTo(TASK_ID_2);
    }
    List<Request> posts = server.requests("POST");
    assertThat(posts).extracting(r -> r.header("If-Match")).containsExactly("e1", "e2");
  }

  @Test
  void taskLevelEtagRetriesShareTheBound() {
    server
        .on("GET", VM, Wire.vmWithEtag("e"))
        .on("POST", POWER_ON, Wire.taskRef(TASK_ID))
        .on(
            "GET",
            TASK_1,
            Wire.taskAnswer(
                TASK_ID, "FAILED", failedWith("VMM-30303", "VM_ETAG_MISMATCH", "changed")));
    try (PrismClient pc = client(1)) {
      PrismTask task = pc.powerOnVm(VM_ID);
      assertThatThrownBy(task::await)
          .isInstanceOfSatisfying(
              PrismTaskFailedException.class,
              e -> {
                assertThat(e.isEtagMismatch()).isTrue();
                assertThat(e.getMessage()).contains("gave up after 1 ETag retries");
              });
    }
    assertThat(server.requests("POST")).hasSize(2);
  }

  // ------------------------------------------------------------------ tasks

  @Test
  void awaitPollsWithADoublingPauseUntilTheTaskSucceeds() {
    server.on(
        "GET",
        TASK_1,
        Wire.taskAnswer(TASK_ID, "QUEUED", ""),
        Wire.taskAnswer(TASK_ID, "RUNNING", ""),
        Wire.taskAnswer(TASK_ID, "RUNNING", ""),
        Wire.taskAnswer(TASK_ID, "SUCCEEDED", Wire.createdVm(VM_ID)));
    try (PrismClient pc = client(0)) {
      Task t = pc.awaitTask(TASK_ID);
      assertThat(t.status()).isEqualTo(Task.Status.SUCCEEDED);
      assertThat(t.vmExtId()).contains(VM_ID);
      assertThat(t.operation()).isEqualTo("CreateVm");
    }
    assertThat(server.requests()).hasSize(4);
    assertThat(pacer.sleeps())
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void theCreatedVmFallsBackToCompletionDetails() {
    server.on(
        "GET",
        TASK_1,
        Wire.taskAnswer(
            TASK_ID,
            "SUCCEEDED",
            "\"entitiesAffected\":[{\"extId\":\"cluster-1\",\"rel\":\"clustermgmt:config:cluster\"}],"
                + "\"completionDetails\":[{\"name\":\"vmExtId\",\"value\":\"vm-from-details\"}]"));
    try (PrismClient pc = client(0)) {
      assertThat(pc.awaitTask(TASK_ID).vmExtId()).contains("vm-from-details");
    }
  }

  @Test
  void aFailedTaskThrowsItsErrorMessages() {
    server.on(
        "GET",
        TASK_1,
        Wire.taskAnswer(TASK_ID, "RUNNING", ""),
        Wire.taskAnswer(
            TASK_ID,
            "FAILED",
            failedWith("VMM-20010", "INVALID_REFERENCE", "image 1ma9e000 does not exist")));
    try (PrismClient pc = client(0)) {
      assertThatThrownBy(() -> pc.awaitTask(TASK_ID))
          .isInstanceOfSatisfying(
              PrismTaskFailedException.class,
              e -> {
                assertThat(e.code()).contains("VMM-20010");
                assertThat(e.errorGroup()).contains("INVALID_REFERENCE");
                assertThat(e.task().status()).isEqualTo(Task.Status.FAILED);
                assertThat(e.getMessage())
                    .contains("task CreateVm " + TASK_ID + " ended FAILED")
                    .contains("VMM-20010 INVALID_REFERENCE: image 1ma9e000 does not exist");
              });
    }
  }

  @Test
  void aCanceledTaskThrowsToo() {
    server.on("GET", TASK_1, Wire.taskAnswer(TASK_ID, "CANCELED", ""));
    try (PrismClient pc = client(0)) {
      assertThatThrownBy(() -> pc.awaitTask(TASK_ID))
          .isInstanceOfSatisfying(
              PrismTaskFailedException.class,
              e ->
                  assertThat(e.getMessage())
                      .contains("ended CANCELED without error messages")
                      .contains("cancelled"));
    }
  }

  @Test
  void aTaskThatDoesNotFinishTimesOutAtTheDeadline() {
    server.on("GET", TASK_1, Wire.taskAnswer(TASK_ID, "RUNNING", ""));
    try (PrismClient pc = client(0)) {
      assertThatThrownBy(() -> pc.awaitTask(TASK_ID, Duration.ofSeconds(10)))
          .isInstanceOfSatisfying(
              PrismTaskTimeoutException.class,
              e -> {
                assertThat(e.task().status()).isEqualTo(Task.Status.RUNNING);
                assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(10));
                assertThat(e.getMessage())
                    .contains("is still RUNNING at 40%")
                    .contains("after PT10S");
              });
    }
    // polls at t = 0, 1, 3, 7, 10 s: the last pause is cut to the deadline
    assertThat(server.requests()).hasSize(5);
    assertThat(pacer.sleeps())
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(3));
  }

  @Test
  void anUnknownTaskStatusCountsAsRunning() {
    server.on(
        "GET",
        TASK_1,
        Wire.taskAnswer(TASK_ID, "PAUSED_BY_ADMIN", ""),
        Wire.taskAnswer(TASK_ID, "SUCCEEDED", ""));
    try (PrismClient pc = client(0)) {
      assertThat(pc.awaitTask(TASK_ID).status()).isEqualTo(Task.Status.SUCCEEDED);
    }
  }

  @Test
  void createThenAwaitGivesTheNewVm() {
    server
        .on("POST", "/api/vmm/v4.0/ahv/config/vms", Wire.taskRef(TASK_ID))
        .on(
            "GET",
            TASK_1,
            Wire.taskAnswer(TASK_ID, "RUNNING", ""),
            Wire.taskAnswer(TASK_ID, "SUCCEEDED", Wire.createdVm(VM_ID)));
    try (PrismClient pc = client(0)) {
      Task t = pc.createVm(VmCreateSpec.builder("v", "c").memoryMib(1024).build()).await();
      assertThat(t.vmExtId()).contains(VM_ID);
    }
  }
}
