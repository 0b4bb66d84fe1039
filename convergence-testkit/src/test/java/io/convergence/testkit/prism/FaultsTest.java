package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.await;
import static io.convergence.testkit.prism.PrismTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of scripted fault, and that faults are consumed and cleared. */
class FaultsTest {

  private static FakePrismCentral pc;
  private static PrismTestClient client;

  @BeforeAll
  static void start() {
    pc = FakePrismCentral.builder().start().seedDefaults();
    client = new PrismTestClient(pc);
  }

  @AfterAll
  static void stop() {
    pc.close();
  }

  @AfterEach
  void clearFaults() {
    pc.faults().clear();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "403, VMM-10403, ACCESS_DENIED",
    "404, VMM-20005, ENTITY_NOT_FOUND",
    "409, VMM-30700, VM_OPERATION_CONFLICT",
    "412, VMM-30303, VM_ETAG_MISMATCH",
    "422, VMM-20010, INVALID_REFERENCE",
    "429, PLAT-10429, RATE_LIMIT_EXCEEDED",
    "500, VMM-10500, INTERNAL_ERROR",
    "502, PLAT-10502, BAD_GATEWAY",
    "503, PLAT-10503, SERVICE_UNAVAILABLE",
    "504, PLAT-10504, GATEWAY_TIMEOUT"
  })
  void respondsWithThePlatformsErrorBodies(int status, String code, String errorGroup) {
    pc.faults().respond("GET", FakePrismCentral.VMS_PATH, 1, status);
    Res r = client.get(FakePrismCentral.VMS_PATH);
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("Content-Type")).hasValue("application/json");
    assertThat(r.json().get("$objectType").asText())
        .isEqualTo("vmm.v4.ahv.config.ListVmsApiResponse");
    assertThat(r.json().get("$dataItemDiscriminator").asText())
        .isEqualTo("vmm.v4.error.ErrorResponse");
    JsonNode e = r.error();
    assertThat(e.get("$objectType").asText()).isEqualTo("vmm.v4.error.AppMessage");
    assertThat(e.get("code").asText()).isEqualTo(code);
    assertThat(e.get("errorGroup").asText()).isEqualTo(errorGroup);
    assertThat(e.get("severity").asText()).isEqualTo("ERROR");
    assertThat(e.get("message").asText()).isNotBlank();
    assertThat(r.header("Retry-After").isPresent()).isEqualTo(status == 429);
    assertThat(client.get(FakePrismCentral.VMS_PATH).status()).as("consumed").isEqualTo(200);
  }

  @Test
  void a401FaultIsNotJson() {
    pc.faults().unauthorized("*", "/api/**", 1);
    Res r = client.get(FakePrismCentral.SUBNETS_PATH);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(r.body()).doesNotStartWith("{");
    assertThat(client.get(FakePrismCentral.SUBNETS_PATH).status()).isEqualTo(200);
  }

  @Test
  void errorBodiesFollowTheNamespaceOfThePath() {
    pc.faults().respond("GET", FakePrismCentral.TASKS_PATH + "/*", 1, 404);
    Res r = client.get(FakePrismCentral.TASKS_PATH + "/" + q("ZXJnb24=:x"));
    assertThat(r.error().get("code").asText()).isEqualTo("PRISM-20005");
    assertThat(r.error().get("$objectType").asText()).isEqualTo("prism.v4.error.AppMessage");
    assertThat(r.json().get("$objectType").asText())
        .isEqualTo("prism.v4.config.GetTaskApiResponse");
    pc.faults().respond("GET", FakePrismCentral.CLUSTERS_PATH, 1, 500);
    assertThat(client.get(FakePrismCentral.CLUSTERS_PATH).error().get("code").asText())
        .isEqualTo("CLU-10500");
    pc.faults().respond("GET", FakePrismCentral.SUBNETS_PATH, 1, 403);
    assertThat(client.get(FakePrismCentral.SUBNETS_PATH).error().get("code").asText())
        .isEqualTo("NET-10403");
  }

  @Test
  void rateLimitAnnouncesRetryAfterInWholeSeconds() {
    pc.faults().rateLimit("*", "/api/**", 2, Duration.ofMillis(1500));
    Res a = client.get(FakePrismCentral.IMAGES_PATH);
    Res b = client.get(FakePrismCentral.CLUSTERS_PATH);
    for (Res r : List.of(a, b)) {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.header("Retry-After")).hasValue("2");
      assertThat(r.error().get("errorGroup").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
    }
    assertThat(client.get(FakePrismCentral.IMAGES_PATH).status()).isEqualTo(200);
  }

  @Test
  void faultsCountDownMatchByMethodAndGlobAndCarryCustomErrors() {
    pc.faults()
        .respond(
            "POST",
            FakePrismCentral.VMS_PATH,
            2,
            409,
            "VMM-99999",
            "CUSTOM_GROUP",
            "custom message");
    assertThat(pc.faults().pendingRequestFaults()).isEqualTo(2);
    assertThat(client.get(FakePrismCentral.VMS_PATH).status()).as("GET not matched").isEqualTo(200);
    assertThat(pc.faults().pendingRequestFaults()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      Res r =
          client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("count-" + i)).send();
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.error().get("code").asText()).isEqualTo("VMM-99999");
      assertThat(r.error().get("errorGroup").asText()).isEqualTo("CUSTOM_GROUP");
      assertThat(r.error().get("message").asText()).isEqualTo("custom message");
    }
    assertThat(pc.faults().pendingRequestFaults()).isZero();
    assertThat(pc.vms()).noneMatch(v -> v.name().startsWith("count-"));
    Res ok = client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("f-ok")).send();
    assertThat(ok.status()).isEqualTo(202);
    client.awaitSucceeded(ok.taskId());

    String vm = client.createVm("f-glob");
    pc.faults().respond("*", "/api/vmm/*/ahv/config/vms/*/$actions/*", 1, 503);
    assertThat(client.getVm(vm).status()).as("one segment too short").isEqualTo(200);
    assertThat(client.action(vm, "power-on").status()).isEqualTo(503);
    pc.faults().respond("GET", "/api/vmm/**", 1, 502);
    assertThat(client.getVm(vm).status()).isEqualTo(502);
  }

  @Test
  void droppedConnectionsGetNoResponse() {
    pc.faults().dropConnection("POST", FakePrismCentral.VMS_PATH, 1);
    assertThatThrownBy(
            () ->
                client
                    .req("POST", FakePrismCentral.VMS_PATH)
                    .body(client.vmBody("dropped"))
                    .sendOrThrow())
        .isInstanceOf(IOException.class);
    assertThat(pc.vms()).noneMatch(v -> v.name().equals("dropped"));
    assertThat(pc.requests()).anyMatch(r -> r.method().equals("POST") && r.status() == 0);
    Res ok = client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("dropped")).send();
    assertThat(ok.status()).isEqualTo(202);
    client.awaitSucceeded(ok.taskId());
  }

  @Test
  void delayedResponsesCanTimeAClientOut() throws Exception {
    pc.faults().delay("GET", FakePrismCentral.IMAGES_PATH, 1, Duration.ofMinutes(10));
    assertThatThrownBy(
            () ->
                client
                    .req("GET", FakePrismCentral.IMAGES_PATH)
                    .timeout(Duration.ofMillis(300))
                    .sendOrThrow())
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(client.get(FakePrismCentral.IMAGES_PATH).status()).isEqualTo(200);

    pc.faults()
        .delay("GET", FakePrismCentral.CLUSTERS_PATH, 1, Duration.ofMillis(20))
        .respond("GET", FakePrismCentral.CLUSTERS_PATH, 1, 504);
    assertThat(client.get(FakePrismCentral.CLUSTERS_PATH).status())
        .as("a delay, then the next fault")
        .isEqualTo(504);
  }

  @Test
  void failedTasksCarryTheErrorAndChangeNothing() {
    pc.faults()
        .failNextTask("CreateVm", "VMM-30001", "VM_CREATE_FAILED", "Not enough memory on host");
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("f-task")).send();
    JsonNode task = client.awaitTask(r.taskId());
    assertThat(task.get("status").asText()).isEqualTo("FAILED");
    JsonNode err = task.get("errorMessages").get(0);
    assertThat(err.get("$objectType").asText()).isEqualTo("prism.v4.error.AppMessage");
    assertThat(err.get("code").asText()).isEqualTo("VMM-30001");
    assertThat(err.get("errorGroup").asText()).isEqualTo("VM_CREATE_FAILED");
    assertThat(err.get("message").asText()).isEqualTo("Not enough memory on host");
    assertThat(err.get("severity").asText()).isEqualTo("ERROR");
    assertThat(task.get("legacyErrorMessage").asText()).isEqualTo("Not enough memory on host");
    String vm = task.at("/entitiesAffected/0/extId").asText();
    assertThat(client.getVm(vm).status()).isEqualTo(404);
    assertThat(pc.vm(vm)).isEmpty();
    assertThat(pc.task(r.taskId()).orElseThrow().errorCodes()).containsExactly("VMM-30001");

    String ok = client.createVm("f-task");
    pc.faults().failTasks(PrismFaults.ANY_OPERATION, 2, "VMM-1", "G", "m");
    assertThat(client.awaitTask(client.action(ok, "power-on").taskId()).get("status").asText())
        .isEqualTo("FAILED");
    assertThat(client.getVm(ok).data().get("powerState").asText()).isEqualTo("OFF");
    assertThat(client.awaitTask(client.action(ok, "power-on").taskId()).get("status").asText())
        .isEqualTo("FAILED");
    client.awaitSucceeded(client.action(ok, "power-on").taskId());
    assertThat(client.getVm(ok).data().get("powerState").asText()).isEqualTo("ON");
  }

  @Test
  void slowAndStalledTasks() throws InterruptedException {
    pc.faults().slowTasks("CreateVm", Duration.ofDays(1));
    String task =
        client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("f-slow")).send().taskId();
    for (int i = 0; i < 5; i++) {
      assertThat(pc.task(task).orElseThrow().status()).isEqualTo("QUEUED");
    }
    assertThat(pc.awaitIdle(Duration.ofMillis(50))).as("a pending task is not idle").isFalse();
    pc.faults().slowTasks("CreateVm", Duration.ZERO).stallTasks(PrismFaults.ANY_OPERATION);
    await("running", () -> pc.task(task).orElseThrow().status().equals("RUNNING"));
    pc.faults().clear();
    client.awaitSucceeded(task);
  }

  @Test
  void clearRemovesEveryFault() {
    pc.faults()
        .respond("*", "/**", 5, 500)
        .dropConnection("*", "/**", 5)
        .delay("*", "/**", 5, Duration.ofMinutes(5))
        .failTasks(PrismFaults.ANY_OPERATION, 5, "X-1", "X", "x")
        .stallTasks(PrismFaults.ANY_OPERATION)
        .slowTasks(PrismFaults.ANY_OPERATION, Duration.ofDays(1))
        .guestNeverBoots()
        .racingWriter(5);
    pc.faults().clear();
    assertThat(pc.faults().pendingRequestFaults()).isZero();
    String vm = client.createVm("f-clear");
    client.powerOnAndBoot(vm);
  }

  @Test
  void concurrentRequestsConsumeAFaultExactlyTimes() throws Exception {
    pc.faults().respond("GET", FakePrismCentral.SUBNETS_PATH, 5, 503);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        calls.add(() -> client.get(FakePrismCentral.SUBNETS_PATH).status());
      }
      int failures = 0;
      for (Future<Integer> f : pool.invokeAll(calls)) {
        failures += f.get() == 503 ? 1 : 0;
      }
      assertThat(failures).isEqualTo(5);
    } finally {
      pool.shutdownNow();
    }
  }
}
