package io.convergence.vsphere.vim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.vsphere.vim.CanonicalXml;
import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ConfigSpec;
import io.convergence.vsphere.vim.Fixtures;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.ObjectContent;
import io.convergence.vsphere.vim.ObjectSpec;
import io.convergence.vsphere.vim.PropertyFilterSpec;
import io.convergence.vsphere.vim.PropertySpec;
import io.convergence.vsphere.vim.RetrieveResult;
import io.convergence.vsphere.vim.SelectionSpec;
import io.convergence.vsphere.vim.ServiceContent;
import io.convergence.vsphere.vim.TaskInfo;
import io.convergence.vsphere.vim.TraversalSpec;
import io.convergence.vsphere.vim.VimFault;
import io.convergence.vsphere.vim.VirtualMachineInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding of recorded vcsim answers, and request shapes the replay does not reach. */
class VimCodecTest {

  private static final ManagedObjectReference PC =
      ManagedObjectReference.of("PropertyCollector", "propertyCollector");

  private static ObjectContent only(int recorded) {
    RetrieveResult r = VimCodec.retrieveResult(Fixtures.recorded(recorded).responseValue());
    assertThat(r.objects()).hasSize(1);
    assertThat(r.token()).isNull();
    return r.objects().get(0);
  }

  @Test
  void serviceContent() {
    ServiceContent sc = VimCodec.serviceContent(Fixtures.recorded(3).responseValue());
    assertThat(sc.rootFolder()).isEqualTo(ManagedObjectReference.of("Folder", "group-d1"));
    assertThat(sc.propertyCollector()).isEqualTo(PC);
    assertThat(sc.sessionManager())
        .isEqualTo(ManagedObjectReference.of("SessionManager", "SessionManager"));
    assertThat(sc.searchIndex()).isEqualTo(ManagedObjectReference.of("SearchIndex", "SearchIndex"));
    assertThat(sc.customFieldsManager())
        .isEqualTo(ManagedObjectReference.of("CustomFieldsManager", "CustomFieldsManager"));
    assertThat(sc.about().apiType()).isEqualTo("VirtualCenter");
    assertThat(sc.about().apiVersion()).isEqualTo("6.5");
    assertThat(sc.about().fullName()).startsWith("VMware vCenter Server 6.5.0");
    assertThat(sc.about().instance()).isPresent();
  }

  @Test
  void userSessionKeepsNoKey() {
    assertThat(VimCodec.userSession(Fixtures.recorded(4).responseValue()).toString())
        .contains("user")
        .doesNotContain("-4"); // the session key is a UUID, equal to the cookie on vcsim
  }

  @Test
  void virtualMachineOfTheSimulator() {
    VirtualMachineInfo vm = VimCodec.virtualMachineInfo(only(8));
    assertThat(vm.name()).isEqualTo("DC0_H0_VM0");
    assertThat(vm.template()).isFalse();
    assertThat(vm.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_ON);
    assertThat(vm.guestIp()).isEmpty();
    assertThat(vm.parent()).isEqualTo(ManagedObjectReference.of("Folder", "folder-3"));
    assertThat(vm.resourcePool())
        .isEqualTo(ManagedObjectReference.of("ResourcePool", "resgroup-22"));
    assertThat(vm.datastores())
        .singleElement()
        .satisfies(d -> assertThat(d.type()).isEqualTo("Datastore"));
    assertThat(vm.numCpus()).isEqualTo(1);
    assertThat(vm.memoryMb()).isEqualTo(32);
    assertThat(vm.snapshot()).isNull();
    assertThat(vm.disks())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.fileName()).endsWith(".vmdk");
              assertThat(d.parentFileName()).isNull();
              assertThat(d.capacityKb()).isPositive();
            });
    assertThat(vm.linkedClone()).isFalse();
    assertThat(vm.extraConfig()).containsEntry("govcsim", "TRUE");
    assertThat(vm.customValues()).isEmpty();
  }

  @Test
  void cloneWithSnapshotTreeCustomValuesAndGuestIp() {
    VirtualMachineInfo vm = VimCodec.virtualMachineInfo(only(30));
    assertThat(vm.guestIp()).hasValue("10.20.30.40");
    assertThat(vm.snapshot().roots())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.name()).isEqualTo("before-test");
              assertThat(n.children()).isEmpty();
              assertThat(vm.currentSnapshot()).hasValue(n.snapshot());
            });
    assertThat(vm.extraConfig()).containsKeys("guestinfo.userdata", "guestinfo.metadata.encoding");
  }

  @Test
  void aDiskWithAParentBackingIsALinkedClone() {
    // vcsim never produces one; this is the documented VirtualDiskFlatVer2BackingInfo.parent shape
    String devices =
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>"
            + "<r xmlns=\"urn:vim25\"><val xsi:type=\"ArrayOfVirtualDevice\">"
            + "<VirtualDevice xsi:type=\"VirtualDisk\"><key>2000</key><backing"
            + " xsi:type=\"VirtualDiskFlatVer2BackingInfo\"><fileName>[ds] c/c-000001.vmdk</fileName>"
            + "<parent><fileName>[ds] t/t.vmdk</fileName></parent></backing>"
            + "<capacityInKB>1024</capacityInKB></VirtualDevice>"
            + "<VirtualDevice xsi:type=\"VirtualE1000\"><key>4000</key></VirtualDevice>"
            + "</val></r></soapenv:Body></soapenv:Envelope>";
    var val = SoapParser.parse(devices.getBytes()).response().child("val").orElseThrow();
    assertThat(VimCodec.disks(val))
        .singleElement()
        .satisfies(d -> assertThat(d.parentFileName()).isEqualTo("[ds] t/t.vmdk"));
  }

  @Test
  void taskStates() {
    ManagedObjectReference task = ManagedObjectReference.of("Task", "task-1");
    TaskInfo cloned = VimCodec.taskInfo(task, only(22));
    assertThat(cloned.state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(cloned.fault()).isEmpty();
    assertThat(cloned.resultReference())
        .hasValueSatisfying(r -> assertThat(r.type()).isEqualTo("VirtualMachine"));

    TaskInfo noResult = VimCodec.taskInfo(task, only(25));
    assertThat(noResult.state()).isEqualTo(TaskInfo.State.SUCCESS);
    assertThat(noResult.resultValue()).isEmpty();

    TaskInfo powerState = VimCodec.taskInfo(task, only(36));
    assertThat(powerState.state()).isEqualTo(TaskInfo.State.ERROR);
    VimFault f = powerState.fault().orElseThrow();
    assertThat(f.name()).isEqualTo("InvalidPowerState");
    assertThat(f.field("requestedState")).hasValue("poweredOff");
    assertThat(f.field("existingState")).hasValue("poweredOn");
    assertThat(f.message()).isNotEmpty();

    TaskInfo argument = VimCodec.taskInfo(task, only(15));
    assertThat(argument.fault().orElseThrow().field("invalidProperty"))
        .hasValue("spec.location.pool");
  }

  @Test
  void emptyResultsAndPartialPermissions() {
    assertThat(VimCodec.retrieveResult(Fixtures.recorded(49).responseValue()).objects()).isEmpty();
    assertThat(only(48).get("childEntity").orElseThrow().children()).isEmpty();
    assertThat(only(39).get("field").orElseThrow().children()).isEmpty();
    assertThat(VimCodec.customFieldDef(only(41).get("field").orElseThrow().children().get(0)))
        .satisfies(d -> assertThat(d.name()).isEqualTo("convergence.lab"));

    var parsed =
        SoapParser.parse(
            Fixtures.bytes("vcenter/RetrievePropertiesEx-partial-NotAuthenticated.response.xml"));
    ObjectContent oc = VimCodec.retrieveResult(parsed.response()).objects().get(0);
    assertThat(oc.text("defaultLocale")).hasValue("en");
    assertThat(oc.get("messageLocaleList").orElseThrow().children()).hasSize(7);
    assertThat(oc.missing()).containsOnlyKeys("message", "sessionList");
    assertThat(oc.missing().get("sessionList").field("privilegeId"))
        .hasValue("Sessions.TerminateSession");
  }

  @Test
  void pagedResult() {
    RetrieveResult page =
        VimCodec.retrieveResult(
            SoapParser.parse(Fixtures.bytes("vcenter/RetrievePropertiesEx-page1.response.xml"))
                .response());
    assertThat(page.nextToken()).hasValue("1");
    assertThat(page.objects())
        .extracting(o -> o.text("name").orElseThrow())
        .containsExactly("lab-a", "lab-b");
  }

  @Test
  void optionalReturnval() {
    assertThat(VimCodec.optionalReturnRef(Fixtures.recorded(6).responseValue())).isEmpty();
    assertThat(VimCodec.optionalReturnRef(Fixtures.recorded(5).responseValue()))
        .hasValueSatisfying(r -> assertThat(r.type()).isEqualTo("VirtualMachine"));
  }

  @Test
  void versionNegotiation() {
    assertThat(VimCodec.chooseVersion(List.of("6.5", "6.0", "5.5"), "8.0.3.0")).isEqualTo("6.5");
    assertThat(VimCodec.chooseVersion(List.of("9.0.0.0", "8.0.3.0", "8.0.2.0", "7.0"), "8.0.3.0"))
        .isEqualTo("8.0.3.0");
    assertThat(VimCodec.chooseVersion(List.of("9.1.0.0", "9.0.0.0"), "8.0.3.0"))
        .isEqualTo("9.0.0.0");
    assertThat(VimCodec.compareVersions("7.0.3.0", "7.0")).isPositive();
    assertThat(VimCodec.compareVersions("8.0", "8.0.0.0")).isZero();
    assertThatThrownBy(() -> VimCodec.chooseVersion(List.of(), "8.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ------------------------------------------------------------------ request shapes

  @Test
  void recursiveTraversalWithNamedSelectionAndAllProperties() {
    // the classic "whole inventory" filter shape: a folder traversal that refers to itself by name
    TraversalSpec folders =
        new TraversalSpec(
            "visitFolders",
            "Folder",
            "childEntity",
            false,
            List.of(SelectionSpec.named("visitFolders")));
    String xml =
        VimCodec.retrievePropertiesEx(
            PC,
            new PropertyFilterSpec(
                List.of(new PropertySpec("VirtualMachine", true, List.of())),
                List.of(
                    new ObjectSpec(
                        ManagedObjectReference.of("Folder", "group-d1"), true, List.of(folders)))),
            50);
    assertThat(CanonicalXml.of(XmlWriter.envelope(xml)))
        .contains(
            "{urn:vim25}propSet\n"
                + "          {urn:vim25}type = \"VirtualMachine\"\n"
                + "          {urn:vim25}all = \"true\"\n")
        .contains(
            "{urn:vim25}selectSet @{http://www.w3.org/2001/XMLSchema-instance}type=\"TraversalSpec\"\n"
                + "            {urn:vim25}name = \"visitFolders\"\n"
                + "            {urn:vim25}type = \"Folder\"\n"
                + "            {urn:vim25}path = \"childEntity\"\n"
                + "            {urn:vim25}skip = \"false\"\n"
                + "            {urn:vim25}selectSet @{http://www.w3.org/2001/XMLSchema-instance}type=\"SelectionSpec\"\n"
                + "              {urn:vim25}name = \"visitFolders\"\n")
        .contains("{urn:vim25}options\n        {urn:vim25}maxObjects = \"50\"");
  }

  @Test
  void hostPlacementComesAfterPoolAndNoConfigWhenEmpty() {
    ManagedObjectReference f = ManagedObjectReference.of("Folder", "f");
    String xml =
        VimCodec.cloneVm(
            ManagedObjectReference.of("VirtualMachine", "vm-1"),
            CloneSpec.builder("x", f)
                .pool(ManagedObjectReference.of("ResourcePool", "p"))
                .host(ManagedObjectReference.of("HostSystem", "h"))
                .config(ConfigSpec.builder().build())
                .powerOn(true)
                .build());
    assertThat(xml)
        .contains(
            "<location><pool type=\"ResourcePool\">p</pool><host type=\"HostSystem\">h</host></location>"
                + "<template>false</template><powerOn>true</powerOn>")
        .doesNotContain("<config>");
  }

  @Test
  void sysprepCustomizationIsWrittenInSchemaOrderBetweenConfigAndPowerOnAndKeptOutOfToString() {
    // VirtualMachineCloneSpec: location, template, config, customization, powerOn, snapshot;
    // CustomizationSpec: options, identity, globalIPSettings, nicSettingMap (one per adapter).
    ManagedObjectReference f = ManagedObjectReference.of("Folder", "f");
    CloneSpec spec =
        CloneSpec.builder("win", f)
            .config(ConfigSpec.builder().numCpus(2).build())
            .sysprep("<unattend><Value>S3cret & more</Value></unattend>", 2)
            .build();
    String xml = VimCodec.cloneVm(ManagedObjectReference.of("VirtualMachine", "vm-1"), spec);
    String nic =
        "<nicSettingMap><adapter><ip xsi:type=\"CustomizationDhcpIpGenerator\"></ip></adapter>"
            + "</nicSettingMap>";
    assertThat(xml)
        .contains(
            "<numCPUs>2</numCPUs></config><customization>"
                + "<identity xsi:type=\"CustomizationSysprepText\"><value>"
                + "&lt;unattend&gt;&lt;Value&gt;S3cret &amp; more&lt;/Value&gt;&lt;/unattend&gt;"
                + "</value></identity><globalIPSettings></globalIPSettings>"
                + nic
                + nic
                + "</customization><powerOn>false</powerOn>");
    assertThat(spec.toString()).doesNotContain("S3cret").contains("sysprep(<redacted>)");
  }

  @Test
  void linkedCloneNeedsTheSourceSnapshot() {
    assertThatThrownBy(
            () ->
                CloneSpec.builder("x", ManagedObjectReference.of("Folder", "f"))
                    .diskMoveType(CloneSpec.CREATE_NEW_CHILD_DISK_BACKING)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("snapshot");
  }
}
