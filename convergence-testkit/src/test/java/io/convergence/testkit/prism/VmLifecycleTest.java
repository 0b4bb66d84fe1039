package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.await;
import static io.convergence.testkit.prism.PrismTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** VM create, read, list, update, power and delete, with their tasks. */
class VmLifecycleTest {

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

  private static String status(String task) {
    return task(task).get("status").asText();
  }

  private static JsonNode task(String task) {
    Res r = client.get(FakePrismCentral.TASKS_PATH + "/" + q(task));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.data();
  }

  @Test
  void createTaskGoesQueuedRunningSucceededAndTheVmAppearsOnlyThen() {
    pc.faults().slowTasks("CreateVm", Duration.ofDays(1)).stallTasks("CreateVm");
    Res created =
        client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("lifecycle-1")).send();
    String task = created.taskId();
    assertThat(task).startsWith("ZXJnb24=:");
    JsonNode queued = task(task);
    assertThat(queued.get("status").asText()).isEqualTo("QUEUED");
    assertThat(queued.get("progressPercentage").asInt()).isZero();
    assertThat(queued.get("startedTime").isNull()).isTrue();
    assertThat(queued.get("operation").asText()).isEqualTo("CreateVm");
    JsonNode entity = queued.get("entitiesAffected").get(0);
    assertThat(entity.get("rel").asText()).isEqualTo("vmm:ahv:config:vm");
    assertThat(entity.get("name").asText()).isEqualTo("lifecycle-1");
    String vm = entity.get("extId").asText();

    assertThat(client.getVm(vm).status()).isEqualTo(404);
    assertThat(
            client
                .get(FakePrismCentral.VMS_PATH + "?$filter=" + q("name eq 'lifecycle-1'"))
                .json()
                .has("data"))
        .isFalse();
    assertThat(pc.vm(vm)).hasValueSatisfying(v -> assertThat(v.created()).isFalse());

    pc.faults().slowTasks("CreateVm", Duration.ZERO);
    await("running", () -> status(task).equals("RUNNING"));
    JsonNode running = task(task);
    assertThat(running.get("progressPercentage").asInt()).isBetween(1, 99);
    assertThat(running.get("startedTime").isTextual()).isTrue();
    assertThat(running.get("completedTime").isNull()).isTrue();
    assertThat(client.getVm(vm).status()).as("still not created").isEqualTo(404);

    pc.faults().clear();
    JsonNode done = client.awaitSucceeded(task);
    assertThat(done.get("progressPercentage").asInt()).isEqualTo(100);
    assertThat(done.get("completedTime").isTextual()).isTrue();
    assertThat(done.get("completionDetails").get(0).get("name").asText()).isEqualTo("vmExtId");
    assertThat(done.get("completionDetails").get(0).get("value").asText()).isEqualTo(vm);
    assertThat(done.get("errorMessages")).isEmpty();

    Res get = client.getVm(vm);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.data().get("name").asText()).isEqualTo("lifecycle-1");
    assertThat(get.data().get("powerState").asText())
        .as("create does not power on")
        .isEqualTo("OFF");
    assertThat(get.data().get("memorySizeBytes").asLong()).isEqualTo(8_589_934_592L);
    assertThat(get.data().at("/disks/0/backingInfo/dataSource/reference/imageExtId").asText())
        .isEqualTo(pc.image(FakePrismCentral.UBUNTU_IMAGE).extId());
    assertThat(get.data().at("/nics/0/backingInfo/macAddress").asText()).startsWith("50:6b:8d:");
    assertThat(get.data().has("guestCustomization")).isFalse();
    JsonNode customization = pc.vm(vm).orElseThrow().guestCustomization();
    assertThat(customization).isNotNull();
    assertThat(customization.at("/config/$objectType").asText())
        .isEqualTo("vmm.v4.ahv.config.CloudInit");
  }

  @Test
  void createIgnoresPowerStateOn() {
    ObjectNode body = client.vmBody("lifecycle-on");
    body.put("powerState", "ON");
    String vm = client.createVm(body);
    assertThat(client.getVm(vm).data().get("powerState").asText()).isEqualTo("OFF");
  }

  @Test
  void taskExtIdsWorkPercentEncodedOrRaw() {
    String task =
        client
            .req("POST", FakePrismCentral.VMS_PATH)
            .body(client.vmBody("lifecycle-enc"))
            .send()
            .taskId();
    assertThat(client.get(FakePrismCentral.TASKS_PATH + "/" + task).status()).isEqualTo(200);
    assertThat(
            client
                .get(
                    FakePrismCentral.TASKS_PATH
                        + "/"
                        + URLEncoder.encode(task, StandardCharsets.UTF_8))
                .status())
        .isEqualTo(200);
    assertThat(
            client.get(FakePrismCentral.TASKS_PATH + "/ZXJnb24=:nope").error().get("code").asText())
        .isEqualTo("PRISM-20005");
    client.awaitSucceeded(task);
  }

  @Test
  void powerOnLearnsAnAddressOnlyOnceTheGuestBooted() {
    String vm = client.createVm("lifecycle-boot");
    pc.faults().guestNeverBoots(vm);
    String before = client.getVm(vm).etag();
    client.awaitSucceeded(client.action(vm, "power-on").taskId());
    Res on = client.getVm(vm);
    assertThat(on.data().get("powerState").asText()).isEqualTo("ON");
    assertThat(on.etag()).as("power state change").isNotEqualTo(before);
    assertThat(on.data().at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses")).isEmpty();
    assertThat(on.data().at("/guestTools/isReachable").asBoolean()).isFalse();

    pc.faults().clear();
    JsonNode booted =
        PrismTestClient.awaitValue(
            "learned address",
            () -> {
              JsonNode data = client.getVm(vm).data();
              return data.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses").isEmpty()
                  ? null
                  : data;
            });
    String ip = booted.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses/0/value").asText();
    assertThat(ip).startsWith("10.42.");
    assertThat(booted.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses/0/prefixLength").asInt())
        .isEqualTo(32);
    assertThat(booted.at("/guestTools/isReachable").asBoolean()).isTrue();
    assertThat(booted.at("/$reserved/ETag").asText())
        .as("learning an address is a server-side change")
        .isNotEqualTo(on.etag());
    assertThat(pc.vm(vm).orElseThrow().learnedIpAddresses()).containsExactly(ip);

    client.awaitSucceeded(client.action(vm, "power-off").taskId());
    JsonNode off = client.getVm(vm).data();
    assertThat(off.get("powerState").asText()).isEqualTo("OFF");
    assertThat(off.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses")).isEmpty();
    assertThat(off.at("/guestTools/isReachable").asBoolean()).isFalse();

    JsonNode again = client.powerOnAndBoot(vm);
    assertThat(again.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses/0/value").asText())
        .as("the same lease after a reboot")
        .isEqualTo(ip);
  }

  @Test
  void powerOnOfARunningVmSucceedsWithoutChange() {
    String vm = client.createVm("lifecycle-twice");
    client.powerOnAndBoot(vm);
    String etag = client.getVm(vm).etag();
    client.awaitSucceeded(client.action(vm, "power-on").taskId());
    assertThat(client.getVm(vm).etag()).isEqualTo(etag);
  }

  @Test
  void vmsWithoutNicsBootWithoutAddress() {
    ObjectNode body = client.vmBody("lifecycle-nonic");
    body.remove("nics");
    String vm = client.createVm(body);
    client.awaitSucceeded(client.action(vm, "power-on").taskId());
    await("reachable", () -> client.getVm(vm).data().at("/guestTools/isReachable").asBoolean());
    assertThat(pc.vm(vm).orElseThrow().learnedIpAddresses()).isEmpty();
  }

  @Test
  void updateAppliesWhenItsTaskSucceeds() {
    String vm = client.createVm("lifecycle-update");
    Res get = client.getVm(vm);
    ObjectNode body = get.data().deepCopy();
    body.put("memorySizeBytes", 4_294_967_296L);
    body.put("numSockets", 4);
    body.put("name", "lifecycle-updated");
    pc.faults().stallTasks("UpdateVm");
    Res put =
        client
            .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(get.etag())
            .body(body)
            .send();
    String task = put.taskId();
    await("running", () -> status(task).equals("RUNNING"));
    assertThat(client.getVm(vm).data().get("memorySizeBytes").asLong())
        .as("unchanged until the task succeeds")
        .isEqualTo(8_589_934_592L);
    pc.faults().clear();
    JsonNode done = client.awaitSucceeded(task);
    assertThat(done.get("operation").asText()).isEqualTo("UpdateVm");
    Res after = client.getVm(vm);
    assertThat(after.data().get("memorySizeBytes").asLong()).isEqualTo(4_294_967_296L);
    assertThat(after.data().get("numSockets").asInt()).isEqualTo(4);
    assertThat(after.data().get("name").asText()).isEqualTo("lifecycle-updated");
    assertThat(after.etag()).isNotEqualTo(get.etag());
  }

  @Test
  void aVmBeingDeletedStaysReadableUntilItsTaskSucceedsThen404() {
    String vm = client.createVm("lifecycle-delete");
    client.powerOnAndBoot(vm);
    pc.faults().stallTasks("DeleteVm");
    Res del =
        client
            .req("DELETE", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(client.getVm(vm).etag())
            .send();
    String task = del.taskId();
    await("running", () -> status(task).equals("RUNNING"));
    Res during = client.getVm(vm);
    assertThat(during.status()).isEqualTo(200);
    assertThat(during.data().get("powerState").asText()).isEqualTo("ON");
    assertThat(
            client
                .get(FakePrismCentral.VMS_PATH + "?$filter=" + q("name eq 'lifecycle-delete'"))
                .data())
        .hasSize(1);
    assertThat(pc.vm(vm).orElseThrow().deleting()).isTrue();
    Res conflict = client.action(vm, "power-off");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.error().get("errorGroup").asText()).isEqualTo("VM_OPERATION_CONFLICT");
    assertThat(conflict.error().get("code").asText()).isEqualTo("VMM-30700");

    pc.faults().clear();
    client.awaitSucceeded(task);
    Res gone = client.getVm(vm);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.error().get("code").asText()).isEqualTo("VMM-20005");
    assertThat(gone.error().get("errorGroup").asText()).isEqualTo("ENTITY_NOT_FOUND");
    assertThat(pc.vm(vm)).isEmpty();
  }

  @Test
  void anotherMutationWhileATaskIsPendingIs409() {
    String vm = client.createVm("lifecycle-busy");
    pc.faults().stallTasks("PowerOnVm").guestNeverBoots(vm);
    String task = client.action(vm, "power-on").taskId();
    Res second = client.action(vm, "power-off");
    assertThat(second.status()).isEqualTo(409);
    assertThat(second.error().get("message").asText()).contains(task);
    pc.faults().clear().guestNeverBoots(vm); // no boot between the GET and the next action
    client.awaitSucceeded(task);
    assertThat(client.action(vm, "power-off").status()).isEqualTo(202);
  }

  @Test
  void listsFilterByCategoryAndPage() {
    String category = client.createCategory("ConvergenceLab", "paging");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(client.createVm(client.vmBody("paging-" + i, category)));
    }
    client.createVm("paging-other");
    String filter = "?$filter=" + q("categories/any(c:c/extId eq '" + category + "')");
    Res all = client.get(FakePrismCentral.VMS_PATH + filter + "&$page=0&$limit=100");
    assertThat(extIds(all)).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(all.data()).hasSize(3);
    assertThat(all.json().at("/metadata/totalAvailableResults").asInt()).isEqualTo(3);
    assertThat(all.json().at("/metadata/flags/1/value").asBoolean()).isTrue();

    Res page0 = client.get(FakePrismCentral.VMS_PATH + filter + "&$page=0&$limit=2");
    Res page1 = client.get(FakePrismCentral.VMS_PATH + filter + "&$page=1&$limit=2");
    Res page2 = client.get(FakePrismCentral.VMS_PATH + filter + "&$page=2&$limit=2");
    assertThat(page0.data()).hasSize(2);
    assertThat(page1.data()).hasSize(1);
    assertThat(page2.json().has("data")).isFalse();
    assertThat(page2.json().at("/metadata/totalAvailableResults").asInt()).isEqualTo(3);
    List<String> paged = new ArrayList<>(extIds(page0));
    paged.addAll(extIds(page1));
    assertThat(paged).containsExactlyInAnyOrderElementsOf(ids);

    Res both =
        client.get(
            FakePrismCentral.VMS_PATH
                + "?$filter="
                + q("name eq 'paging-1' and categories/any(c:c/extId eq '" + category + "')"));
    assertThat(both.data()).hasSize(1);
  }

  private static List<String> extIds(Res list) {
    List<String> out = new ArrayList<>();
    list.data().forEach(vm -> out.add(vm.get("extId").asText()));
    return out;
  }

  @Test
  void defaultPageHoldsFifty() {
    String category = client.createCategory("ConvergenceLab", "fifty");
    ObjectNode body = client.vmBody("x", category);
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      body.put("name", "fifty-" + i);
      tasks.add(client.req("POST", FakePrismCentral.VMS_PATH).body(body).send().taskId());
    }
    PrismTestClient.await(
        "55 creates",
        () -> tasks.stream().allMatch(t -> pc.task(t).orElseThrow().status().equals("SUCCEEDED")));
    Res r =
        client.get(
            FakePrismCentral.VMS_PATH
                + "?$filter="
                + q("categories/any(c:c/extId eq '" + category + "')"));
    assertThat(r.data()).hasSize(50);
    assertThat(r.json().at("/metadata/totalAvailableResults").asInt()).isEqualTo(55);
  }

  @Test
  void guestsLearnAddressesOfTheConfiguredNetwork() {
    try (FakePrismCentral loopback =
        FakePrismCentral.builder().guestNetwork("127.42.0.0/16").noLatency().start()) {
      loopback.seedDefaults();
      PrismTestClient c = new PrismTestClient(loopback);
      String vm = c.createVm("loopback-guest");
      c.powerOnAndBoot(vm);
      assertThat(loopback.vm(vm).orElseThrow().learnedIpAddresses())
          .singleElement()
          .asString()
          .startsWith("127.42.");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FakePrismCentral.builder().guestNetwork("10.0.0.0/8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("/16");
  }
}
