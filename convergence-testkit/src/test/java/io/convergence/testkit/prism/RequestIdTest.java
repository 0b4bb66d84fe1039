package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code NTNX-Request-Id}: required on mutations, and a replay does not act again. */
class RequestIdTest {

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

  private static long vmsNamed(String name) {
    return pc.vms().stream().filter(v -> v.name().equals(name)).count();
  }

  @Test
  void missingRequestIdIs400OnEveryMutation() {
    String vm = client.createVm("rid-missing");
    String etag = client.getVm(vm).etag();
    Res create =
        client.req("POST", FakePrismCentral.VMS_PATH).noRequestId().body(client.vmBody("x")).send();
    Res action =
        client
            .req("POST", FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/power-on")
            .noRequestId()
            .ifMatch(etag)
            .body("{}")
            .send();
    Res delete =
        client
            .req("DELETE", FakePrismCentral.VMS_PATH + "/" + vm)
            .noRequestId()
            .ifMatch(etag)
            .send();
    for (Res r : List.of(create, action, delete)) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.error().get("code").asText()).isEqualTo("VMM-30400");
      assertThat(r.error().get("errorGroup").asText()).isEqualTo("VM_MISSING_REQUEST_ID_HEADER");
    }
    Res category =
        client
            .req("POST", FakePrismCentral.CATEGORIES_PATH)
            .noRequestId()
            .body("{\"key\":\"k\",\"value\":\"v\"}")
            .send();
    assertThat(category.status()).isEqualTo(400);
    assertThat(category.error().get("code").asText()).isEqualTo("PRISM-30400");
    assertThat(vmsNamed("x")).isZero();
    assertThat(pc.vm(vm).orElseThrow().powerState()).isEqualTo("OFF");
    assertThat(client.get(FakePrismCentral.CLUSTERS_PATH).status())
        .as("reads need none")
        .isEqualTo(200);
  }

  @Test
  void malformedRequestIdIs400() {
    for (String bad : new String[] {"not-a-uuid", "1234", UUID.randomUUID() + "x"}) {
      Res r =
          client
              .req("POST", FakePrismCentral.VMS_PATH)
              .requestId(bad)
              .body(client.vmBody("m"))
              .send();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.error().get("code").asText()).isEqualTo("VMM-30401");
      assertThat(r.error().get("errorGroup").asText()).isEqualTo("VM_INVALID_REQUEST_ID_HEADER");
    }
    assertThat(vmsNamed("m")).isZero();
  }

  @Test
  void aReplayedCreateReturnsTheSameTaskAndCreatesOneVm() {
    String id = UUID.randomUUID().toString();
    Res first =
        client
            .req("POST", FakePrismCentral.VMS_PATH)
            .requestId(id)
            .body(client.vmBody("rid-once"))
            .send();
    Res second =
        client
            .req("POST", FakePrismCentral.VMS_PATH)
            .requestId(id)
            .body(client.vmBody("rid-once"))
            .send();
    assertThat(second.status()).isEqualTo(202);
    assertThat(second.taskId()).isEqualTo(first.taskId());
    assertThat(second.body()).isEqualTo(first.body());
    client.awaitSucceeded(first.taskId());
    Res third =
        client
            .req("POST", FakePrismCentral.VMS_PATH)
            .requestId(id)
            .body(client.vmBody("rid-once"))
            .send();
    assertThat(third.taskId()).as("after completion too").isEqualTo(first.taskId());
    assertThat(vmsNamed("rid-once")).isEqualTo(1);
    assertThat(
            pc.tasks().stream()
                .filter(t -> t.operation().equals("CreateVm"))
                .filter(t -> t.json().at("/entitiesAffected/0/name").asText().equals("rid-once")))
        .hasSize(1);
  }

  @Test
  void aReplayedActionReturnsTheOriginalResponseEvenWithAStaleEtag() {
    String vm = client.createVm("rid-action");
    String id = UUID.randomUUID().toString();
    String etag = client.getVm(vm).etag();
    String path = FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/power-on";
    Res first = client.req("POST", path).requestId(id).ifMatch(etag).body("{}").send();
    client.awaitSucceeded(first.taskId());
    assertThat(client.getVm(vm).etag()).isNotEqualTo(etag);
    Res replay = client.req("POST", path).requestId(id).ifMatch(etag).body("{}").send();
    assertThat(replay.status()).isEqualTo(202);
    assertThat(replay.taskId()).isEqualTo(first.taskId());
    assertThat(
            pc.tasks().stream()
                .filter(t -> t.operation().equals("PowerOnVm") && t.entityExtIds().contains(vm)))
        .hasSize(1);
  }

  @Test
  void aReplayedCategoryCreateReturnsTheSame201() {
    String id = UUID.randomUUID().toString();
    String body = "{\"key\":\"ConvergenceLab\",\"value\":\"rid\"}";
    Res a = client.req("POST", FakePrismCentral.CATEGORIES_PATH).requestId(id).body(body).send();
    Res b = client.req("POST", FakePrismCentral.CATEGORIES_PATH).requestId(id).body(body).send();
    assertThat(a.status()).isEqualTo(201);
    assertThat(b.status()).as("not 409: the replay does not act").isEqualTo(201);
    assertThat(b.data().get("extId").asText()).isEqualTo(a.data().get("extId").asText());
    assertThat(pc.categories().stream().filter(c -> c.value().equals("rid"))).hasSize(1);
  }

  @Test
  void theSameIdOnAnotherPathActsAndRejectedRequestsAreNotRemembered() {
    String a = client.createVm("rid-a");
    String b = client.createVm("rid-b");
    pc.faults().guestNeverBoots(); // no server-side change between a GET and the next action
    String id = UUID.randomUUID().toString();
    Res onA =
        client
            .req("POST", FakePrismCentral.VMS_PATH + "/" + a + "/$actions/power-on")
            .requestId(id)
            .ifMatch(client.getVm(a).etag())
            .body("{}")
            .send();
    Res onB =
        client
            .req("POST", FakePrismCentral.VMS_PATH + "/" + b + "/$actions/power-on")
            .requestId(id)
            .ifMatch(client.getVm(b).etag())
            .body("{}")
            .send();
    assertThat(onB.taskId()).isNotEqualTo(onA.taskId());

    String retry = UUID.randomUUID().toString();
    String path = FakePrismCentral.VMS_PATH + "/" + a + "/$actions/power-off";
    client.awaitSucceeded(onA.taskId());
    Res stale = client.req("POST", path).requestId(retry).ifMatch("stale").body("{}").send();
    assertThat(stale.status()).isEqualTo(412);
    Res fixed =
        client.req("POST", path).requestId(retry).ifMatch(client.getVm(a).etag()).body("{}").send();
    assertThat(fixed.status()).as("a 412 is not remembered").isEqualTo(202);
  }

  @Test
  void concurrentReplaysActOnce() throws Exception {
    String id = UUID.randomUUID().toString();
    JsonNode body = client.vmBody("rid-concurrent");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        calls.add(
            () ->
                client
                    .req("POST", FakePrismCentral.VMS_PATH)
                    .requestId(id)
                    .body(body)
                    .send()
                    .taskId());
      }
      Set<String> tasks = new java.util.HashSet<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        tasks.add(f.get());
      }
      assertThat(tasks).hasSize(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(vmsNamed("rid-concurrent")).isEqualTo(1);
    assertThat(
            pc.requests().stream()
                .filter(r -> r.requestId().orElse("").equals(id))
                .map(RecordedRequest::status)
                .collect(Collectors.toSet()))
        .containsExactly(202);
  }
}
