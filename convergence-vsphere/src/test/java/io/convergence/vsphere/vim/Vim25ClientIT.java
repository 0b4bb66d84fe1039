package io.convergence.vsphere.vim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.testkit.vcsim.Vcsim;
import io.convergence.vsphere.vim.internal.SoapParser;
import io.convergence.vsphere.vim.internal.VimCodec;
import io.convergence.vsphere.vim.internal.XmlWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vim25 client against a running vcsim (govmomi 0.24): a whole lab VM lifecycle in a per-test
 * folder, a wrong password, and a session the server dropped.
 *
 * <p>What vcsim cannot show, and so this test does not claim: it turns a linked clone request into
 * a full copy (the test asserts the client reports it as <em>not</em> linked; the request's shape
 * is covered by {@code Vim25ReplayTest} against govmomi's recorded request); it ignores {@code
 * numCPUs}/{@code memoryMB} in a clone spec (sizes are changed with ReconfigVM_Task instead); its
 * revert only moves the current-snapshot pointer; its guest IP comes from the {@code
 * SET.guest.ipAddress} extraConfig key, not from VMware Tools.
 */
class Vim25ClientIT {
  private static Vcsim vcsim;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vcsim = Vcsim.startOrSkip(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (vcsim != null) {
      vcsim.close();
    }
  }

  private static Vim25Config.Builder config(String password) {
    return Vim25Config.builder(vcsim.sdk())
        .credentials(vcsim.user(), password)
        .taskPolling(Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void labLifecycleInAPerTestFolder() {
    String labId = "lab-" + UUID.randomUUID().toString().substring(0, 8);
    try (Vim25Client vc = Vim25Client.connect(config(vcsim.password()).build())) {
      assertThat(vc.serviceContent().about().isVcenter()).isTrue();
      assertThat(vc.login().userName()).isEqualTo(vcsim.user());

      ManagedObjectReference source = vc.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
      ManagedObjectReference vmFolder = vc.findByInventoryPath("DC0/vm").orElseThrow();
      VirtualMachineInfo sourceInfo = vc.virtualMachine(source);
      ManagedObjectReference pool = sourceInfo.resourcePool();
      ManagedObjectReference datastore = sourceInfo.datastores().get(0);
      ManagedObjectReference folder = vc.createFolder(vmFolder, "convergence-it-" + labId);
      assertThat(vc.findChild(vmFolder, "convergence-it-" + labId)).hasValue(folder);

      // A golden image: a powered-off copy with a snapshot, marked as template.
      CloneResult golden =
          vc.cloneVm(source, CloneSpec.builder("golden-" + labId, folder).pool(pool).build());
      ManagedObjectReference goldenSnapshot =
          vc.createSnapshot(golden.vm(), "golden", "base for linked clones", false, false)
              .await()
              .resultReference()
              .orElseThrow();
      vc.markAsTemplate(golden.vm());
      assertThat(vc.virtualMachine(golden.vm()).template()).isTrue();

      // The lab VM: a linked clone request from the template's snapshot.
      CloneResult lab =
          vc.cloneVm(
              golden.vm(),
              CloneSpec.builder("vm-" + labId, folder)
                  .pool(pool)
                  .datastore(datastore)
                  .linkedClone(goldenSnapshot)
                  .powerOn(false)
                  .config(
                      ConfigSpec.builder()
                          .numCpus(2)
                          .memoryMb(256)
                          .cloudInit(
                              "#cloud-config\nhostname: " + labId + "\n",
                              "instance-id: " + labId + "\n")
                          .extraConfig("SET.guest.ipAddress", "10.0.0.42")
                          .build())
                  .build());
      assertThat(lab.linkedRequested()).isTrue();
      assertThat(lab.linked())
          .as(
              "vcsim makes a full copy of a linked clone request; the client must not claim 'linked'")
          .isFalse();
      ManagedObjectReference vm = lab.vm();
      VirtualMachineInfo created = vc.virtualMachine(vm);
      assertThat(created.name()).isEqualTo("vm-" + labId);
      assertThat(created.parent()).isEqualTo(folder);
      assertThat(created.template()).isFalse();
      assertThat(created.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_OFF);
      assertThat(created.linkedClone()).isFalse();
      assertThat(created.extraConfig()).containsKeys("guestinfo.userdata", "guestinfo.metadata");

      vc.reconfigVm(vm, ConfigSpec.builder().numCpus(3).memoryMb(512).build()).await();
      VirtualMachineInfo resized = vc.virtualMachine(vm);
      assertThat(resized.numCpus()).isEqualTo(3);
      assertThat(resized.memoryMb()).isEqualTo(512);

      vc.powerOn(vm).await();
      VirtualMachineInfo running = vc.virtualMachine(vm);
      assertThat(running.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_ON);
      assertThat(running.guestIp()).hasValue("10.0.0.42");
      assertThatThrownBy(() -> vc.powerOn(vm).await())
          .isInstanceOfSatisfying(
              VimFaultException.class,
              e -> assertThat(e.faultName()).isEqualTo("InvalidPowerState"));

      ManagedObjectReference first =
          vc.createSnapshot(vm, "first", "", false, false).await().resultReference().orElseThrow();
      ManagedObjectReference second =
          vc.createSnapshot(vm, "second", "on top", false, false)
              .await()
              .resultReference()
              .orElseThrow();
      VirtualMachineInfo.SnapshotInfo tree = vc.virtualMachine(vm).snapshot();
      assertThat(tree.current()).isEqualTo(second);
      assertThat(tree.roots())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.snapshot()).isEqualTo(first);
                assertThat(r.children())
                    .extracting(VirtualMachineInfo.SnapshotNode::name)
                    .containsExactly("second");
              });
      vc.revertToSnapshot(first).await();
      assertThat(vc.virtualMachine(vm).currentSnapshot()).hasValue(first);
      vc.removeSnapshot(second, false).await();
      assertThat(vc.virtualMachine(vm).snapshot().find("second")).isEmpty();

      CustomFieldDef owner = vc.ensureCustomField("convergence.lab", "VirtualMachine");
      vc.setCustomField(vm, owner, labId);
      assertThat(vc.virtualMachine(vm).customValues()).containsEntry(owner.key(), labId);
      assertThat(vc.folderContents(folder, "VirtualMachine", "name", "customValue"))
          .extracting(o -> o.text("name").orElseThrow())
          .containsExactlyInAnyOrder("golden-" + labId, "vm-" + labId);

      assertThatThrownBy(() -> vc.destroy(vm).await())
          .isInstanceOfSatisfying(
              VimFaultException.class,
              e -> {
                assertThat(e.faultName()).isEqualTo("InvalidPowerState");
                assertThat(e.task()).isPresent();
              });
      vc.powerOff(vm).await();
      assertThat(vc.virtualMachine(vm).powerState())
          .isEqualTo(VirtualMachineInfo.PowerState.POWERED_OFF);
      vc.destroy(vm).await();
      vc.destroy(golden.vm()).await();
      assertThatThrownBy(() -> vc.virtualMachine(vm))
          .isInstanceOfSatisfying(
              VimFaultException.class,
              e -> assertThat(e.faultName()).isEqualTo("ManagedObjectNotFound"));

      assertThat(vc.childEntities(folder)).isEmpty();
      assertThat(vc.folderContents(folder, "VirtualMachine", "name")).isEmpty();
      vc.destroy(folder).await();
      assertThat(vc.findByInventoryPath("DC0/vm/convergence-it-" + labId)).isEmpty();

      vc.logout();
      assertThat(vc.session()).isEmpty();
    }
  }

  @Test
  void aWrongPasswordIsInvalidLogin() {
    try (Vim25Client vc = Vim25Client.connect(config("not-the-password").build())) {
      assertThatThrownBy(vc::login)
          .isInstanceOfSatisfying(
              VimFaultException.class,
              e -> {
                assertThat(e.faultName()).isEqualTo("InvalidLogin");
                assertThat(e.getMessage()).doesNotContain("not-the-password");
              });
      assertThat(vc.session()).isEmpty();
    }
  }

  @Test
  void aSessionTheServerDroppedIsRenewedOnce() throws Exception {
    try (Vim25Client vc = Vim25Client.connect(config(vcsim.password()).build())) {
      vc.login();
      ManagedObjectReference source = vc.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();

      terminateOtherSessions();
      // a method call: vcsim answers with a NotAuthenticated SOAP fault
      assertThat(vc.findByInventoryPath("DC0/vm/DC0_H0_VM0")).hasValue(source);

      terminateOtherSessions();
      // a property read: vcsim answers with NotAuthenticated in every missingSet
      assertThat(vc.virtualMachine(source).name()).isEqualTo("DC0_H0_VM0");
      assertThat(vc.session()).isPresent();
    }
  }

  /**
   * Ends every session but its own, like an administrator (or vCenter's idle timeout) would: raw
   * SOAP with a separate cookie, so that the client under test is not involved.
   */
  private static void terminateOtherSessions() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    ManagedObjectReference sm = ManagedObjectReference.of("SessionManager", "SessionManager");
    String cookie = null;
    HttpResponse<byte[]> login =
        post(http, null, VimCodec.login(sm, vcsim.user(), vcsim.password().toCharArray()));
    for (String h : login.headers().allValues("Set-Cookie")) {
      if (h.startsWith("vmware_soap_session=")) {
        cookie = h.split(";", 2)[0];
      }
    }
    assertThat(cookie).isNotNull();
    ObjectContent sessions =
        VimCodec.retrieveResult(
                SoapParser.parse(
                        post(
                                http,
                                cookie,
                                VimCodec.retrievePropertiesEx(
                                    ManagedObjectReference.of(
                                        "PropertyCollector", "propertyCollector"),
                                    PropertyFilterSpec.of(sm, "sessionList", "currentSession"),
                                    0))
                            .body())
                    .response())
            .objects()
            .get(0);
    String own = sessions.get("currentSession").flatMap(v -> v.childText("key")).orElseThrow();
    List<String> others =
        sessions.get("sessionList").orElseThrow().children().stream()
            .map(s -> s.childText("key").orElseThrow())
            .filter(k -> !k.equals(own))
            .toList();
    assertThat(others).isNotEmpty();
    XmlWriter w = new XmlWriter().method("TerminateSession").ref("_this", sm);
    others.forEach(k -> w.text("sessionId", k));
    HttpResponse<byte[]> terminated = post(http, cookie, w.end("TerminateSession").toString());
    assertThat(terminated.statusCode())
        .as(new String(terminated.body(), StandardCharsets.UTF_8))
        .isEqualTo(200);
    post(http, cookie, VimCodec.logout(sm));
  }

  private static HttpResponse<byte[]> post(HttpClient http, String cookie, String methodXml)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(vcsim.sdk())
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/6.5")
            .POST(HttpRequest.BodyPublishers.ofString(XmlWriter.envelope(methodXml)));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
