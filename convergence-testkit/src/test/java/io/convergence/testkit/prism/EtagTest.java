package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ETags, If-Match, 412 and 428, server-side changes and the racing writer. */
class EtagTest {

  private static final Pattern MISMATCH =
      Pattern.compile(
          "Failed to perform the operation as the If-Match header value passed '(.*)' doesn't"
              + " match the current value in the server '(.*)'\\.");

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

  private static String actionPath(String vm, String action) {
    return FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/" + action;
  }

  @Test
  void getReturnsTheEtagInTheHeaderAndInReserved() {
    String vm = client.createVm("etag-get");
    Res r = client.getVm(vm);
    assertThat(r.etag()).isNotBlank();
    assertThat(r.data().at("/$reserved/ETag").asText()).isEqualTo(r.etag());
    assertThat(pc.vm(vm).orElseThrow().etag()).isEqualTo(r.etag());
  }

  @Test
  void everyChangeGivesANewEtag() {
    String vm = client.createVm("etag-changes");
    Set<String> seen = new HashSet<>();
    seen.add(client.getVm(vm).etag());
    JsonNode body = client.getVm(vm).data();
    client.awaitSucceeded(
        client
            .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(client.getVm(vm).etag())
            .body(body)
            .send()
            .taskId());
    assertThat(seen.add(client.getVm(vm).etag())).as("update").isTrue();
    pc.faults().guestNeverBoots(vm);
    client.awaitSucceeded(client.action(vm, "power-on").taskId());
    assertThat(seen.add(client.getVm(vm).etag())).as("power on").isTrue();
    pc.faults().clear();
    PrismTestClient.await(
        "learned address", () -> !pc.vm(vm).orElseThrow().learnedIpAddresses().isEmpty());
    assertThat(seen.add(client.getVm(vm).etag())).as("address learned").isTrue();
    pc.touchVm(vm);
    assertThat(seen.add(client.getVm(vm).etag())).as("touched").isTrue();
    String unchanged = client.getVm(vm).etag();
    assertThat(client.getVm(vm).etag()).as("reads change nothing").isEqualTo(unchanged);
  }

  @Test
  void missingIfMatchIs428OnPutDeleteAndActions() {
    String vm = client.createVm("etag-428");
    for (Res r :
        new Res[] {
          client
              .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
              .body(client.getVm(vm).data())
              .send(),
          client.req("DELETE", FakePrismCentral.VMS_PATH + "/" + vm).send(),
          client.req("POST", actionPath(vm, "power-on")).body("{}").send(),
          client.req("POST", actionPath(vm, "power-off")).body("{}").send(),
          client.req("POST", actionPath(vm, "revert")).body("{}").send()
        }) {
      assertThat(r.status()).as(r.body()).isEqualTo(428);
      assertThat(r.error().get("code").asText()).isEqualTo("PLAT-10004");
      assertThat(r.error().get("errorGroup").asText()).isEqualTo("MISSING_ETAG_HEADER");
    }
    assertThat(pc.vm(vm).orElseThrow().powerState()).isEqualTo("OFF");
  }

  @Test
  void staleIfMatchIs412WithTheContractsMessage() {
    String vm = client.createVm("etag-412");
    String old = client.getVm(vm).etag();
    pc.touchVm(vm);
    String current = client.getVm(vm).etag();
    Res r = client.req("POST", actionPath(vm, "power-on")).ifMatch(old).body("{}").send();
    assertThat(r.status()).isEqualTo(412);
    JsonNode e = r.error();
    assertThat(e.get("code").asText()).isEqualTo("VMM-30303");
    assertThat(e.get("errorGroup").asText()).isEqualTo("VM_ETAG_MISMATCH");
    assertThat(e.get("severity").asText()).isEqualTo("ERROR");
    assertThat(e.at("/argumentsMap/vm_uuid").asText()).isEqualTo(vm);
    Matcher m = MISMATCH.matcher(e.get("message").asText());
    assertThat(m.matches()).as(e.get("message").asText()).isTrue();
    assertThat(m.group(1)).isEqualTo(old);
    assertThat(m.group(2)).isEqualTo(current);
    assertThat(pc.vm(vm).orElseThrow().powerState()).isEqualTo("OFF");

    Res quoted =
        client
            .req("POST", actionPath(vm, "power-on"))
            .ifMatch("\"" + current + "\"")
            .body("{}")
            .send();
    assertThat(quoted.status()).as("a quoted ETag is the same ETag").isEqualTo(202);
    client.awaitSucceeded(quoted.taskId());
  }

  @Test
  void racingWriterMakesAClientReReadAndRetry() {
    String vm = client.createVm("etag-race");
    pc.faults().racingWriter(vm, 3);
    int conflicts = 0;
    Res r = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      String etag = client.getVm(vm).etag();
      r = client.req("POST", actionPath(vm, "power-on")).ifMatch(etag).body("{}").send();
      if (r.status() != 412) {
        break;
      }
      conflicts++;
      Matcher m = MISMATCH.matcher(r.error().get("message").asText());
      assertThat(m.matches()).isTrue();
      assertThat(m.group(1)).isEqualTo(etag);
      assertThat(m.group(2)).isNotEqualTo(etag);
    }
    assertThat(conflicts).isEqualTo(3);
    assertThat(r.status()).isEqualTo(202);
    client.awaitSucceeded(r.taskId());
    assertThat(pc.requestCount("POST", FakePrismCentral.VMS_PATH + "/*/$actions/power-on"))
        .isGreaterThanOrEqualTo(4);
    assertThat(pc.tasks().stream().filter(t -> t.entityExtIds().contains(vm)))
        .extracting(PrismTask::operation)
        .containsExactly("CreateVm", "PowerOnVm");
  }

  @Test
  void racingWriterOnAnyVmAndOnlyWhenTheClientWasUpToDate() {
    String a = client.createVm("etag-race-a");
    pc.faults().racingWriter(1);
    Res stale = client.req("POST", actionPath(a, "power-on")).ifMatch("old").body("{}").send();
    assertThat(stale.status()).as("the client's own stale ETag").isEqualTo(412);
    Res raced = client.action(a, "power-on");
    assertThat(raced.status()).as("the race").isEqualTo(412);
    Res ok = client.action(a, "power-on");
    assertThat(ok.status()).isEqualTo(202);
    client.awaitSucceeded(ok.taskId());
  }

  @Test
  void categoryAndRecoveryPointDeletesNeedIfMatchToo() {
    String category = client.createCategory("ConvergenceLab", "etag-cat");
    Res none = client.req("DELETE", FakePrismCentral.CATEGORIES_PATH + "/" + category).send();
    assertThat(none.status()).isEqualTo(428);
    Res stale =
        client
            .req("DELETE", FakePrismCentral.CATEGORIES_PATH + "/" + category)
            .ifMatch("stale")
            .send();
    assertThat(stale.status()).isEqualTo(412);
    assertThat(stale.error().get("code").asText()).isEqualTo("PRISM-30303");
    assertThat(stale.error().get("errorGroup").asText()).isEqualTo("ETAG_MISMATCH");
    String etag = client.get(FakePrismCentral.CATEGORIES_PATH + "/" + category).etag();
    assertThat(
            client
                .req("DELETE", FakePrismCentral.CATEGORIES_PATH + "/" + category)
                .ifMatch(etag)
                .send()
                .status())
        .isEqualTo(204);
  }
}
