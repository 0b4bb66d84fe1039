package io.convergence.nutanix.prism;

import static io.convergence.nutanix.prism.Wire.TASK_ID;
import static io.convergence.nutanix.prism.Wire.VM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.nutanix.prism.ScriptedPrism.Request;
import io.convergence.nutanix.prism.ScriptedPrism.Response;
import io.convergence.spec.SecretValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a scripted server: authentication headers, the session cookie and its one
 * re-login, request ids, retries with backoff and Retry-After, and giving up.
 */
class PrismTransportTest {
  static final String PASSWORD = "S3cr3t-Pa55:w0rd!";
  static final String API_KEY = "ak-7f3e9c21d0b84a55";
  private static final String CLUSTERS = "/api/clustermgmt/v4.0/config/clusters";
  private static final String VMS = "/api/vmm/v4.0/ahv/config/vms";
  private static final String VM = VMS + "/" + VM_ID;
  private static final String TASK = "/api/prism/v4.0/config/tasks/.*";
  private static final String EMPTY = Wire.list(0);

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

  private PrismConfig.Builder config() {
    return PrismConfig.builder(server.endpoint())
        .basicAuth("admin", SecretValue.of(PASSWORD))
        .retries(4, Duration.ofMillis(100), Duration.ofSeconds(1))
        .taskPolling(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofMillis(400));
  }

  private PrismClient client(PrismConfig config) {
    return PrismClient.create(config, pacer, () -> 1.0);
  }

  private static String basic() {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicAuthIsSentWhileThereIsNoSessionCookie() {
    server.on("GET", CLUSTERS, Wire.ok(EMPTY));
    try (PrismClient pc = client(config().build())) {
      pc.listClusters();
      pc.listClusters();
    }
    assertThat(server.requests())
        .hasSize(2)
        .allSatisfy(
            r -> {
              assertThat(r.header("Authorization")).isEqualTo(basic());
              assertThat(r.header("X-ntnx-api-key")).isNull();
              assertThat(r.header("Cookie")).isNull();
              assertThat(r.header("Accept")).isEqualTo("application/json");
              assertThat(r.header("User-Agent")).isEqualTo("convergence-prism/0.1");
            });
  }

  @Test
  void apiKeyIsSentAsXNtnxApiKeyAndNotAsBasic() {
    server.on("GET", CLUSTERS, Wire.ok(EMPTY));
    PrismConfig config =
        PrismConfig.builder(server.endpoint()).apiKey(SecretValue.of(API_KEY)).build();
    try (PrismClient pc = client(config)) {
      pc.listClusters();
    }
    Request r = server.requests().get(0);
    assertThat(r.header("X-ntnx-api-key")).isEqualTo(API_KEY);
    assertThat(r.header("Authorization")).isNull();
  }

  @Test
  void theSessionCookieIsSentBackInsteadOfTheCredentials() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.ok(EMPTY)
            .withHeader(
                "Set-Cookie", "NTNX_IGW_SESSION=eyJhbGciOi.first; Path=/; HttpOnly; Secure"),
        Wire.ok(EMPTY));
    try (PrismClient pc = client(config().build())) {
      pc.listClusters();
      pc.listClusters();
      pc.listClusters();
    }
    List<Request> r = server.requests();
    assertThat(r.get(0).header("Authorization")).isEqualTo(basic());
    assertThat(r.get(0).header("Cookie")).isNull();
    assertThat(r.subList(1, 3))
        .allSatisfy(
            x -> {
              assertThat(x.header("Cookie")).isEqualTo("NTNX_IGW_SESSION=eyJhbGciOi.first");
              assertThat(x.header("Authorization")).isNull();
            });
  }

  @Test
  void aRefusedCookieIsDroppedAndTheCallRepeatedOnceWithTheCredentials() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.ok(EMPTY).withHeader("Set-Cookie", "NTNX_IGW_SESSION=old; Path=/"),
        Response.html(401, "<html><body>Session expired</body></html>"),
        Wire.ok(EMPTY).withHeader("Set-Cookie", "NTNX_IGW_SESSION=new; Path=/"),
        Wire.ok(EMPTY));
    try (PrismClient pc = client(config().build())) {
      pc.listClusters();
      pc.listClusters();
      pc.listClusters();
    }
    List<Request> r = server.requests();
    assertThat(r).hasSize(4);
    assertThat(r.get(1).header("Cookie")).isEqualTo("NTNX_IGW_SESSION=old");
    assertThat(r.get(2).header("Cookie")).isNull();
    assertThat(r.get(2).header("Authorization")).isEqualTo(basic());
    assertThat(r.get(3).header("Cookie")).isEqualTo("NTNX_IGW_SESSION=new");
    assertThat(pacer.sleeps()).as("a re-login is not a backoff").isEmpty();
  }

  @Test
  void theReloginIsTriedOnlyOnceNeverTwice() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.ok(EMPTY).withHeader("Set-Cookie", "NTNX_IGW_SESSION=old; Path=/"),
        Response.html(401, "<html>Unauthorized</html>"));
    try (PrismClient pc = client(config().build())) {
      pc.listClusters();
      assertThatThrownBy(pc::listClusters)
          .isInstanceOfSatisfying(
              PrismUnauthenticatedException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.getMessage())
                    .contains("HTTP 401")
                    .contains("credentials were refused")
                    .contains("text/html")
                    .doesNotContain(PASSWORD)
                    .doesNotContain("Unauthorized</html>");
              });
    }
    assertThat(server.requests()).hasSize(3);
    assertThat(server.requests().get(2).header("Authorization")).isEqualTo(basic());
  }

  @Test
  void refusedCredentialsAreNotRetried() {
    server.on("GET", CLUSTERS, Response.html(401, "<html>no</html>"));
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(pc::listClusters).isInstanceOf(PrismUnauthenticatedException.class);
    }
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void everyMutationCarriesAUuidRequestIdAndReadsDoNot() {
    server
        .on("GET", VM, Wire.vmWithEtag("e1"))
        .on("POST", VM + "/\\$actions/power-on", Wire.taskRef(TASK_ID))
        .on("DELETE", VM, Wire.taskRef(TASK_ID));
    try (PrismClient pc = client(config().build())) {
      pc.powerOnVm(VM_ID);
      pc.deleteVm(VM_ID);
    }
    assertThat(server.requests("GET"))
        .allSatisfy(r -> assertThat(r.header("NTNX-Request-Id")).isNull());
    List<Request> mutations =
        server.requests().stream().filter(r -> !r.method().equals("GET")).toList();
    assertThat(mutations).hasSize(2);
    assertThat(mutations)
        .allSatisfy(r -> UUID.fromString(r.header("NTNX-Request-Id")))
        .extracting(r -> r.header("NTNX-Request-Id"))
        .doesNotHaveDuplicates();
    Request powerOn = mutations.get(0);
    assertThat(powerOn.header("If-Match")).isEqualTo("e1");
    assertThat(powerOn.header("Content-Type")).isEqualTo("application/json");
    assertThat(powerOn.body()).isEqualTo("{}");
    assertThat(mutations.get(1).header("If-Match")).isEqualTo("e1");
  }

  @Test
  void theSameRequestIdIsReusedWhenA503IsRetried() {
    server.on(
        "POST",
        VMS,
        Wire.error(503, "VMM-10500", "INTERNAL_ERROR", "Service unavailable"),
        Wire.error(503, "VMM-10500", "INTERNAL_ERROR", "Service unavailable"),
        Wire.taskRef(TASK_ID));
    try (PrismClient pc = client(config().build())) {
      PrismTask task = pc.createVm(VmCreateSpec.builder("vm", "c1").memoryMib(512).build());
      assertThat(task.extId()).isEqualTo(TASK_ID);
    }
    List<Request> posts = server.requests("POST");
    assertThat(posts).hasSize(3);
    assertThat(posts)
        .extracting(r -> r.header("NTNX-Request-Id"))
        .containsOnly(posts.get(0).header("NTNX-Request-Id"));
    assertThat(pacer.sleeps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void theSameRequestIdIsReusedAfterAConnectionReset() {
    server.on("POST", VMS, Response.connectionReset(), Wire.taskRef(TASK_ID));
    try (PrismClient pc = client(config().build())) {
      assertThat(pc.createVm(VmCreateSpec.builder("vm", "c1").memoryMib(512).build()).extId())
          .isEqualTo(TASK_ID);
    }
    List<Request> posts = server.requests("POST");
    assertThat(posts).hasSize(2);
    assertThat(posts.get(1).header("NTNX-Request-Id"))
        .isEqualTo(posts.get(0).header("NTNX-Request-Id"));
    assertThat(pacer.sleeps()).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void retryAfterReplacesTheComputedBackoff() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.errors(
                429,
                "prism",
                Wire.appMessage("prism", "PLAT-10429", "RATE_LIMIT_EXCEEDED", "slow down"))
            .withHeader("Retry-After", "7"),
        Wire.ok(EMPTY));
    try (PrismClient pc = client(config().build())) {
      pc.listClusters();
    }
    assertThat(server.requests()).hasSize(2);
    assertThat(pacer.sleeps()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterIsCutToTheConfiguredBound() {
    server.on(
        "GET",
        CLUSTERS,
        Response.json(429, "{}").withHeader("Retry-After", "3600"),
        Wire.ok(EMPTY));
    try (PrismClient pc = client(config().maxRetryAfter(Duration.ofSeconds(20)).build())) {
      pc.listClusters();
    }
    assertThat(pacer.sleeps()).containsExactly(Duration.ofSeconds(20));
  }

  @Test
  void theBackoffDoublesUpToItsBoundAndEveryRetryableStatusIsRetried() {
    server.on(
        "GET",
        CLUSTERS,
        Response.json(500, "{}"),
        Response.html(502, "<html>Bad Gateway</html>"),
        Response.json(504, "{}"),
        Response.json(408, "{}"),
        Wire.ok(EMPTY));
    try (PrismClient pc =
        client(config().retries(5, Duration.ofMillis(300), Duration.ofMillis(1000)).build())) {
      pc.listClusters();
    }
    assertThat(server.requests()).hasSize(5);
    assertThat(pacer.sleeps())
        .containsExactly(
            Duration.ofMillis(300),
            Duration.ofMillis(600),
            Duration.ofMillis(1000),
            Duration.ofMillis(1000));
  }

  @Test
  void jitterScalesThePauseBetweenHalfAndAll() {
    server.on("GET", CLUSTERS, Response.json(503, "{}"), Response.json(503, "{}"), Wire.ok(EMPTY));
    try (PrismClient pc = PrismClient.create(config().build(), pacer, () -> 0.0)) {
      pc.listClusters();
    }
    assertThat(pacer.sleeps()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
  }

  @Test
  void retriesAreBoundedAndEndInAServerException() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.errors(
            503,
            "clustermgmt",
            Wire.appMessage("clustermgmt", "CLU-10500", "INTERNAL_ERROR", "down")));
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(pc::listClusters)
          .isInstanceOfSatisfying(
              PrismServerException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(503);
                assertThat(e.code()).contains("CLU-10500");
                assertThat(e.getMessage())
                    .contains("after 4 attempts")
                    .contains("CLU-10500 INTERNAL_ERROR: down")
                    .contains("GET " + CLUSTERS);
              });
    }
    assertThat(server.requests()).hasSize(4);
    assertThat(pacer.sleeps()).hasSize(3);
  }

  @Test
  void aPersistent429EndsInARateLimitedException() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.errors(
                429,
                "prism",
                Wire.appMessage("prism", "PLAT-10429", "RATE_LIMIT_EXCEEDED", "slow down"))
            .withHeader("Retry-After", "1"));
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(pc::listClusters)
          .isInstanceOfSatisfying(
              PrismRateLimitedException.class,
              e -> assertThat(e.errorGroup()).contains("RATE_LIMIT_EXCEEDED"));
    }
    assertThat(server.requests()).hasSize(4);
    assertThat(pacer.sleeps()).containsOnly(Duration.ofSeconds(1));
  }

  @Test
  void persistentConnectionResetsEndInATransportException() {
    server.on("POST", VMS, Response.connectionReset());
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(() -> pc.createVm(VmCreateSpec.builder("vm", "c1").memoryMib(512).build()))
          .isInstanceOfSatisfying(
              PrismTransportException.class,
              e -> {
                assertThat(e.getMessage()).contains("after 4 attempts").contains("POST " + VMS);
                assertThat(e.requestId()).isPresent();
                assertThat(e.requestId().get())
                    .isEqualTo(server.requests().get(0).header("NTNX-Request-Id"));
              });
    }
    assertThat(server.requests()).hasSize(4);
  }

  @Test
  void nonRetryableErrorsAreNotRetried() {
    server.on("GET", CLUSTERS, Response.json(400, "{}"));
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(pc::listClusters).isInstanceOf(PrismValidationException.class);
    }
    assertThat(server.requests()).hasSize(1);
    assertThat(pacer.sleeps()).isEmpty();
  }

  @Test
  void aClosedClientRefusesCalls() {
    PrismClient pc = client(config().build());
    pc.close();
    assertThatThrownBy(pc::listClusters).isInstanceOf(IllegalStateException.class);
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void theRequestListenerHearsEveryAttemptRetriesIncluded() {
    server.on(
        "GET",
        CLUSTERS,
        Wire.error(503, "VMM-10500", "INTERNAL_ERROR", "Service unavailable"),
        Wire.ok(EMPTY));
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (PrismClient pc = client(config().requestListener(heard::add).build())) {
      pc.listClusters();
    }
    assertThat(heard).containsExactly("GET " + CLUSTERS, "GET " + CLUSTERS);
    assertThat(heard).hasSameSizeAs(server.requests());
  }
}
