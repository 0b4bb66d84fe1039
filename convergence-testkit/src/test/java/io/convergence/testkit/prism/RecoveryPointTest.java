package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Recovery points (VM snapshots), revert and delete. */
class RecoveryPointTest {

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

  private static Res createPoint(String vm, String name) {
    return client
        .req("POST", FakePrismCentral.RECOVERY_POINTS_PATH)
        .body(
            "{\"name\":\""
                + name
                + "\",\"recoveryPointType\":\"CRASH_CONSISTENT\",\"vmRecoveryPoints\":[{\"vmExtId\":\""
                + vm
                + "\"}]}")
        .send();
  }

  private static Res revert(String vm, String vmPoint) {
    return client
        .req("POST", FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/revert")
        .ifMatch(client.getVm(vm).etag())
        .body("{\"vmRecoveryPointExtId\":\"" + vmPoint + "\"}")
        .send();
  }

  @Test
  void snapshotChangeRevert() {
    String vm = client.createVm("rp-vm");
    pc.faults().stallTasks("CreateRecoveryPoint");
    Res created = createPoint(vm, "before-change");
    String task = created.taskId();
    await("running", () -> pc.task(task).orElseThrow().status().equals("RUNNING"));
    JsonNode running = client.get(FakePrismCentral.TASKS_PATH + "/" + task).data();
    String rp = running.at("/entitiesAffected/0/extId").asText();
    assertThat(running.at("/entitiesAffected/0/rel").asText())
        .isEqualTo("dataprotection:config:recovery-point");
    assertThat(running.at("/entitiesAffected/1/extId").asText()).isEqualTo(vm);
    assertThat(client.get(FakePrismCentral.RECOVERY_POINTS_PATH + "/" + rp).status())
        .as("not before its task succeeded")
        .isEqualTo(404);
    pc.faults().clear();
    JsonNode done = client.awaitSucceeded(task);
    assertThat(done.at("/completionDetails/0/name").asText()).isEqualTo("recoveryPointExtId");
    assertThat(done.at("/completionDetails/0/value").asText()).isEqualTo(rp);

    Res point = client.get(FakePrismCentral.RECOVERY_POINTS_PATH + "/" + rp);
    assertThat(point.status()).isEqualTo(200);
    assertThat(point.data().get("status").asText()).isEqualTo("COMPLETE");
    assertThat(point.data().get("name").asText()).isEqualTo("before-change");
    assertThat(point.data().at("/vmRecoveryPoints/0/vmExtId").asText()).isEqualTo(vm);
    String vmPoint = point.data().at("/vmRecoveryPoints/0/extId").asText();
    assertThat(pc.recoveryPoints()).anySatisfy(p -> assertThat(p.vmExtIds()).containsExactly(vm));

    Res get = client.getVm(vm);
    ObjectNode body = get.data().deepCopy();
    body.put("memorySizeBytes", 2_147_483_648L);
    client.awaitSucceeded(
        client
            .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(get.etag())
            .body(body)
            .send()
            .taskId());
    client.powerOnAndBoot(vm);
    String beforeRevert = client.getVm(vm).etag();

    JsonNode reverted = client.awaitSucceeded(revert(vm, vmPoint).taskId());
    assertThat(reverted.get("operation").asText()).isEqualTo("RevertVm");
    JsonNode after = client.getVm(vm).data();
    assertThat(after.get("memorySizeBytes").asLong()).isEqualTo(8_589_934_592L);
    assertThat(after.get("powerState").asText()).isEqualTo("OFF");
    assertThat(after.at("/nics/0/networkInfo/ipv4Info/learnedIpAddresses")).isEmpty();
    assertThat(after.at("/$reserved/ETag").asText()).isNotEqualTo(beforeRevert);
  }

  @Test
  void revertNeedsAKnownPointOfThatVm() {
    String vm = client.createVm("rp-revert-bad");
    String other = client.createVm("rp-other");
    JsonNode task = client.awaitSucceeded(createPoint(other, "other").taskId());
    String rp = task.at("/entitiesAffected/0/extId").asText();
    String otherPoint =
        client
            .get(FakePrismCentral.RECOVERY_POINTS_PATH + "/" + rp)
            .data()
            .at("/vmRecoveryPoints/0/extId")
            .asText();
    Res wrongVm = revert(vm, otherPoint);
    assertThat(wrongVm.status()).isEqualTo(422);
    assertThat(wrongVm.error().get("errorGroup").asText()).isEqualTo("INVALID_REFERENCE");
    Res unknown = revert(vm, "00000000-0000-4000-8000-000000000000");
    assertThat(unknown.status()).isEqualTo(422);
    Res missing =
        client
            .req("POST", FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/revert")
            .ifMatch(client.getVm(vm).etag())
            .body("{}")
            .send();
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.data().at("/error/validationErrorMessages/0/attributePath").asText())
        .isEqualTo("vmRecoveryPointExtId");
  }

  @Test
  void deleteKeepsThePointReadableUntilItsTaskSucceeds() {
    String vm = client.createVm("rp-delete");
    String rp =
        client
            .awaitSucceeded(createPoint(vm, "to-delete").taskId())
            .at("/entitiesAffected/0/extId")
            .asText();
    String path = FakePrismCentral.RECOVERY_POINTS_PATH + "/" + rp;
    assertThat(client.req("DELETE", path).send().status()).isEqualTo(428);
    pc.faults().stallTasks("DeleteRecoveryPoint");
    Res del = client.req("DELETE", path).ifMatch(client.get(path).etag()).send();
    String task = del.taskId();
    assertThat(client.get(path).status()).isEqualTo(200);
    assertThat(client.req("DELETE", path).ifMatch(client.get(path).etag()).send().status())
        .isEqualTo(409);
    pc.faults().clear();
    assertThat(client.awaitSucceeded(task).get("operation").asText())
        .isEqualTo("DeleteRecoveryPoint");
    Res gone = client.get(path);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.error().get("code").asText()).isEqualTo("DP-20005");
    assertThat(client.getVm(vm).status()).as("the VM stays").isEqualTo(200);
  }

  @Test
  void pointsAreListedAndFilteredByName() {
    String vm = client.createVm("rp-list");
    client.awaitSucceeded(createPoint(vm, "lab-1.rp-list.first").taskId());
    client.awaitSucceeded(createPoint(vm, "lab-1.rp-list.second").taskId());

    JsonNode all = client.get(FakePrismCentral.RECOVERY_POINTS_PATH).data();
    JsonNode one =
        client
            .get(
                FakePrismCentral.RECOVERY_POINTS_PATH
                    + "?$filter="
                    + PrismTestClient.q("name eq 'lab-1.rp-list.second'"))
            .data();

    assertThat(all.findValuesAsText("name"))
        .contains("lab-1.rp-list.first", "lab-1.rp-list.second");
    assertThat(one).hasSize(1);
    assertThat(one.get(0).get("name").asText()).isEqualTo("lab-1.rp-list.second");
    assertThat(
            client
                .get(
                    FakePrismCentral.RECOVERY_POINTS_PATH
                        + "?$filter="
                        + PrismTestClient.q("status eq 'COMPLETE'"))
                .status())
        .as("a field the list cannot be filtered on")
        .isEqualTo(400);
  }
}
