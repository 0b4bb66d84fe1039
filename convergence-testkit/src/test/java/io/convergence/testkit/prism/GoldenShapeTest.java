package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.q;
import static io.convergence.testkit.prism.Shapes.assertSameShape;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fake's responses have the shapes of the golden files, which are written from the wire
 * contract: same keys and value types at every path.
 */
class GoldenShapeTest {

  private static FakePrismCentral pc;
  private static PrismTestClient client;
  private static String category;
  private static String vm;

  @BeforeAll
  static void start() {
    pc = FakePrismCentral.builder().start().seedDefaults();
    client = new PrismTestClient(pc);
    category = client.createCategory("ConvergenceLab", "golden");
    vm = client.createVm(client.vmBody("golden-vm", category));
  }

  @AfterAll
  static void stop() {
    pc.close();
  }

  @Test
  void taskReferenceOfAnAsyncMutation() {
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(client.vmBody("golden-2")).send();
    assertThat(r.status()).isEqualTo(202);
    assertSameShape("task-reference.json", r.json());
    client.awaitSucceeded(r.taskId());
  }

  @Test
  void runningSucceededAndFailedTasks() {
    String id = client.createVm("golden-tasks");
    pc.faults().stallTasks("PowerOnVm");
    String task = client.action(id, "power-on").taskId();
    JsonNode running =
        PrismTestClient.awaitValue(
            "running task",
            () -> {
              Res r = client.get(FakePrismCentral.TASKS_PATH + "/" + q(task));
              return r.data().get("status").asText().equals("RUNNING") ? r.json() : null;
            });
    assertSameShape("task-running.json", running);
    pc.faults().clear().guestNeverBoots(id);
    client.awaitSucceeded(task);
    assertSameShape(
        "task-succeeded.json", client.get(FakePrismCentral.TASKS_PATH + "/" + q(task)).json());

    pc.faults().failNextTask("PowerOffVm", "VMM-30100", "VM_POWER_OFF_FAILED", "host busy");
    String failed = client.action(id, "power-off").taskId();
    assertThat(client.awaitTask(failed).get("status").asText()).isEqualTo("FAILED");
    assertSameShape(
        "task-failed.json", client.get(FakePrismCentral.TASKS_PATH + "/" + q(failed)).json());
  }

  @Test
  void vmWithLearnedAddressAndVmList() {
    String id = client.createVm(client.vmBody("golden-list", category));
    Res list =
        client.get(
            FakePrismCentral.VMS_PATH
                + "?$filter="
                + q("name eq 'golden-list'")
                + "&$page=0&$limit=100");
    assertSameShape("vm-list.json", list.json());
    client.powerOnAndBoot(id);
    assertSameShape("vm.json", client.getVm(id).json());
  }

  @Test
  void emptyList() {
    assertSameShape(
        "empty-list.json",
        client.get(FakePrismCentral.VMS_PATH + "?$filter=" + q("name eq 'nobody'")).json());
  }

  @Test
  void errorBodies() {
    Res stale =
        client
            .req("POST", FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/power-off")
            .ifMatch("stale")
            .body("{}")
            .send();
    assertThat(stale.status()).isEqualTo(412);
    assertSameShape("error.json", stale.json());
    for (Res r :
        List.of(
            client.getVm("00000000-0000-4000-8000-000000000000"),
            client.req("DELETE", FakePrismCentral.VMS_PATH + "/" + vm).send(), // 428, no If-Match
            client.req("POST", FakePrismCentral.VMS_PATH).noRequestId().body("{}").send())) {
      assertThat(r.status()).isIn(400, 404, 428);
      assertSameShape("error.json", r.json());
    }
    pc.faults().respond("GET", FakePrismCentral.VMS_PATH, 1, 503);
    assertSameShape("error.json", client.get(FakePrismCentral.VMS_PATH).json());
  }

  @Test
  void schemaValidationError() {
    ObjectNode body = client.vmBody("bad");
    body.put("memorySizeBytes", 0);
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    assertThat(r.status()).isEqualTo(400);
    assertSameShape("schema-validation-error.json", r.json());
  }

  @Test
  void seededAndSynchronousEntities() {
    Res created =
        client
            .req("POST", FakePrismCentral.CATEGORIES_PATH)
            .body("{\"key\":\"ConvergenceLab\",\"value\":\"shape\",\"description\":\"d\"}")
            .send();
    assertThat(created.status()).isEqualTo(201);
    assertSameShape("category-created.json", created.json());
    assertSameShape("cluster-list.json", client.get(FakePrismCentral.CLUSTERS_PATH).json());
    assertSameShape(
        "subnet-list.json",
        client
            .get(
                FakePrismCentral.SUBNETS_PATH
                    + "?$filter="
                    + q("name eq '" + FakePrismCentral.DEFAULT_SUBNET + "'"))
            .json());
    assertSameShape("image-list.json", client.get(FakePrismCentral.IMAGES_PATH).json());
  }

  @Test
  void recoveryPoint() {
    Res r =
        client
            .req("POST", FakePrismCentral.RECOVERY_POINTS_PATH)
            .body(
                "{\"name\":\"before\",\"recoveryPointType\":\"CRASH_CONSISTENT\","
                    + "\"vmRecoveryPoints\":[{\"vmExtId\":\""
                    + vm
                    + "\"}]}")
            .send();
    JsonNode task = client.awaitSucceeded(r.taskId());
    String rp = task.get("entitiesAffected").get(0).get("extId").asText();
    assertSameShape(
        "recovery-point.json", client.get(FakePrismCentral.RECOVERY_POINTS_PATH + "/" + rp).json());
  }

  // ------------------------------------------------------------------ the comparator itself

  @Test
  void aChangedShapeFails() {
    JsonNode golden = Shapes.golden("vm.json");
    assertThat(Shapes.differences(golden, golden.deepCopy())).isEmpty();

    ObjectNode missing = golden.deepCopy();
    ((ObjectNode) missing.get("data")).remove("powerState");
    assertThat(Shapes.differences(golden, missing))
        .containsExactly("$.data: missing key 'powerState'");

    ObjectNode extra = golden.deepCopy();
    ((ObjectNode) extra.get("data")).put("power_state", "ON");
    assertThat(Shapes.differences(golden, extra))
        .containsExactly("$.data: unexpected key 'power_state'");

    ObjectNode retyped = golden.deepCopy();
    ((ObjectNode) retyped.get("data")).put("memorySizeBytes", "8589934592");
    assertThat(Shapes.differences(golden, retyped))
        .containsExactly("$.data.memorySizeBytes: expected number but was string");

    ObjectNode nested = golden.deepCopy();
    ((ObjectNode) nested.at("/data/nics/0/networkInfo/ipv4Info/learnedIpAddresses/0"))
        .put("prefixLength", true);
    assertThat(Shapes.differences(golden, nested))
        .containsExactly(
            "$.data.nics[0].networkInfo.ipv4Info.learnedIpAddresses[0].prefixLength:"
                + " expected number but was boolean");

    ObjectNode listInsteadOfObject = golden.deepCopy();
    ArrayNode asList = listInsteadOfObject.putArray("data");
    asList.add(golden.get("data"));
    assertThat(Shapes.differences(golden, listInsteadOfObject))
        .containsExactly("$.data: expected object but was array");

    JsonNode task = Shapes.golden("task-running.json");
    ObjectNode withSubtask = task.deepCopy();
    ((ArrayNode) withSubtask.at("/data/subTasks")).addObject().put("extId", "x");
    assertThat(Shapes.differences(task, withSubtask)).hasSize(1);
  }
}
