package io.convergence.nutanix.prism;

import static io.convergence.nutanix.prism.Wire.TASK_ID;
import static io.convergence.nutanix.prism.Wire.VM_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.convergence.nutanix.prism.ScriptedPrism.Response;
import io.convergence.spec.SecretValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Passwords, API keys, cookies and guest customization never reach toString, messages or logs. */
class PrismSecretsTest {
  private static final String PASSWORD = "Pa55-w0rd-that-must-not-leak";
  private static final String API_KEY = "apikey-that-must-not-leak";
  private static final String COOKIE = "cookie-value-that-must-not-leak";
  private static final String USER_DATA =
      "#cloud-config\nchpasswd: {list: 'root:user-data-secret'}\n";
  private static final String VMS = "/api/vmm/v4.0/ahv/config/vms";

  private ScriptedPrism server;
  private Logger logger;
  private Level previousLevel;
  private ListAppender<ILoggingEvent> logs;

  @BeforeEach
  void start() throws Exception {
    server = ScriptedPrism.start();
    logger = (Logger) LoggerFactory.getLogger("io.convergence.nutanix");
    previousLevel = logger.getLevel();
    logger.setLevel(Level.TRACE);
    logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(logs);
    logger.setLevel(previousLevel);
    server.close();
  }

  private static List<String> forbidden() {
    String basic =
        Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String userData64 =
        Base64.getEncoder().encodeToString(USER_DATA.getBytes(StandardCharsets.UTF_8));
    return List.of(PASSWORD, API_KEY, COOKIE, basic, "user-data-secret", userData64);
  }

  private String allLogs() {
    StringBuilder s = new StringBuilder();
    for (ILoggingEvent e : logs.list) {
      s.append(e.getFormattedMessage()).append('\n');
    }
    return s.toString();
  }

  @Test
  void configAndSpecToStringHideSecrets() {
    PrismConfig basic =
        PrismConfig.builder(server.endpoint()).basicAuth("admin", SecretValue.of(PASSWORD)).build();
    PrismConfig key =
        PrismConfig.builder(server.endpoint()).apiKey(SecretValue.of(API_KEY)).build();
    VmCreateSpec spec =
        VmCreateSpec.builder("v", "c").memoryMib(1).cloudInit(SecretValue.of(USER_DATA)).build();
    assertThat(basic.toString()).contains("basic(admin, ***)").doesNotContain(PASSWORD);
    assertThat(key.toString()).contains("api-key(***)").doesNotContain(API_KEY);
    assertThat(spec.toString()).contains("CLOUD_INIT(***)").doesNotContain("user-data-secret");
    try (PrismClient pc = PrismClient.create(basic)) {
      assertThat(pc.toString()).isEqualTo("PrismClient{" + server.endpoint() + "}");
    }
  }

  @Test
  void traceLogsRedactCredentialsCookiesAndUserData() {
    server
        .on(
            "POST",
            VMS,
            Response.json(503, "{}"),
            Wire.taskRef(TASK_ID)
                .withHeader("Set-Cookie", "NTNX_IGW_SESSION=" + COOKIE + "; Path=/"))
        .on("GET", VMS + "/" + VM_ID, Wire.vmWithEtag("e1"))
        .on("POST", VMS + "/" + VM_ID + "/\\$actions/power-on", Wire.taskRef(TASK_ID));
    try (PrismClient pc =
        PrismClient.create(
            PrismConfig.builder(server.endpoint())
                .basicAuth("admin", SecretValue.of(PASSWORD))
                .retries(2, Duration.ofMillis(1), Duration.ofMillis(1))
                .build(),
            new FakePacer(),
            () -> 1.0)) {
      pc.createVm(
          VmCreateSpec.builder("v", "c").memoryMib(1).cloudInit(SecretValue.of(USER_DATA)).build());
      pc.powerOnVm(VM_ID);
    }
    // the cookie did reach the server: the test would prove nothing otherwise
    assertThat(server.requests().get(2).header("Cookie")).isEqualTo("NTNX_IGW_SESSION=" + COOKIE);
    String text = allLogs();
    assertThat(text)
        .contains("Authorization=Basic ****")
        .contains("Cookie=NTNX_IGW_SESSION=****")
        .contains("not logged: guest customization")
        .contains("POST " + VMS + "/" + VM_ID + "/$actions/power-on body: {}")
        .contains("request id");
    for (String secret : forbidden()) {
      assertThat(text).doesNotContain(secret);
    }
  }

  @Test
  void apiKeysAreRedactedInLogs() {
    server.on("GET", "/api/clustermgmt/v4.0/config/clusters", Wire.ok(Wire.list(0)));
    try (PrismClient pc =
        PrismClient.create(
            PrismConfig.builder(server.endpoint()).apiKey(SecretValue.of(API_KEY)).build())) {
      pc.listClusters();
    }
    assertThat(allLogs()).contains("X-ntnx-api-key=****").doesNotContain(API_KEY);
  }

  @Test
  void exceptionsCarryNoSecrets() {
    server
        .on(
            "GET",
            "/api/clustermgmt/v4.0/config/clusters",
            Wire.ok(Wire.list(0)).withHeader("Set-Cookie", "NTNX_IGW_SESSION=" + COOKIE),
            Response.html(401, "<html>" + PASSWORD + "</html>"))
        .on(
            "POST",
            VMS,
            Wire.error(400, "VMM-30400", "VM_MISSING_REQUEST_ID_HEADER", "missing request id"));
    try (PrismClient pc =
        PrismClient.create(
            PrismConfig.builder(server.endpoint())
                .basicAuth("admin", SecretValue.of(PASSWORD))
                .build())) {
      pc.listClusters();
      assertThatThrownBy(pc::listClusters)
          .isInstanceOf(PrismUnauthenticatedException.class)
          .satisfies(e -> forbidden().forEach(s -> assertThat(e.getMessage()).doesNotContain(s)));
      assertThatThrownBy(
              () ->
                  pc.createVm(
                      VmCreateSpec.builder("v", "c")
                          .memoryMib(1)
                          .cloudInit(SecretValue.of(USER_DATA))
                          .build()))
          .isInstanceOf(PrismValidationException.class)
          .satisfies(e -> forbidden().forEach(s -> assertThat(e.getMessage()).doesNotContain(s)));
    }
    for (String secret : forbidden()) {
      assertThat(allLogs()).doesNotContain(secret);
    }
  }

  @Test
  void secretsFromTheEnvironmentAreRevealedWhenTheClientIsCreated() {
    PrismConfig config =
        PrismConfig.builder(server.endpoint())
            .basicAuth("admin", SecretValue.fromEnv("CONVERGENCE_TEST_UNSET_PRISM_PASSWORD"))
            .build();
    assertThat(config.toString()).doesNotContain("CONVERGENCE_TEST_UNSET");
    assertThatThrownBy(() -> PrismClient.create(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CONVERGENCE_TEST_UNSET_PRISM_PASSWORD")
        .hasMessageContaining("is not set");
  }
}
