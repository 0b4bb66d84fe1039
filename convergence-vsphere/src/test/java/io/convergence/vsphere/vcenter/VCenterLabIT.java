package io.convergence.vsphere.vcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.Convergence;
import io.convergence.InvalidLabSpecException;
import io.convergence.Lab;
import io.convergence.Ownership;
import io.convergence.ProvisioningException;
import io.convergence.Snapshots;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.MutableClock;
import io.convergence.testkit.PlatformObject;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.VirtualMachineInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the contract suite does not check on vcsim: a VM-only lab through every stage, ownership
 * attributes on the folder and VMs, teardown, sweep, snapshots, Windows customization, a file
 * server without a load-balancer address, and the plan-time and clone-time errors.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VCenterLabIT {

  private static VcsimEnvironment env;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    env = VcsimEnvironment.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  private static VmSpec.Builder linux() {
    return VmSpec.builder().image("ubuntu-22.04").guestOs(GuestOs.LINUX);
  }

  private static List<PlatformObject> objectsOf(String labId) {
    return env.target.objects().stream().filter(o -> o.labId().equals(labId)).toList();
  }

  @Test
  void aVmLabReachesEveryStageCarriesOwnershipAndLeavesNothing() {
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      Lab lab =
          c.start(
              LabSpec.builder("vms-1")
                  .vm(
                      "tester",
                      linux()
                          .cpus(2)
                          .memory("512Mi")
                          .cloudInit("#cloud-config\npassword: hunter2\n")
                          .guestAgent(true)
                          .probe(Probe.ssh())
                          .timeout(Stage.GUEST, Duration.ofSeconds(30))
                          .timeout(Stage.PROBE, Duration.ofSeconds(30))
                          .build())
                  .build());
      try {
        assertThat(lab.workload("tester").status()).isEqualTo(WorkloadStatus.READY);
        assertThat(lab.workload("tester").host()).isEqualTo("127.0.0.1");
        assertThat(lab.workload("tester").stageTimings())
            .containsKeys(
                Stage.CREATED,
                Stage.SCHEDULED,
                Stage.RUNNING,
                Stage.NETWORK,
                Stage.GUEST,
                Stage.PROBE);
        Ownership o = lab.ownership();
        List<PlatformObject> objects = objectsOf(lab.id());
        assertThat(objects)
            .extracting(PlatformObject::kind)
            .containsExactlyInAnyOrder("Folder", "VirtualMachine");
        for (PlatformObject object : objects) {
          assertThat(object.labels()).containsAllEntriesOf(o.labels());
        }
        assertThat(lab.plan().toString()).doesNotContain("hunter2");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).as("objects left after close").isEmpty();
    }
  }

  @Test
  void aMissingTemplateIsAPlanErrorListingTheTemplates() {
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      assertThatThrownBy(
              () ->
                  c.plan(
                      LabSpec.builder("vms-2")
                          .vm("v", VmSpec.builder().image("no-such-template").build())
                          .build()))
          .isInstanceOfSatisfying(
              InvalidLabSpecException.class,
              e ->
                  assertThat(e.problems().get(0).message())
                      .contains("no-such-template", "ubuntu-22.04", "windows-2022"));
    }
  }

  @Test
  void aLinkedCloneOfATemplateWithoutSnapshotFailsInsteadOfCopying() {
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      assertThatThrownBy(
              () ->
                  c.start(
                      LabSpec.builder("vms-3")
                          .vm("v", linux().options(VCenterOptions.linkedClone()).build())
                          .build()))
          .isInstanceOfSatisfying(
              ProvisioningException.class,
              e -> assertThat(e.failures().get("v").toString()).contains("NoSnapshot"));
    }
  }

  @Test
  void aLinkedCloneRequestIsReportedAsAFullCopyOnVcsim() {
    env.templateWithSnapshot("golden");
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      Lab lab =
          c.start(
              LabSpec.builder("vms-4")
                  .vm(
                      "v",
                      VmSpec.builder()
                          .image("golden")
                          .options(VCenterOptions.linkedClone())
                          .build())
                  .build());
      try {
        assertThat(lab.workload("v").status()).isEqualTo(WorkloadStatus.READY);
        assertThat(lab.report().toString()).contains("vCenter made a full copy");
      } finally {
        lab.close();
      }
    }
  }

  @Test
  void snapshotsAreTakenListedAndRevertedToAndTheVmIsReadyAgain() {
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      Lab lab = c.start(LabSpec.builder("vms-6").vm("v", linux().build()).build());
      try {
        Snapshots snapshots = lab.capability(Snapshots.class).orElseThrow();
        snapshots.snapshot("v", "clean");
        snapshots.snapshot("v", "after-install");
        assertThat(snapshots.list("v")).containsExactly("clean", "after-install");
        ManagedObjectReference vm =
            env.admin
                .findByInventoryPath(
                    "DC0/vm/" + VCenterContractTarget.LABS_FOLDER + "/" + lab.id() + "/v")
                .orElseThrow();
        assertThat(env.admin.virtualMachine(vm).snapshot().find("clean")).isPresent();

        snapshots.revert("v", "clean");

        VirtualMachineInfo info = env.admin.virtualMachine(vm);
        assertThat(info.powerState()).isEqualTo(VirtualMachineInfo.PowerState.POWERED_ON);
        assertThat(info.snapshot().current())
            .isEqualTo(info.snapshot().find("clean").orElseThrow().snapshot());
        assertThatThrownBy(() -> snapshots.revert("v", "nope"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("clean");
        assertThatThrownBy(() -> snapshots.snapshot("v", "clean"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }

  @Test
  void aWindowsVmIsClonedWithItsSysprepAnswerFileAsCustomization() {
    String unattend =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">"
            + "<settings pass=\"oobeSystem\"><component name=\"Microsoft-Windows-Shell-Setup\""
            + " processorArchitecture=\"amd64\" publicKeyToken=\"31bf3856ad364e35\""
            + " language=\"neutral\" versionScope=\"nonSxS\"><UserAccounts><AdministratorPassword>"
            + "<Value>S3cret-Admin!</Value></AdministratorPassword></UserAccounts></component>"
            + "</settings></unattend>";
    try (Convergence c = env.target.connect(Clock.systemUTC())) {
      LabSpec spec =
          LabSpec.builder("vms-7")
              .vm(
                  "win",
                  VmSpec.builder()
                      .image("windows-2022")
                      .guestOs(GuestOs.WINDOWS)
                      .sysprep(unattend)
                      .build())
              .build();
      assertThat(c.plan(spec).render())
          .contains("CustomizationSysprepText")
          .doesNotContain("S3cret-Admin!");
      Lab lab = c.start(spec);
      try {
        assertThat(lab.workload("win").status()).isEqualTo(WorkloadStatus.READY);
        assertThat(lab.report().toString())
            .contains("CustomizationSysprepText")
            .doesNotContain("S3cret-Admin!");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }

  @Test
  void aFileServerWithoutALoadBalancerAddressFailsTheVmAtCreatedAndLeavesNothing() {
    env.faults.noLoadBalancerAddress("results-smb");
    try (Convergence c =
        env.target.connect(
            Clock.systemUTC(), Map.of("vsphere-vcenter.file-server-address-timeout", "2s"))) {
      ProvisioningException e =
          catchThrowableOfType(
              ProvisioningException.class,
              () ->
                  c.start(
                      LabSpec.builder("vms-8")
                          .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                          .vm("v", linux().mount("results", "/results").build())
                          .build()));
      assertThat(e).isNotNull();
      assertThat(e.failures().get("v").stage()).isEqualTo(Stage.CREATED);
      assertThat(e.failures().get("v").reason()).isEqualTo("NoLoadBalancerAddress");
      assertThat(e.getMessage()).contains("load-balancer implementation", "rolled back");
      assertThat(objectsOf(e.labId())).as("objects left after rollback").isEmpty();
    } finally {
      env.faults.clear();
    }
  }

  @Test
  void sweepRemovesTheFolderOfAnExpiredVmLab() {
    MutableClock clock = new MutableClock();
    Convergence crashed = env.target.connect(clock);
    Lab lab =
        crashed.start(
            LabSpec.builder("vms-5").vm("v", linux().build()).ttl(Duration.ofHours(1)).build());
    assertThat(objectsOf(lab.id())).isNotEmpty();
    clock.advance(Duration.ofHours(2));
    try (Convergence later = env.target.connect(clock)) {
      SweepReport report = later.sweep(SweepRequest.expired());
      assertThat(report.labIds()).contains(lab.id());
    }
    assertThat(objectsOf(lab.id())).as("objects after the sweep").isEmpty();
  }
}
