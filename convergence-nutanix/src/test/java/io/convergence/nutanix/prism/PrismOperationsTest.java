package io.convergence.nutanix.prism;

import static io.convergence.nutanix.prism.Wire.TASK_ID;
import static io.convergence.nutanix.prism.Wire.VM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.convergence.nutanix.prism.ScriptedPrism.Request;
import io.convergence.nutanix.prism.ScriptedPrism.Response;
import io.convergence.spec.SecretValue;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The typed operations: request shapes (golden bodies, filters, paths) and answer decoding. */
class PrismOperationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLUSTERS = "/api/clustermgmt/v4.0/config/clusters";
  private static final String SUBNETS = "/api/networking/v4.0/config/subnets";
  private static final String IMAGES = "/api/vmm/v4.0/content/images";
  private static final String CATEGORIES = "/api/prism/v4.0/config/categories";
  private static final String VMS = "/api/vmm/v4.0/ahv/config/vms";
  private static final String RPS = "/api/dataprotection/v4.0/config/recovery-points";
  private static final String TASKS = "/api/prism/v4.0/config/tasks";

  private ScriptedPrism server;
  private FakePacer pacer;
  private PrismClient pc;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedPrism.start();
    pacer = new FakePacer();
    pc =
        PrismClient.create(
            PrismConfig.builder(server.endpoint())
                .basicAuth("admin", SecretValue.of("pw"))
                .retries(3, Duration.ofMillis(10), Duration.ofMillis(40))
                .build(),
            pacer,
            () -> 1.0);
  }

  @AfterEach
  void stop() {
    pc.close();
    server.close();
  }

  private static JsonNode resource(String name) throws Exception {
    try (InputStream in = PrismOperationsTest.class.getResourceAsStream("/prism/" + name)) {
      assertThat(in).as(name).isNotNull();
      return JSON.readTree(in);
    }
  }

  private static String cluster(String extId, String name, String function) {
    return "{\"$objectType\":\"clustermgmt.v4.config.Cluster\",\"extId\":\""
        + extId
        + "\",\"name\":\""
        + name
        + "\",\"config\":{\"clusterFunction\":[\""
        + function
        + "\"]}}";
  }

  private static String subnet(String extId, String name, String cluster) {
    return "{\"extId\":\""
        + extId
        + "\",\"name\":\""
        + name
        + "\",\"subnetType\":\"VLAN\",\"clusterReference\":\""
        + cluster
        + "\"}";
  }

  private static String image(String extId, String name) {
    return "{\"extId\":\""
        + extId
        + "\",\"name\":\""
        + name
        + "\",\"type\":\"DISK_IMAGE\",\"sizeBytes\":2361393152}";
  }

  private static String category(String extId, String key, String value) {
    return "{\"$objectType\":\"prism.v4.config.Category\",\"extId\":\""
        + extId
        + "\",\"key\":\""
        + key
        + "\",\"value\":\""
        + value
        + "\",\"description\":\"d\"}";
  }

  // ------------------------------------------------------------------ VM create

  @Test
  void theCreateBodyIsExactlyTheContractsShape() throws Exception {
    server.on("POST", VMS, Wire.taskRef(TASK_ID));
    VmCreateSpec spec =
        VmCreateSpec.builder("lab-tester-1a2b", "0005f8a1-5b2c-4e7d-8a90-111111111111")
            .description("convergence lab run-42")
            .cpu(2, 1, 1)
            .memoryMib(8192)
            .category("c0ffee00-0000-4000-8000-000000000042")
            .blankDisk(10L << 30)
            .bootDiskFromImage("1ma9e000-0000-4000-8000-000000000024", 40L << 30)
            .nic("5ub0e700-0000-4000-8000-000000000129")
            .cloudInit(SecretValue.of("#cloud-config\npassword: hunter2\n"))
            .build();

    PrismTask task = pc.createVm(spec);

    assertThat(task.extId()).isEqualTo(TASK_ID);
    Request post = server.requests("POST").get(0);
    assertThat(post.path()).isEqualTo(VMS);
    assertThat(post.header("Content-Type")).isEqualTo("application/json");
    assertThat(post.header("If-Match")).isNull();
    UUID.fromString(post.header("NTNX-Request-Id"));
    assertThat(JSON.readTree(post.body())).isEqualTo(resource("create-vm-cloud-init.json"));
  }

  @Test
  void aWindowsVmGetsASysprepUnattendXml() throws Exception {
    server.on("POST", VMS, Wire.taskRef(TASK_ID));
    String xml = "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"/>";
    pc.createVm(
        VmCreateSpec.builder("win", "c1").memoryMib(4096).sysprep(SecretValue.of(xml)).build());
    JsonNode config =
        JSON.readTree(server.requests().get(0).body()).at("/guestCustomization/config");
    assertThat(config.get("$objectType").asText()).isEqualTo("vmm.v4.ahv.config.Sysprep");
    assertThat(config.at("/sysprepScript/$objectType").asText())
        .isEqualTo("vmm.v4.ahv.config.Unattendxml");
    assertThat(config.at("/sysprepScript/value").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8)));
    assertThat(config.has("cloudInitScript")).isFalse();
  }

  @Test
  void aMinimalVmLeavesOutEmptyListsAndTheDescription() throws Exception {
    server.on("POST", VMS, Wire.taskRef(TASK_ID));
    pc.createVm(VmCreateSpec.builder("bare", "c1").memoryBytes(1).build());
    JsonNode body = JSON.readTree(server.requests().get(0).body());
    assertThat(body.has("description")).isFalse();
    assertThat(body.has("categories")).isFalse();
    assertThat(body.has("disks")).isFalse();
    assertThat(body.has("nics")).isFalse();
    assertThat(body.has("guestCustomization")).isFalse();
    assertThat(body.get("memorySizeBytes").asLong()).isEqualTo(1);
  }

  @Test
  void oversizedGuestCustomizationIsRefusedBeforeAnythingIsSent() {
    String userData = "#cloud-config\n" + "x".repeat(96_000);
    String unattend = "<a>" + "y".repeat(24_000) + "</a>";
    assertThatThrownBy(
            () ->
                pc.createVm(
                    VmCreateSpec.builder("big", "c1")
                        .memoryMib(512)
                        .cloudInit(SecretValue.of(userData))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cloud-init user data is 128020 characters base64-encoded")
        .hasMessageContaining("at most 128000")
        .hasMessageNotContaining("xxxx");
    assertThatThrownBy(
            () ->
                pc.createVm(
                    VmCreateSpec.builder("big", "c1")
                        .memoryMib(512)
                        .sysprep(SecretValue.of(unattend))
                        .build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 32000");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void userDataAtTheLimitIsAccepted() {
    server.on("POST", VMS, Wire.taskRef(TASK_ID));
    // 96000 bytes encode to exactly 128000 base64 characters
    pc.createVm(
        VmCreateSpec.builder("edge", "c1")
            .memoryMib(512)
            .cloudInit(SecretValue.of("z".repeat(96_000)))
            .build());
    assertThat(server.requests()).hasSize(1);
  }

  // ------------------------------------------------------------------ find by name

  @Test
  void findClusterSkipsPrismCentralAndQuotesTheName() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.ok(
            Wire.list(
                2, cluster("pc-1", "lab", "PRISM_CENTRAL"), cluster("0005-aos", "lab", "AOS"))));
    Cluster c = pc.findCluster("lab");
    assertThat(c.extId()).isEqualTo("0005-aos");
    assertThat(c.isPrismCentral()).isFalse();
    Request r = server.requests().get(0);
    assertThat(r.query()).containsEntry("$filter", "name eq 'lab'");
    assertThat(r.query()).containsEntry("$page", "0").containsEntry("$limit", "100");
    assertThat(r.rawQuery()).startsWith("$filter=name%20eq%20%27lab%27&");
  }

  @Test
  void aMissingClusterIsReportedWithTheClustersThatExist() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.ok(Wire.list(0)),
        Wire.ok(
            Wire.list(
                3,
                cluster("pc-1", "prism-central", "PRISM_CENTRAL"),
                cluster("c-2", "lab-b", "AOS"),
                cluster("c-1", "lab-a", "AOS"))));
    assertThatThrownBy(() -> pc.findCluster("lab-c"))
        .isInstanceOfSatisfying(
            PrismNotFoundException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(-1);
              assertThat(e.getMessage())
                  .contains("find cluster 'lab-c' failed")
                  .contains("no cluster named 'lab-c'")
                  .contains("clusters there: lab-a, lab-b")
                  .doesNotContain("prism-central");
            });
    assertThat(server.requests().get(1).query()).doesNotContainKey("$filter");
  }

  @Test
  void onlyPrismCentralMatchingIsNotFound() {
    server.on("GET", CLUSTERS, Wire.ok(Wire.list(1, cluster("pc-1", "pc", "PRISM_CENTRAL"))));
    assertThatThrownBy(() -> pc.findCluster("pc"))
        .isInstanceOf(PrismNotFoundException.class)
        .hasMessageContaining("there are none");
  }

  @Test
  void anAmbiguousSubnetNameNamesTheCandidates() {
    server.on(
        "GET",
        SUBNETS,
        Wire.ok(Wire.list(2, subnet("s-1", "vlan-129", "c-1"), subnet("s-2", "vlan-129", "c-2"))));
    assertThatThrownBy(() -> pc.findSubnet("vlan-129"))
        .isInstanceOfSatisfying(
            PrismAmbiguousNameException.class,
            e ->
                assertThat(e.getMessage())
                    .contains("2 subnets are named 'vlan-129' (extIds s-1, s-2)"));
    assertThat(pc.findSubnet("vlan-129", "c-2").extId()).isEqualTo("s-2");
  }

  @Test
  void namesWithQuotesAreDoubledInODataAndPercentEncoded() {
    server.on("GET", IMAGES, Wire.ok(Wire.list(1, image("i-1", "O'Brien's image + more"))));
    Image i = pc.findImage("O'Brien's image + more");
    assertThat(i.extId()).isEqualTo("i-1");
    assertThat(i.sizeBytes()).isEqualTo(2361393152L);
    Request r = server.requests().get(0);
    assertThat(r.query()).containsEntry("$filter", "name eq 'O''Brien''s image + more'");
    assertThat(r.rawQuery())
        .startsWith("$filter=name%20eq%20%27O%27%27Brien%27%27s%20image%20%2B%20more%27&")
        .doesNotContain(" ");
  }

  @Test
  void findByNameComparesExactly() {
    server.on(
        "GET",
        IMAGES,
        Wire.ok(Wire.list(1, image("i-1", "Ubuntu"))),
        Wire.ok(Wire.list(1, image("i-1", "Ubuntu"))));
    assertThatThrownBy(() -> pc.findImage("ubuntu"))
        .isInstanceOf(PrismNotFoundException.class)
        .hasMessageContaining("images there: Ubuntu");
  }

  // ------------------------------------------------------------------ lists

  @Test
  void anEmptyListWithoutDataIsEmpty() {
    server.on("GET", SUBNETS, Wire.ok(Wire.list(0)));
    assertThat(pc.listSubnets()).isEmpty();
  }

  @Test
  void vmsOfACategoryAreReadPageByPage() {
    List<String> page0 = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      page0.add("{\"extId\":\"vm-" + i + "\",\"name\":\"n" + i + "\"}");
    }
    server.on(
        "GET",
        VMS,
        Wire.ok(Wire.list(103, page0.toArray(String[]::new))),
        Wire.ok(
            Wire.list(
                103,
                "{\"extId\":\"vm-100\"}",
                "{\"extId\":\"vm-101\"}",
                "{\"extId\":\"vm-102\"}")));
    List<Vm> vms = pc.listVmsByCategory("cat-42");
    assertThat(vms).hasSize(103);
    assertThat(vms.get(102).extId()).isEqualTo("vm-102");
    List<Request> r = server.requests();
    assertThat(r).hasSize(2);
    assertThat(r.get(0).query())
        .containsEntry("$filter", "categories/any(c:c/extId eq 'cat-42')")
        .containsEntry("$page", "0")
        .containsEntry("$limit", "100");
    assertThat(r.get(1).query()).containsEntry("$page", "1");
    assertThat(r.get(0).rawQuery()).doesNotContain("/").doesNotContain("'");
  }

  @Test
  void paginationStopsAtTotalAvailableResults() {
    List<String> page0 = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      page0.add("{\"extId\":\"vm-" + i + "\"}");
    }
    server.on("GET", VMS, Wire.ok(Wire.list(100, page0.toArray(String[]::new))));
    assertThat(pc.listVmsByCategory("c")).hasSize(100);
    assertThat(server.requests()).hasSize(1);
  }

  // ------------------------------------------------------------------ categories

  @Test
  void anExistingCategoryIsNotCreatedAgain() {
    server.on(
        "GET", CATEGORIES, Wire.ok(Wire.list(1, category("cat-1", "ConvergenceLab", "run-1"))));
    Category c = pc.ensureCategory("ConvergenceLab", "run-1", "lab run-1");
    assertThat(c.extId()).isEqualTo("cat-1");
    assertThat(server.requests()).hasSize(1);
    assertThat(server.requests().get(0).query())
        .containsEntry("$filter", "key eq 'ConvergenceLab' and value eq 'run-1'");
  }

  @Test
  void aMissingCategoryIsCreated() throws Exception {
    server
        .on("GET", CATEGORIES, Wire.ok(Wire.list(0)))
        .on(
            "POST",
            CATEGORIES,
            Response.json(
                201,
                Wire.entity(
                    "prism.v4.config.CreateCategoryApiResponse",
                    category("cat-9", "ConvergenceLab", "run-9"))));
    Category c = pc.ensureCategory("ConvergenceLab", "run-9", "lab run-9");
    assertThat(c).isEqualTo(new Category("cat-9", "ConvergenceLab", "run-9", "d"));
    Request post = server.requests("POST").get(0);
    assertThat(JSON.readTree(post.body()))
        .isEqualTo(
            JSON.readTree(
                "{\"key\":\"ConvergenceLab\",\"value\":\"run-9\",\"description\":\"lab run-9\"}"));
    UUID.fromString(post.header("NTNX-Request-Id"));
  }

  @Test
  void aCategoryCreatedConcurrentlyIsReadBackAfter409() {
    server
        .on(
            "GET",
            CATEGORIES,
            Wire.ok(Wire.list(0)),
            Wire.ok(Wire.list(1, category("cat-7", "ConvergenceLab", "run-7"))))
        .on(
            "POST",
            CATEGORIES,
            Wire.errors(
                409,
                "prism",
                Wire.appMessage("prism", "PRISM-50035", "CATEGORY_ALREADY_EXISTS", "exists")));
    assertThat(pc.ensureCategory("ConvergenceLab", "run-7", null).extId()).isEqualTo("cat-7");
    assertThat(server.log())
        .containsExactly("GET " + CATEGORIES, "POST " + CATEGORIES, "GET " + CATEGORIES);
  }

  @Test
  void categoryKeysAndValuesAreLimitedTo64Characters() {
    assertThatThrownBy(() -> pc.ensureCategory("k".repeat(65), "v", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> pc.findCategory("k", "")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void deletingACategorySendsItsETag() {
    server
        .on(
            "GET",
            CATEGORIES + "/cat-1",
            Wire.ok(
                    Wire.entity(
                        "prism.v4.config.GetCategoryApiResponse", category("cat-1", "k", "v")))
                .withHeader("ETag", "c-etag-1"))
        .on("DELETE", CATEGORIES + "/cat-1", Response.empty(204));
    pc.deleteCategory("cat-1");
    Request del = server.requests("DELETE").get(0);
    assertThat(del.header("If-Match")).isEqualTo("c-etag-1");
    assertThat(del.header("NTNX-Request-Id")).isNotNull();
  }

  // ------------------------------------------------------------------ VMs, tasks, recovery points

  @Test
  void aVmIsReadWithItsETagAddressesAndNics() {
    server.on(
        "GET",
        VMS + "/" + VM_ID,
        Wire.ok(
                Wire.entity(
                    "vmm.v4.ahv.config.GetVmApiResponse",
                    "{\"extId\":\""
                        + VM_ID
                        + "\",\"name\":\"lab-vm\",\"powerState\":\"ON\",\"memorySizeBytes\":8589934592,"
                        + "\"numSockets\":2,\"numCoresPerSocket\":1,\"cluster\":{\"extId\":\"c-1\"},"
                        + "\"categories\":[{\"extId\":\"cat-1\"}],\"someFutureField\":{\"x\":1},"
                        + "\"nics\":[{\"extId\":\"nic-1\",\"backingInfo\":{\"macAddress\":\"50:6b:8d:aa:bb:cc\","
                        + "\"isConnected\":true},\"networkInfo\":{\"nicType\":\"NORMAL_NIC\",\"subnet\":"
                        + "{\"extId\":\"s-1\"},\"ipv4Info\":{\"learnedIpAddresses\":[{\"value\":\"10.23.129.96\","
                        + "\"prefixLength\":32}]}}}],\"guestTools\":{\"isEnabled\":true,\"isReachable\":true},"
                        + "\"createTime\":\"2026-11-22T10:00:00Z\",\"$reserved\":{\"ETag\":\"stale\"}}"))
            .withHeader("ETag", "fresh"));
    Vm vm = pc.getVm(VM_ID);
    assertThat(vm.etag()).contains("fresh");
    assertThat(vm.powerState()).isEqualTo(Vm.PowerState.ON);
    assertThat(vm.memorySizeBytes()).isEqualTo(8589934592L);
    assertThat(vm.cluster()).isEqualTo(new EntityRef("c-1"));
    assertThat(vm.categoryExtIds()).containsExactly("cat-1");
    assertThat(vm.ipAddresses()).containsExactly("10.23.129.96");
    assertThat(vm.nics().get(0).macAddress()).contains("50:6b:8d:aa:bb:cc");
    assertThat(vm.nics().get(0).subnetExtId()).contains("s-1");
    assertThat(vm.guestTools().isReachable()).isTrue();
  }

  @Test
  void aVmWithoutAnETagHeaderKeepsTheReservedOneAndUnknownPowerStatesAreTolerated() {
    server.on(
        "GET",
        VMS + "/" + VM_ID,
        Wire.ok(
            Wire.entity(
                "vmm.v4.ahv.config.GetVmApiResponse",
                "{\"extId\":\""
                    + VM_ID
                    + "\",\"powerState\":\"HIBERNATED\",\"$reserved\":{\"ETag\":\"r-1\"}}")));
    Vm vm = pc.getVm(VM_ID);
    assertThat(vm.etag()).contains("r-1");
    assertThat(vm.powerState()).isEqualTo(Vm.PowerState.UNKNOWN);
    assertThat(vm.nics()).isEmpty();
    assertThat(vm.ipAddresses()).isEmpty();
  }

  @Test
  void findVmIsEmptyOn404() {
    server.on("GET", VMS + "/gone", Wire.error(404, "VMM-20005", "ENTITY_NOT_FOUND", "no VM gone"));
    assertThat(pc.findVm("gone")).isEmpty();
  }

  @Test
  void taskExtIdsAreUrlEncodedAsPathSegments() {
    server.on("GET", TASKS + "/.*", Wire.taskAnswer(TASK_ID, "SUCCEEDED", Wire.createdVm(VM_ID)));
    Task t = pc.getTask(TASK_ID);
    assertThat(t.extId()).isEqualTo(TASK_ID);
    Request r = server.requests().get(0);
    assertThat(r.rawPath()).isEqualTo(TASKS + "/ZXJnb24%3D%3A447c5e9e-b7ad-408e-ae4f-82de667ef72e");
    assertThat(r.path()).isEqualTo(TASKS + "/" + TASK_ID);
  }

  @Test
  void extIdsWithSlashesCannotEscapeTheirPathSegment() {
    server.on("GET", VMS + "/.*", Wire.vmWithEtag("e"));
    pc.getVm("../../x/y");
    assertThat(server.requests().get(0).rawPath()).isEqualTo(VMS + "/..%2F..%2Fx%2Fy");
  }

  @Test
  void recoveryPointsAreCreatedReadRevertedToAndDeleted() throws Exception {
    String rp =
        "{\"extId\":\"rp-1\",\"name\":\"before-test\",\"status\":\"COMPLETE\","
            + "\"vmRecoveryPoints\":[{\"extId\":\"vrp-1\",\"vmExtId\":\""
            + VM_ID
            + "\"}]}";
    server
        .on("POST", RPS, Wire.taskRef(TASK_ID))
        .on(
            "GET",
            TASKS + "/.*",
            Wire.taskAnswer(
                TASK_ID,
                "SUCCEEDED",
                "\"entitiesAffected\":[{\"extId\":\"rp-1\",\"rel\":\"dataprotection:config:recovery-point\"},"
                    + "{\"extId\":\""
                    + VM_ID
                    + "\",\"rel\":\"vmm:ahv:config:vm\"}]"))
        .on(
            "GET",
            RPS + "/rp-1",
            Wire.ok(Wire.entity("dataprotection.v4.config.GetRecoveryPointApiResponse", rp))
                .withHeader("ETag", "rp-etag"))
        .on("DELETE", RPS + "/rp-1", Wire.taskRef(TASK_ID))
        .on("GET", VMS + "/" + VM_ID, Wire.vmWithEtag("vm-etag"))
        .on("POST", VMS + "/" + VM_ID + "/\\$actions/revert", Wire.taskRef(TASK_ID));

    Task created = pc.createRecoveryPoint("before-test", List.of(VM_ID)).await();
    assertThat(created.recoveryPointExtId()).contains("rp-1");
    RecoveryPoint point = pc.getRecoveryPoint("rp-1");
    assertThat(point.status()).isEqualTo("COMPLETE");
    assertThat(point.etag()).contains("rp-etag");
    String vrp = point.forVm(VM_ID).orElseThrow().extId();
    pc.revertVm(VM_ID, vrp).await();
    pc.deleteRecoveryPoint("rp-1").await();

    assertThat(JSON.readTree(server.requests("POST").get(0).body()))
        .isEqualTo(
            JSON.readTree(
                "{\"name\":\"before-test\",\"recoveryPointType\":\"CRASH_CONSISTENT\","
                    + "\"vmRecoveryPoints\":[{\"vmExtId\":\""
                    + VM_ID
                    + "\"}]}"));
    Request revert = server.requests("POST").get(1);
    assertThat(revert.path()).isEqualTo(VMS + "/" + VM_ID + "/$actions/revert");
    assertThat(revert.header("If-Match")).isEqualTo("vm-etag");
    assertThat(JSON.readTree(revert.body()))
        .isEqualTo(JSON.readTree("{\"vmRecoveryPointExtId\":\"vrp-1\"}"));
    Request delete = server.requests("DELETE").get(0);
    assertThat(delete.header("If-Match")).isEqualTo("rp-etag");
  }

  @Test
  void aTaskAnswerWithoutATaskReferenceIsATransportError() {
    server.on("POST", VMS, Response.json(202, "{\"data\":{}}"));
    assertThatThrownBy(() -> pc.createVm(VmCreateSpec.builder("v", "c").memoryMib(1).build()))
        .isInstanceOf(PrismTransportException.class)
        .hasMessageContaining("without a task reference");
  }

  @Test
  void recoveryPointsAreListedByNameOrAllOfThem() {
    String point =
        "{\"extId\":\"rp-1\",\"name\":\"lab-1.v.clean\",\"status\":\"COMPLETE\","
            + "\"vmRecoveryPoints\":[{\"extId\":\"vrp-1\",\"vmExtId\":\""
            + VM_ID
            + "\"}]}";
    server.on("GET", RPS, Wire.ok(Wire.list(1, point)), Wire.ok(Wire.list(1, point)));

    assertThat(pc.listRecoveryPoints("lab-1.v.clean"))
        .singleElement()
        .satisfies(p -> assertThat(p.name()).isEqualTo("lab-1.v.clean"));
    assertThat(pc.listRecoveryPoints(null)).hasSize(1);

    assertThat(server.requests().get(0).query())
        .containsEntry("$filter", "name eq 'lab-1.v.clean'");
    assertThat(server.requests().get(1).query()).doesNotContainKey("$filter");
  }
}
