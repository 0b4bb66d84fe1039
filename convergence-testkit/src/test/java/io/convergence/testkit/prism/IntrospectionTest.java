package io.convergence.testkit.prism;

import static io.convergence.testkit.prism.PrismTestClient.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.testkit.prism.PrismTestClient.Res;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The request log, request counts, snapshots, seeding and the injected clock. */
class IntrospectionTest {

  @Test
  void theRequestLogKeepsWhatClientsSent() {
    try (FakePrismCentral pc = FakePrismCentral.builder().start().seedDefaults()) {
      PrismTestClient client = new PrismTestClient(pc);
      String vm = client.createVm("log-vm");
      String etag = client.getVm(vm).etag();
      String id = UUID.randomUUID().toString();
      Res on =
          client
              .req("POST", FakePrismCentral.VMS_PATH + "/" + vm + "/$actions/power-on")
              .requestId(id)
              .ifMatch(etag)
              .body("{}")
              .send();
      client.awaitSucceeded(on.taskId());
      client.get(FakePrismCentral.VMS_PATH + "?$filter=" + q("name eq 'log-vm'") + "&$limit=5");

      RecordedRequest action =
          pc.requests().stream()
              .filter(r -> r.path().endsWith("/$actions/power-on"))
              .findFirst()
              .orElseThrow();
      assertThat(action.method()).isEqualTo("POST");
      assertThat(action.requestId()).hasValue(id);
      assertThat(action.ifMatch()).hasValue(etag);
      assertThat(action.header("ntnx-request-id")).hasValue(id);
      assertThat(action.body()).isEqualTo("{}");
      assertThat(action.status()).isEqualTo(202);

      RecordedRequest list =
          pc.requests().stream()
              .filter(r -> r.rawQuery().contains("filter"))
              .findFirst()
              .orElseThrow();
      assertThat(list.path()).isEqualTo(FakePrismCentral.VMS_PATH);
      assertThat(list.queryParameter("$filter")).hasValue("name eq 'log-vm'");
      assertThat(list.queryParameter("$limit")).hasValue("5");
      assertThat(list.queryParameter("$page")).isEmpty();

      RecordedRequest task =
          pc.requests().stream()
              .filter(r -> r.path().startsWith(FakePrismCentral.TASKS_PATH))
              .findFirst()
              .orElseThrow();
      assertThat(task.path()).as("decoded").contains("ZXJnb24=:");

      assertThat(pc.requestCount("POST", FakePrismCentral.VMS_PATH)).isEqualTo(1);
      assertThat(pc.requestCount("GET", FakePrismCentral.TASKS_PATH + "/*"))
          .isGreaterThanOrEqualTo(2);
      assertThat(pc.requestCount("*", "/api/vmm/**")).isGreaterThanOrEqualTo(4);
      assertThat(pc.requestCount("DELETE", "/**")).isZero();
      pc.clearRequests();
      assertThat(pc.requests()).isEmpty();
    }
  }

  @Test
  void snapshotsAndSeeding() throws InterruptedException {
    Clock fixed = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    try (FakePrismCentral pc = FakePrismCentral.builder().clock(fixed).noLatency().build()) {
      assertThatThrownBy(pc::baseUri).isInstanceOf(IllegalStateException.class);
      String cluster = pc.addCluster("c1");
      String subnet = pc.addSubnet("s1", cluster);
      String image = pc.addImage("img", 1024);
      assertThatThrownBy(() -> pc.addSubnet("s2", "nope"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> pc.cluster("nope")).isInstanceOf(NoSuchElementException.class);
      pc.start();
      assertThat(pc.start()).as("idempotent").isSameAs(pc);
      assertThat(pc.baseUri().toString()).startsWith("http://127.0.0.1:");
      assertThat(pc.clusters()).extracting(PrismCluster::extId).containsExactly(cluster);
      assertThat(pc.subnets()).extracting(PrismSubnet::clusterExtId).containsExactly(cluster);
      assertThat(pc.images()).extracting(PrismImage::sizeBytes).containsExactly(1024L);
      assertThat(pc.cluster("c1").isPrismCentral()).isFalse();

      PrismTestClient client = new PrismTestClient(pc);
      String category = client.createCategory("k", "v");
      com.fasterxml.jackson.databind.node.ObjectNode body =
          PrismTestClient.MAPPER.createObjectNode();
      body.put("name", "snap").put("memorySizeBytes", 1024);
      body.putObject("cluster").put("extId", cluster);
      body.putArray("categories").addObject().put("extId", category);
      body.putArray("nics")
          .addObject()
          .putObject("networkInfo")
          .putObject("subnet")
          .put("extId", subnet);
      body.putArray("disks")
          .addObject()
          .putObject("backingInfo")
          .put("$objectType", "vmm.v4.ahv.config.VmDisk")
          .putObject("dataSource")
          .putObject("reference")
          .put("$objectType", "vmm.v4.ahv.config.ImageReference")
          .put("imageExtId", image);
      String vm = client.createVm(body);
      assertThat(pc.awaitIdle(Duration.ofSeconds(30))).isTrue();

      PrismVm snap = pc.vm(vm).orElseThrow();
      assertThat(snap.name()).isEqualTo("snap");
      assertThat(snap.created()).isTrue();
      assertThat(snap.deleting()).isFalse();
      assertThat(snap.clusterExtId()).isEqualTo(cluster);
      assertThat(snap.categoryExtIds()).containsExactly(category);
      assertThat(snap.guestCustomization()).isNull();
      assertThat(snap.json().get("createTime").asText()).isEqualTo("2026-11-22T10:00:00.000Z");
      assertThat(pc.vms()).hasSize(1);
      assertThat(pc.tasks())
          .singleElement()
          .satisfies(
              t -> {
                assertThat(t.isTerminal()).isTrue();
                assertThat(t.entityExtIds()).containsExactly(vm);
                assertThat(t.json().get("createdTime").asText())
                    .isEqualTo("2026-11-22T10:00:00.000Z");
              });
      assertThat(pc.categories()).extracting(PrismCategory::description).containsExactly("test");
      assertThat(pc.recoveryPoints()).isEmpty();
      assertThat(pc.requests()).allMatch(r -> r.time().equals(fixed.instant()));
      List<PrismVm> copy = pc.vms();
      pc.touchVm(vm);
      assertThat(copy.get(0).etag()).as("snapshots do not change").isEqualTo(snap.etag());
      assertThat(pc.vm(vm).orElseThrow().etag()).isNotEqualTo(snap.etag());
      assertThatThrownBy(() -> pc.touchVm("nope")).isInstanceOf(NoSuchElementException.class);
    }
  }

  @Test
  void closeStopsServingAndIsIdempotent() {
    FakePrismCentral pc = FakePrismCentral.builder().start().seedDefaults();
    PrismTestClient client = new PrismTestClient(pc);
    assertThat(client.get(FakePrismCentral.CLUSTERS_PATH).status()).isEqualTo(200);
    pc.close();
    pc.close();
    assertThatThrownBy(() -> client.req("GET", FakePrismCentral.CLUSTERS_PATH).sendOrThrow())
        .isInstanceOf(java.io.IOException.class);
    assertThatThrownBy(pc::start).isInstanceOf(IllegalStateException.class);
  }
}
