package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.convergence.testkit.prism.PrismTestClient.Res;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** 400 schema validation, 422 unknown references, query parameters and routing errors. */
class ValidationTest {

  private static final String UNKNOWN = "00000000-0000-4000-8000-00000000dead";

  private static FakePrismCentral pc;
  private static PrismTestClient client;

  @BeforeAll
  static void start() {
    pc = FakePrismCentral.builder().noLatency().start().seedDefaults();
    client = new PrismTestClient(pc);
  }

  @AfterAll
  static void stop() {
    pc.close();
  }

  private static Arguments bad(String attributePath, Consumer<ObjectNode> change) {
    return Arguments.of(attributePath, change);
  }

  static Stream<Arguments> invalidBodies() {
    return Stream.of(
        bad("name", b -> b.remove("name")),
        bad("name", b -> b.put("name", "  ")),
        bad("name", b -> b.put("name", 42)),
        bad("memorySizeBytes", b -> b.put("memorySizeBytes", 0)),
        bad("memorySizeBytes", b -> b.put("memorySizeBytes", -1)),
        bad("memorySizeBytes", b -> b.put("memorySizeBytes", "8GiB")),
        bad("memorySizeBytes", b -> b.remove("memorySizeBytes")),
        bad("numSockets", b -> b.put("numSockets", 0)),
        bad("numCoresPerSocket", b -> b.put("numCoresPerSocket", 1.5)),
        bad("cluster", b -> b.remove("cluster")),
        bad("cluster.extId", b -> b.putObject("cluster").put("extId", "not-a-uuid")),
        bad("categories[0].extId", b -> b.putArray("categories").addObject()),
        bad("categories", b -> b.put("categories", "ConvergenceLab")),
        bad(
            "disks[0].backingInfo.$objectType",
            b ->
                ((ObjectNode) b.at("/disks/0/backingInfo"))
                    .put("$objectType", "vmm.v4.ahv.config.Nope")),
        bad(
            "disks[0].backingInfo.$objectType",
            b -> ((ObjectNode) b.at("/disks/0/backingInfo")).remove("$objectType")),
        bad(
            "disks[0].backingInfo.dataSource.reference.$objectType",
            b ->
                ((ObjectNode) b.at("/disks/0/backingInfo/dataSource/reference"))
                    .put("$objectType", "vmm.v4.ahv.config.VmDiskReference")),
        bad(
            "disks[0].backingInfo.dataSource.reference.imageExtId",
            b ->
                ((ObjectNode) b.at("/disks/0/backingInfo/dataSource/reference"))
                    .remove("imageExtId")),
        bad(
            "disks[0].backingInfo.diskSizeBytes",
            b -> {
              ObjectNode backing = (ObjectNode) b.at("/disks/0/backingInfo");
              backing.remove("dataSource");
              backing.remove("diskSizeBytes");
            }),
        bad(
            "disks[0].diskAddress.busType",
            b -> ((ObjectNode) b.at("/disks/0/diskAddress")).put("busType", "USB")),
        bad("disks[0].backingInfo", b -> ((ObjectNode) b.at("/disks/0")).remove("backingInfo")),
        bad(
            "nics[0].networkInfo.subnet",
            b -> ((ObjectNode) b.at("/nics/0/networkInfo")).remove("subnet")),
        bad(
            "nics[0].networkInfo.nicType",
            b -> ((ObjectNode) b.at("/nics/0/networkInfo")).put("nicType", "FAST_NIC")),
        bad(
            "guestCustomization.config.$objectType",
            b ->
                ((ObjectNode) b.at("/guestCustomization/config"))
                    .put("$objectType", "vmm.v4.ahv.config.Ignition")),
        bad(
            "guestCustomization.config.cloudInitScript.$objectType",
            b ->
                ((ObjectNode) b.at("/guestCustomization/config/cloudInitScript"))
                    .put("$objectType", "vmm.v4.ahv.config.Unattendxml")),
        bad(
            "guestCustomization.config.cloudInitScript.value",
            b ->
                ((ObjectNode) b.at("/guestCustomization/config/cloudInitScript"))
                    .put("value", "#cloud-config not base64!")),
        bad(
            "guestCustomization.config.sysprepScript",
            b ->
                ((ObjectNode) b.at("/guestCustomization/config"))
                    .put("$objectType", "vmm.v4.ahv.config.Sysprep")),
        bad("powerState", b -> b.put("powerState", "RUNNING")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidBodies")
  void invalidCreateBodiesAre400(String attributePath, Consumer<ObjectNode> change) {
    ObjectNode body = client.vmBody("invalid");
    change.accept(body);
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonNode err = r.data().get("error");
    assertThat(err.get("$objectType").asText()).isEqualTo("vmm.v4.error.SchemaValidationError");
    assertThat(err.get("statusCode").asInt()).isEqualTo(400);
    assertThat(err.get("validationErrorMessages").findValuesAsText("attributePath"))
        .contains(attributePath);
    assertThat(err.get("validationErrorMessages").findValuesAsText("location"))
        .containsOnly("body");
    assertThat(pc.vms()).noneMatch(v -> v.name().equals("invalid"));
  }

  @Test
  void aWindowsBodyWithSysprepIsValid() {
    ObjectNode body = client.vmBody("windows");
    ObjectNode config = (ObjectNode) body.at("/guestCustomization/config");
    config.removeAll();
    config.put("$objectType", "vmm.v4.ahv.config.Sysprep");
    config
        .putObject("sysprepScript")
        .put("$objectType", "vmm.v4.ahv.config.Unattendxml")
        .put("value", "PHVuYXR0ZW5kLz4=");
    ((ObjectNode) body.at("/disks/0/backingInfo/dataSource/reference"))
        .put("imageExtId", pc.image(FakePrismCentral.WINDOWS_IMAGE).extId());
    ((ObjectNode) body.at("/disks/0/backingInfo")).remove("diskSizeBytes");
    ObjectNode blank = body.withArray("disks").addObject();
    blank
        .putObject("backingInfo")
        .put("$objectType", "vmm.v4.ahv.config.VmDisk")
        .put("diskSizeBytes", 1_073_741_824L);
    String vm = client.createVm(body);
    JsonNode disks = client.getVm(vm).data().get("disks");
    assertThat(disks).hasSize(2);
    assertThat(disks.at("/0/backingInfo/diskSizeBytes").asLong())
        .as("the image's size")
        .isEqualTo(pc.image(FakePrismCentral.WINDOWS_IMAGE).sizeBytes());
    assertThat(disks.at("/1/diskAddress/index").asInt()).isEqualTo(1);
    assertThat(disks.at("/1/backingInfo").has("dataSource")).isFalse();
  }

  @Test
  void allViolationsAreListedTogether() {
    ObjectNode body = client.vmBody("many");
    body.remove("name");
    body.put("memorySizeBytes", 0);
    body.put("numSockets", -2);
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    assertThat(r.data().at("/error/validationErrorMessages").findValuesAsText("attributePath"))
        .containsExactlyInAnyOrder("name", "memorySizeBytes", "numSockets");
    assertThat(r.data().at("/error/validationErrorMessages").findValuesAsText("message"))
        .contains("must be greater than or equal to 1");
  }

  @Test
  void malformedBodiesAre400() {
    for (String body : List.of("{", "[1,2]", "\"vm\"", "", "null")) {
      Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
      assertThat(r.status()).as("%s", body).isEqualTo(400);
      assertThat(r.data().at("/error/$objectType").asText())
          .isEqualTo("vmm.v4.error.SchemaValidationError");
    }
  }

  static Stream<Arguments> unknownReferences() {
    return Stream.of(
        Arguments.of(
            "cluster.extId",
            (Consumer<ObjectNode>) b -> b.putObject("cluster").put("extId", UNKNOWN)),
        Arguments.of(
            "cluster.extId",
            (Consumer<ObjectNode>)
                b ->
                    b.putObject("cluster")
                        .put("extId", pc.cluster(FakePrismCentral.PRISM_CENTRAL_CLUSTER).extId())),
        Arguments.of(
            "nics[0].networkInfo.subnet.extId",
            (Consumer<ObjectNode>)
                b -> ((ObjectNode) b.at("/nics/0/networkInfo/subnet")).put("extId", UNKNOWN)),
        Arguments.of(
            "disks[0].backingInfo.dataSource.reference.imageExtId",
            (Consumer<ObjectNode>)
                b ->
                    ((ObjectNode) b.at("/disks/0/backingInfo/dataSource/reference"))
                        .put("imageExtId", UNKNOWN)),
        Arguments.of(
            "categories[0].extId",
            (Consumer<ObjectNode>)
                b -> b.putArray("categories").addObject().put("extId", UNKNOWN)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unknownReferences")
  void unknownReferencesAre422(String attribute, Consumer<ObjectNode> change) {
    ObjectNode body = client.vmBody("unknown-ref");
    change.accept(body);
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    assertThat(r.status()).as(r.body()).isEqualTo(422);
    assertThat(r.error().get("code").asText()).isEqualTo("VMM-20010");
    assertThat(r.error().get("errorGroup").asText()).isEqualTo("INVALID_REFERENCE");
    assertThat(r.error().at("/argumentsMap/attributePath").asText()).isEqualTo(attribute);
    assertThat(pc.vms()).noneMatch(v -> v.name().equals("unknown-ref"));
  }

  @Test
  void aSubnetOfAnotherClusterIs422() {
    String other = pc.addCluster("other-cluster");
    ObjectNode body = client.vmBody("wrong-cluster");
    body.putObject("cluster").put("extId", other);
    Res r = client.req("POST", FakePrismCentral.VMS_PATH).body(body).send();
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.error().get("message").asText()).contains("does not belong to cluster");
  }

  @Test
  void queryParametersAreChecked() {
    for (String query :
        List.of(
            "?$limit=0",
            "?$limit=101",
            "?$limit=ten",
            "?$page=-1",
            "?$orderby=name",
            "?$select=name",
            "?$filter="
                + PrismTestClient.q("name eq 'a'")
                + "&$filter="
                + PrismTestClient.q("name eq 'b'"))) {
      Res r = client.get(FakePrismCentral.VMS_PATH + query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.data().at("/error/validationErrorMessages/0/location").asText())
          .isEqualTo("query");
    }
    assertThat(client.get(FakePrismCentral.VMS_PATH + "?$limit=100&$page=3").status())
        .isEqualTo(200);
    Res single =
        client.get(
            FakePrismCentral.CLUSTERS_PATH
                + "/"
                + pc.cluster(FakePrismCentral.DEFAULT_CLUSTER).extId()
                + "?$select=name");
    assertThat(single.status()).as("no query options on a single entity").isEqualTo(400);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    Res path = client.get("/api/vmm/v4.0/ahv/config/templates");
    assertThat(path.status()).isEqualTo(404);
    assertThat(path.error().get("code").asText()).startsWith("VMM-");
    Res version = client.get("/api/vmm/v4.1/ahv/config/vms");
    assertThat(version.status()).as("only v4.0").isEqualTo(404);
    Res method = client.req("PATCH", FakePrismCentral.VMS_PATH + "/" + UNKNOWN).body("{}").send();
    assertThat(method.status()).isEqualTo(405);
    Res deleteList = client.req("DELETE", FakePrismCentral.CLUSTERS_PATH).send();
    assertThat(deleteList.status()).isEqualTo(405);
  }

  @Test
  void categoryAndRecoveryPointBodiesAreValidated() {
    Res longKey =
        client
            .req("POST", FakePrismCentral.CATEGORIES_PATH)
            .body("{\"key\":\"" + "k".repeat(65) + "\",\"value\":\"v\"}")
            .send();
    assertThat(longKey.status()).isEqualTo(400);
    assertThat(longKey.data().at("/error/$objectType").asText())
        .isEqualTo("prism.v4.error.SchemaValidationError");
    assertThat(longKey.data().at("/error/validationErrorMessages/0/attributePath").asText())
        .isEqualTo("key");
    Res noValue =
        client.req("POST", FakePrismCentral.CATEGORIES_PATH).body("{\"key\":\"k\"}").send();
    assertThat(noValue.status()).isEqualTo(400);
    assertThat(
            client
                .req("POST", FakePrismCentral.CATEGORIES_PATH)
                .body("{\"key\":\"" + "k".repeat(64) + "\",\"value\":\"" + "v".repeat(64) + "\"}")
                .send()
                .status())
        .isEqualTo(201);

    Res noVms =
        client.req("POST", FakePrismCentral.RECOVERY_POINTS_PATH).body("{\"name\":\"rp\"}").send();
    assertThat(noVms.status()).isEqualTo(400);
    assertThat(noVms.data().at("/error/$objectType").asText())
        .isEqualTo("dataprotection.v4.error.SchemaValidationError");
    Res unknownVm =
        client
            .req("POST", FakePrismCentral.RECOVERY_POINTS_PATH)
            .body("{\"name\":\"rp\",\"vmRecoveryPoints\":[{\"vmExtId\":\"" + UNKNOWN + "\"}]}")
            .send();
    assertThat(unknownVm.status()).isEqualTo(422);
    assertThat(unknownVm.error().get("code").asText()).isEqualTo("DP-20010");
  }

  @Test
  void anUpdateMayNotChangeTheExtId() {
    String vm = client.createVm("update-extid");
    Res get = client.getVm(vm);
    ObjectNode body = get.data().deepCopy();
    body.put("extId", UNKNOWN);
    Res r =
        client
            .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
            .ifMatch(get.etag())
            .body(body)
            .send();
    assertThat(r.status()).isEqualTo(400);
    body.put("extId", vm);
    body.put("memorySizeBytes", 0);
    assertThat(
            client
                .req("PUT", FakePrismCentral.VMS_PATH + "/" + vm)
                .ifMatch(get.etag())
                .body(body)
                .send()
                .status())
        .isEqualTo(400);
  }
}
