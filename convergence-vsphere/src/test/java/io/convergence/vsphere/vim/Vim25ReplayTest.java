package io.convergence.vsphere.vim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the recorded govmomi/vcsim session ({@code src/test/resources/vim25/recorded}) against
 * the Java client. The client makes the same calls, in the same order, as the recorder made with
 * govmomi; every request must equal govmomi's (canonical XML: element order, namespaces, xsi:type,
 * text) and carry the session cookie vcsim handed out, and every answer is vcsim's real one. So
 * this checks both what the codec writes and what it understands, without a server.
 */
class Vim25ReplayTest {
  private FakeVcenter fake;
  private Replay replay;

  @BeforeEach
  void start() throws Exception {
    replay = new Replay(Fixtures.recorded());
    fake = FakeVcenter.start(replay);
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  private Vim25Config config(String password) {
    return Vim25Config.builder(fake.sdk())
        .credentials("user", password)
        .readRetries(1, Duration.ofMillis(1))
        .taskPolling(Duration.ofSeconds(5), Duration.ofMillis(1), Duration.ofMillis(5))
        .build();
  }

  @Test
  void theClientSendsWhatGovmomiSendsAndUnderstandsWhatVcsimAnswers() {
    try {
      lifecycle();
    } finally {
      replay.assertNoMismatch();
    }
    replay.assertAllConsumed();
    assertThat(fake.soapRequests())
        .as("SOAPAction is negotiated from vimServiceVersions.xml (vcsim: 6.5)")
        .allSatisfy(r -> assertThat(r.header("SOAPAction")).isEqualTo("urn:vim25/6.5"))
        .allSatisfy(r -> assertThat(r.header("Content-Type")).startsWith("text/xml"));
    assertThat(fake.soapRequests())
        .as("the password is sent only in the Login bodies")
        .filteredOn(r -> r.body().contains("pass"))
        .extracting(FakeVcenter.Request::soapMethod)
        .containsOnly("Login");
  }

  private void lifecycle() {
    // 01-02: a wrong password.
    try (Vim25Client bad = Vim25Client.connect(config("wrong-password"))) {
      assertThatThrownBy(bad::login)
          .isInstanceOfSatisfying(
              VimFaultException.class,
              e -> {
                assertThat(e.faultName()).isEqualTo("InvalidLogin");
                assertThat(e.faultString()).isEqualTo("Login failure");
                assertThat(e.statusCode()).hasValue(500);
                assertThat(e.getMessage()).doesNotContain("wrong-password");
              });
      assertThat(bad.session()).isEmpty();
    }

    // 03-04
    Vim25Client vc = Vim25Client.connect(config("pass"));
    assertThat(vc.apiVersion()).isEqualTo("6.5");
    assertThat(vc.serviceContent().about().apiVersion()).isEqualTo("6.5");
    assertThat(vc.serviceContent().about().isVcenter()).isTrue();
    assertThat(vc.login().userName()).isEqualTo("user");

    // 05-07
    ManagedObjectReference src = vc.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
    assertThat(src.type()).isEqualTo("VirtualMachine");
    assertThat(vc.findByInventoryPath("DC0/vm/no-such-vm")).isEmpty();
    ManagedObjectReference vmFolder = vc.findByInventoryPath("DC0/vm").orElseThrow();
    assertThat(vmFolder.type()).isEqualTo("Folder");

    // 08
    VirtualMachineInfo srcInfo = vc.virtualMachine(src);
    assertThat(srcInfo.name()).isEqualTo("DC0_H0_VM0");
    assertThat(srcInfo.template()).isFalse();
    assertThat(srcInfo.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_ON);
    assertThat(srcInfo.parent()).isEqualTo(vmFolder);
    assertThat(srcInfo.resourcePool()).isNotNull();
    assertThat(srcInfo.datastores()).hasSize(1);
    assertThat(srcInfo.disks()).hasSize(1);
    assertThat(srcInfo.linkedClone()).isFalse();
    assertThat(srcInfo.currentSnapshot()).isEmpty();

    // 09-10
    ManagedObjectReference folder = vc.createFolder(vmFolder, "lab-recorded");
    assertThatThrownBy(() -> vc.createFolder(vmFolder, "lab-recorded"))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> {
              assertThat(e.faultName()).isEqualTo("DuplicateName");
              assertThat(e.fault().field("name")).hasValue("lab-recorded");
              assertThat(e.task()).isEmpty();
            });

    // 11-17: a template; a clone from it without a pool fails as a task error
    CloneResult template =
        vc.cloneVm(src, CloneSpec.builder("lab-template", folder).template(true).build());
    assertThat(template.linkedRequested()).isFalse();
    assertThat(template.linked()).isFalse();
    assertThatThrownBy(
            () -> vc.cloneVm(template.vm(), CloneSpec.builder("lab-no-pool", folder).build()))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> {
              assertThat(e.faultName()).isEqualTo("InvalidArgument");
              assertThat(e.fault().field("invalidProperty")).hasValue("spec.location.pool");
              assertThat(e.task()).isPresent();
              assertThat(e.statusCode()).isEmpty();
              assertThat(e.getMessage()).contains("CloneVM_Task", "spec.location.pool");
            });
    vc.destroy(template.vm()).await();

    // 18-20: snapshot the source for a linked clone
    TaskInfo snapped = vc.createSnapshot(src, "base", "linked clone base", false, false).await();
    ManagedObjectReference srcSnapshot = snapped.resultReference().orElseThrow();
    assertThat(srcSnapshot.type()).isEqualTo("VirtualMachineSnapshot");
    ObjectContent snapshotProp = vc.retrieve(src, "snapshot");
    assertThat(snapshotProp.get("snapshot").flatMap(v -> v.child("currentSnapshot")))
        .map(VimValue::asReference)
        .hasValue(srcSnapshot);

    // 21-23: the linked clone request; vcsim makes a full copy and the client says so
    ConfigSpec cloneConfig =
        ConfigSpec.builder()
            .numCpus(2)
            .memoryMb(2048)
            .cloudInit(
                "#cloud-config\nhostname: lab-vm-1\n",
                "instance-id: lab-vm-1\nlocal-hostname: lab-vm-1\n")
            .extraConfig("SET.guest.ipAddress", "10.20.30.40")
            .build();
    CloneResult clone =
        vc.cloneVm(
            src,
            CloneSpec.builder("lab-vm-1", folder)
                .datastore(srcInfo.datastores().get(0))
                .pool(srcInfo.resourcePool())
                .linkedClone(srcSnapshot)
                .config(cloneConfig)
                .build());
    assertThat(clone.linkedRequested()).isTrue();
    assertThat(clone.linked()).as("vcsim turns a linked clone into a full clone").isFalse();
    ManagedObjectReference vm = clone.vm();

    // 24-29
    vc.reconfigVm(
            vm,
            ConfigSpec.builder()
                .annotation("lab lab-1234 & friends")
                .numCpus(4)
                .memoryMb(4096)
                .extraConfig("guestinfo.owner", "convergence <lab-1234>")
                .build())
        .await();
    vc.powerOn(vm).await();
    ManagedObjectReference snapshot =
        vc.createSnapshot(vm, "before-test", "lab checkpoint", false, false)
            .await()
            .resultReference()
            .orElseThrow();

    // 30
    VirtualMachineInfo info = vc.virtualMachine(vm);
    assertThat(info.name()).isEqualTo("lab-vm-1");
    assertThat(info.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_ON);
    assertThat(info.guestIp()).hasValue("10.20.30.40");
    assertThat(info.numCpus()).isEqualTo(4);
    assertThat(info.memoryMb()).isEqualTo(4096);
    assertThat(info.parent()).isEqualTo(folder);
    assertThat(info.currentSnapshot()).hasValue(snapshot);
    assertThat(info.snapshot().find("before-test"))
        .hasValueSatisfying(n -> assertThat(n.description()).isEqualTo("lab checkpoint"));
    assertThat(info.extraConfig())
        .containsEntry("guestinfo.owner", "convergence <lab-1234>")
        .containsEntry("guestinfo.userdata.encoding", "base64");
    assertThat(
            new String(
                Base64.getDecoder().decode(info.extraConfig().get("guestinfo.userdata")),
                StandardCharsets.UTF_8))
        .isEqualTo("#cloud-config\nhostname: lab-vm-1\n");

    // 31-38
    vc.revertToSnapshot(snapshot).await();
    vc.removeSnapshot(snapshot, false).await();
    assertThatThrownBy(() -> vc.destroy(vm).await())
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> {
              assertThat(e.faultName()).isEqualTo("InvalidPowerState");
              assertThat(e.fault().field("existingState")).hasValue("poweredOn");
              assertThat(e.task()).isPresent();
            });
    vc.powerOff(vm).await();

    // 39-42: ownership label
    CustomFieldDef field = vc.ensureCustomField("convergence.lab", "VirtualMachine");
    assertThat(field.name()).isEqualTo("convergence.lab");
    assertThat(vc.ensureCustomField("convergence.lab", "VirtualMachine")).isEqualTo(field);
    vc.setCustomField(vm, field, "lab-1234");

    // 43
    List<ObjectContent> contents =
        vc.folderContents(folder, "VirtualMachine", "name", "customValue");
    assertThat(contents).extracting(ObjectContent::obj).containsExactly(vm);
    assertThat(contents.get(0).text("name")).hasValue("lab-vm-1");
    assertThat(contents.get(0).get("customValue").orElseThrow().children())
        .singleElement()
        .satisfies(
            cv -> {
              assertThat(cv.childText("key")).hasValue(Integer.toString(field.key()));
              assertThat(cv.childText("value")).hasValue("lab-1234");
            });

    // 44-49
    vc.destroy(vm).await();
    assertThatThrownBy(() -> vc.powerOn(vm))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> assertThat(e.faultName()).isEqualTo("ManagedObjectNotFound"));
    assertThatThrownBy(() -> vc.retrieve(vm, "name"))
        .isInstanceOfSatisfying(
            VimFaultException.class,
            e -> {
              assertThat(e.faultName()).isEqualTo("ManagedObjectNotFound");
              assertThat(e.fault().detail().child("obj").map(VimValue::asReference)).hasValue(vm);
            });
    assertThat(vc.childEntities(folder)).isEmpty();
    assertThat(vc.folderContents(folder, "VirtualMachine", "name")).isEmpty();

    // 50-53
    vc.destroy(folder).await();
    vc.logout();
    assertThat(vc.session()).isEmpty();
    assertThatThrownBy(() -> vc.createFolder(vmFolder, "after-logout"))
        .as("no silent re-login after an explicit logout")
        .isInstanceOfSatisfying(
            VimFaultException.class, e -> assertThat(e.faultName()).isEqualTo("NotAuthenticated"));
  }

  /** Serves the recorded exchanges in order and checks each request against govmomi's. */
  private static final class Replay implements FakeVcenter.Handler {
    private final List<Fixtures.Exchange> exchanges;
    private final List<String> mismatches = new ArrayList<>();
    private int next;
    private String lastCookie;

    Replay(List<Fixtures.Exchange> exchanges) {
      this.exchanges = exchanges;
    }

    @Override
    public synchronized FakeVcenter.Response handle(FakeVcenter.Request request, int index) {
      if (next >= exchanges.size()) {
        mismatches.add("unexpected extra request: " + request.soapMethod());
        return new FakeVcenter.Response(400, "replay exhausted".getBytes(), Map.of());
      }
      Fixtures.Exchange ex = exchanges.get(next);
      String expected = CanonicalXml.of(ex.request());
      String actual = CanonicalXml.of(request.body());
      if (!expected.equals(actual)) {
        mismatches.add(
            ex.name()
                + ": request differs from govmomi's\n--- govmomi\n"
                + expected
                + "--- java\n"
                + actual);
        return new FakeVcenter.Response(400, "replay mismatch".getBytes(), Map.of());
      }
      String recordedCookie = ex.requestHeaders().get("Cookie");
      String cookie = request.header("Cookie");
      if (ex.name().endsWith("-NotAuthenticated")) {
        // govmomi keeps sending the cookie after Logout; this client forgets it
        if (cookie != null) {
          mismatches.add(ex.name() + ": cookie still sent after logout");
        }
      } else if (recordedCookie == null ? cookie != null : !recordedCookie.equals(cookie)) {
        mismatches.add(ex.name() + ": Cookie " + cookie + ", govmomi sent " + recordedCookie);
      }
      next++;
      Map<String, String> headers = new java.util.LinkedHashMap<>();
      headers.put("Content-Type", "text/xml; charset=utf-8");
      String setCookie = ex.responseHeaders().get("Set-Cookie");
      if (setCookie != null) {
        headers.put("Set-Cookie", setCookie);
        lastCookie = setCookie;
      }
      return new FakeVcenter.Response(ex.status(), ex.response(), headers);
    }

    synchronized void assertNoMismatch() {
      assertThat(mismatches).as("requests that differ from the recording").isEmpty();
    }

    synchronized void assertAllConsumed() {
      assertThat(next)
          .as("recorded exchanges replayed (last cookie %s)", lastCookie)
          .isEqualTo(exchanges.size());
    }
  }
}
