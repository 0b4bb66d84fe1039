package io.convergence.vsphere.vim;

import static io.convergence.vsphere.vim.FakeVcenter.fixture;
import static io.convergence.vsphere.vim.FakeVcenter.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.convergence.vsphere.vim.FakeVcenter.Response;
import io.convergence.vsphere.vim.FakeVcenter.Script;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Client behaviour against a scripted endpoint: session cookie, re-login, retries, paging, the task
 * waiter, and keeping the password out of messages and logs. The answers are recorded vcsim answers
 * or the vCenter-shaped fixtures (see {@code vim25/vcenter/README.md}).
 */
class Vim25ClientTest {
  private static final String PASSWORD = "S3cr3t-Pa55&<word>";
  private static final ManagedObjectReference VM =
      ManagedObjectReference.of("VirtualMachine", "vm-1");
  private static final ManagedObjectReference FOLDER =
      ManagedObjectReference.of("Folder", "group-d1");

  private FakeVcenter fake;

  @AfterEach
  void stop() {
    if (fake != null) {
      fake.close();
    }
  }

  private Script script() throws Exception {
    Script s = new Script().on("RetrieveServiceContent", recorded(3));
    fake = FakeVcenter.start(s);
    return s;
  }

  private Vim25Config.Builder config() {
    return Vim25Config.builder(fake.sdk())
        .credentials("lab@vsphere.local", PASSWORD)
        .readRetries(3, Duration.ofMillis(5))
        .taskPolling(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(80));
  }

  private static Response login(String cookie) {
    return Response.soapWithCookie(Fixtures.recorded(4).response(), cookie);
  }

  private static Response taskState(String state) {
    // a recorded TaskInfo answer (PowerOnVM success, no result) with its state replaced
    String xml = Fixtures.recorded(27).responseText();
    assertThat(xml).contains(">success</val>");
    return Response.soap(
        200,
        xml.replace(">success</val>", ">" + state + "</val>").getBytes(StandardCharsets.UTF_8));
  }

  private List<String> methods() {
    return fake.soapRequests().stream().map(FakeVcenter.Request::soapMethod).toList();
  }

  @Test
  void keepsTheSessionCookieAndSendsItBack() throws Exception {
    script()
        .on("Login", Response.soapWithCookie(Fixtures.recorded(4).response(), "\"52e0c1a8-2f3b\""))
        .on("FindByInventoryPath", recorded(5));
    try (Vim25Client vc = Vim25Client.connect(config().build())) {
      assertThat(fake.soapRequests().get(0).header("Cookie")).isNull();
      vc.login();
      assertThat(vc.findByInventoryPath("DC0/vm/DC0_H0_VM0")).isPresent();
      assertThat(fake.soapRequests().get(2).header("Cookie"))
          .isEqualTo("vmware_soap_session=\"52e0c1a8-2f3b\"");
    }
  }

  @Test
  void notAuthenticatedTriggersOneReloginAndTheCallIsRepeated() throws Exception {
    script()
        .on("Login", login("first"), login("second"))
        .on("FindByInventoryPath", recorded(53), recorded(5));
    try (Vim25Client vc = Vim25Client.connect(config().build())) {
      vc.login();
      assertThat(vc.findByInventoryPath("DC0/vm/DC0_H0_VM0")).isPresent();
    }
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "FindByInventoryPath",
            "Login",
            "FindByInventoryPath",
            "Logout");
    assertThat(fake.soapRequests().get(2).header("Cookie")).isEqualTo("vmware_soap_session=first");
    assertThat(fake.soapRequests().get(4).header("Cookie")).isEqualTo("vmware_soap_session=second");
  }

  @Test
  void aSecondNotAuthenticatedIsNotRetriedAgain() throws Exception {
    script().on("Login", login("a"), login("b"), login("c")).on("CreateFolder", recorded(53));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    assertThatThrownBy(() -> vc.createFolder(FOLDER, "x"))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> assertThat(e.faultName()).isEqualTo(VimFault.NOT_AUTHENTICATED));
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent", "Login", "CreateFolder", "Login", "CreateFolder");
  }

  @Test
  void noReloginBeforeLoginOrAfterLogout() throws Exception {
    script().on("Login", login("a")).on("Logout", recorded(52)).on("CreateFolder", recorded(53));
    Vim25Client vc = Vim25Client.connect(config().build());
    assertThatThrownBy(() -> vc.createFolder(FOLDER, "x")).isInstanceOf(VimFaultException.class);
    vc.login();
    vc.logout();
    assertThatThrownBy(() -> vc.createFolder(FOLDER, "x")).isInstanceOf(VimFaultException.class);
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent", "CreateFolder", "Login", "Logout", "CreateFolder");
    assertThat(fake.soapRequests().get(4).header("Cookie"))
        .as("cookie forgotten on logout")
        .isNull();
  }

  @Test
  void vcsimStyleUnauthenticatedPropertiesAlsoTriggerARelogin() throws Exception {
    script()
        .on("Login", login("a"), login("b"))
        .on(
            "RetrievePropertiesEx",
            fixture(200, "fetched/RetrievePropertiesEx-unauthenticated.response.xml"),
            recorded(48));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    RetrieveResult r = vc.retrieve(PropertyFilterSpec.of(FOLDER, "childEntity"), 0);
    assertThat(r.objects()).singleElement().satisfies(o -> assertThat(o.missing()).isEmpty());
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "RetrievePropertiesEx",
            "Login",
            "RetrievePropertiesEx");
  }

  @Test
  void propertiesTheUserMayNotReadAreReportedNotRetried() throws Exception {
    script()
        .on("Login", login("a"))
        .on(
            "RetrievePropertiesEx",
            fixture(200, "vcenter/RetrievePropertiesEx-partial-NotAuthenticated.response.xml"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    ObjectContent oc =
        vc.retrieve(
            ManagedObjectReference.of("SessionManager", "SessionManager"),
            "defaultLocale",
            "messageLocaleList",
            "message",
            "sessionList");
    assertThat(oc.text("defaultLocale")).hasValue("en");
    assertThat(oc.missing().get("sessionList").name()).isEqualTo(VimFault.NOT_AUTHENTICATED);
    assertThat(methods())
        .containsExactly("RetrieveServiceContent", "Login", "RetrievePropertiesEx");
  }

  @Test
  void readsAreRetriedABoundedNumberOfTimes() throws Exception {
    Response unavailable = new Response(503, "busy".getBytes(), Map.of());
    script()
        .on("Login", login("a"))
        .on("FindByInventoryPath", unavailable, unavailable, recorded(5))
        .on("RetrievePropertiesEx", unavailable);
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    assertThat(vc.findByInventoryPath("DC0/vm/DC0_H0_VM0")).isPresent();
    assertThatThrownBy(() -> vc.retrieve(VM, "name"))
        .isInstanceOfSatisfying(
            VimTransportException.class, e -> assertThat(e.statusCode()).hasValue(503));
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "FindByInventoryPath",
            "FindByInventoryPath",
            "FindByInventoryPath",
            "RetrievePropertiesEx",
            "RetrievePropertiesEx",
            "RetrievePropertiesEx");
  }

  @Test
  void callsThatChangeStateAreNotRetried() throws Exception {
    Response unavailable = new Response(503, "busy".getBytes(), Map.of());
    script()
        .on("Login", login("a"))
        .on("CreateFolder", unavailable, recorded(9))
        .on("PowerOnVM_Task", unavailable)
        .on("ContinueRetrievePropertiesEx", unavailable);
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    assertThatThrownBy(() -> vc.createFolder(FOLDER, "lab"))
        .isInstanceOf(VimTransportException.class);
    assertThatThrownBy(() -> vc.powerOn(VM)).isInstanceOf(VimTransportException.class);
    assertThatThrownBy(() -> vc.continueRetrieve("1")).isInstanceOf(VimTransportException.class);
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "CreateFolder",
            "PowerOnVM_Task",
            "ContinueRetrievePropertiesEx");
  }

  @Test
  void anUnreachableServerFailsAfterTheBoundedRetries() throws Exception {
    script();
    URI dead = fake.sdk();
    fake.close();
    fake = null;
    long start = System.nanoTime();
    assertThatThrownBy(
            () ->
                Vim25Client.connect(
                    Vim25Config.builder(dead)
                        .credentials("u", PASSWORD)
                        .readRetries(3, Duration.ofMillis(50))
                        .connectTimeout(Duration.ofSeconds(2))
                        .build()))
        .isInstanceOfSatisfying(
            VimTransportException.class,
            e -> {
              assertThat(e.getMessage()).contains("after 3 attempts").contains("ConnectException");
              assertThat(e.statusCode()).isEmpty();
            });
    // 50 ms + 100 ms of pauses between the three attempts
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void anAnswerThatIsNotSoapIsATransportError() throws Exception {
    script().on("Login", new Response(200, "<html>proxy login</html>".getBytes(), Map.of()));
    Vim25Client vc = Vim25Client.connect(config().build());
    assertThatThrownBy(vc::login)
        .isInstanceOfSatisfying(
            VimTransportException.class,
            e -> assertThat(e.getMessage()).contains("not a SOAP envelope"));
  }

  @Test
  void followsContinuationTokens() throws Exception {
    script()
        .on("Login", login("a"))
        .on("RetrievePropertiesEx", fixture(200, "vcenter/RetrievePropertiesEx-page1.response.xml"))
        .on(
            "ContinueRetrievePropertiesEx",
            fixture(200, "vcenter/ContinueRetrievePropertiesEx-page2.response.xml"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    List<ObjectContent> all = vc.folderContents(FOLDER, "VirtualMachine", "name");
    assertThat(all)
        .extracting(o -> o.text("name").orElseThrow())
        .containsExactly("lab-a", "lab-b", "lab-c & d");
    assertThat(fake.soapRequests().get(3).body())
        .contains("<_this type=\"PropertyCollector\">propertyCollector</_this><token>1</token>");
  }

  @Test
  void theTaskWaiterBacksOffUntilTheTaskIsDone() throws Exception {
    script()
        .on("Login", login("a"))
        .on("PowerOnVM_Task", recorded(26))
        .on(
            "RetrievePropertiesEx",
            taskState("queued"),
            taskState("running"),
            taskState("running"),
            taskState("running"),
            taskState("success"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    TaskInfo done = vc.powerOn(VM).await();
    assertThat(done.state()).isEqualTo(TaskInfo.State.SUCCESS);
    List<FakeVcenter.Request> polls =
        fake.soapRequests().stream()
            .filter(r -> r.soapMethod().equals("RetrievePropertiesEx"))
            .toList();
    assertThat(polls).hasSize(5);
    assertThat(polls.get(0).body()).contains("<type>Task</type><pathSet>info.state</pathSet>");
    long firstGap = polls.get(1).nanos() - polls.get(0).nanos();
    long lastGap = polls.get(4).nanos() - polls.get(3).nanos();
    assertThat(Duration.ofNanos(firstGap)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
    assertThat(lastGap).as("the pause grows").isGreaterThan(firstGap);
  }

  @Test
  void theTaskWaiterGivesUpAtItsTimeoutWithoutCancelling() throws Exception {
    script()
        .on("Login", login("a"))
        .on("PowerOnVM_Task", recorded(26))
        .on("RetrievePropertiesEx", taskState("running"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    VimTask task = vc.powerOn(VM);
    long start = System.nanoTime();
    assertThatThrownBy(() -> task.await(Duration.ofMillis(300)))
        .isInstanceOfSatisfying(
            VimTaskTimeoutException.class,
            e -> {
              assertThat(e.task()).isEqualTo(task.ref());
              assertThat(e.lastState()).isEqualTo(TaskInfo.State.RUNNING);
            });
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isBetween(Duration.ofMillis(300), Duration.ofSeconds(2));
    long polls = methods().stream().filter("RetrievePropertiesEx"::equals).count();
    // 20, 31, 47, 71, 80, 80 ... ms pauses: about 6 reads in 300 ms, never a busy loop
    assertThat(polls).isBetween(3L, 10L);
    assertThat(methods()).doesNotContain("CancelTask");
  }

  @Test
  void faultsCarryTheirNameAndServerMessage() throws Exception {
    script()
        .on("Login", login("a"))
        .on("PowerOnVM_Task", fixture(500, "vcenter/TaskInProgress.fault.response.xml"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    assertThatThrownBy(() -> vc.powerOn(VM))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> {
              assertThat(e.faultName()).isEqualTo("TaskInProgress");
              assertThat(e.platformCode()).hasValue("TaskInProgress");
              assertThat(e.faultString())
                  .isEqualTo("The operation is not allowed in the current state.");
              assertThat(e.backendId()).isEqualTo("vcenter");
              assertThat(e.operation()).isEqualTo("PowerOnVM_Task");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "vcenter: PowerOnVM_Task failed (HTTP 500): TaskInProgress: The operation is"
                          + " not allowed in the current state.; check: another task is running on"
                          + " the object; retry when it is done");
            });
  }

  @Test
  void customFieldDefinedConcurrentlyIsFoundAfterDuplicateName() throws Exception {
    script()
        .on("Login", login("a"))
        .on("RetrievePropertiesEx", recorded(39), recorded(41))
        .on(
            "AddCustomFieldDef",
            fixture(500, "recorded/10-CreateFolder-DuplicateName.response.xml"));
    Vim25Client vc = Vim25Client.connect(config().build());
    vc.login();
    assertThat(vc.ensureCustomField("convergence.lab", "VirtualMachine").name())
        .isEqualTo("convergence.lab");
    assertThat(methods())
        .containsExactly(
            "RetrieveServiceContent",
            "Login",
            "RetrievePropertiesEx",
            "AddCustomFieldDef",
            "RetrievePropertiesEx");
  }

  @Test
  void thePasswordStaysOutOfMessagesLogsAndToString() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    root.setLevel(Level.TRACE);
    try {
      script().on("Login", fixture(500, "vcenter/InvalidLogin.fault.response.xml"));
      Vim25Config config = config().build();
      Vim25Client vc = Vim25Client.connect(config);
      VimFaultException e = (VimFaultException) catchLogin(vc);
      assertThat(e.faultName()).isEqualTo("InvalidLogin");
      assertThat(e.faultString()).contains("incorrect user name or password");
      assertThat(fake.soapRequests().get(1).body())
          .as("sanity: the password did go over the wire, escaped")
          .contains("<password>S3cr3t-Pa55&amp;&lt;word&gt;</password>");
      List<String> texts = new java.util.ArrayList<>();
      texts.add(config.toString());
      texts.add(vc.toString());
      for (Throwable t = e; t != null; t = t.getCause()) {
        texts.add(t.toString());
      }
      logs.list.forEach(ev -> texts.add(ev.getFormattedMessage()));
      assertThat(logs.list).isNotEmpty();
      assertThat(texts).noneMatch(t -> t.contains("S3cr3t") || t.contains("Pa55"));
      assertThat(config.toString()).contains("password=***");
    } finally {
      root.detachAppender(logs);
      root.setLevel(before);
    }
  }

  private static Throwable catchLogin(Vim25Client vc) {
    try {
      vc.login();
    } catch (VimException e) {
      return e;
    }
    throw new AssertionError("login should fail");
  }

  @Test
  void versionIsNegotiatedUnlessConfigured() throws Exception {
    script().on("Login", login("a"));
    Vim25Client negotiated = Vim25Client.connect(config().build());
    assertThat(negotiated.apiVersion()).isEqualTo("6.5");
    Vim25Client fixed = Vim25Client.connect(config().apiVersion("8.0.2.0").build());
    assertThat(fixed.apiVersion()).isEqualTo("8.0.2.0");
    assertThat(fake.requests())
        .extracting(r -> r.httpMethod() + " " + r.path() + " " + r.header("SOAPAction"))
        .containsExactly(
            "GET /sdk/vimServiceVersions.xml null",
            "POST /sdk urn:vim25/6.5",
            "POST /sdk urn:vim25/8.0.2.0");
  }

  @Test
  void closeLogsOut() throws Exception {
    script().on("Login", login("a")).on("Logout", recorded(52));
    try (Vim25Client vc = Vim25Client.connect(config().build())) {
      vc.login();
      assertThat(vc.session()).hasValueSatisfying(s -> assertThat(s.userName()).isEqualTo("user"));
    }
    assertThat(methods()).containsExactly("RetrieveServiceContent", "Login", "Logout");
  }

  @Test
  void loginNeedsCredentials() throws Exception {
    script();
    Vim25Client vc = Vim25Client.connect(Vim25Config.builder(fake.sdk()).build());
    assertThatThrownBy(vc::login).isInstanceOf(IllegalStateException.class);
  }
}
