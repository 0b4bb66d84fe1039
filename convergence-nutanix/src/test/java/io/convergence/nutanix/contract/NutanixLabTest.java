package io.convergence.nutanix.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.Convergence;
import io.convergence.InvalidLabSpecException;
import io.convergence.Lab;
import io.convergence.ProvisioningException;
import io.convergence.Snapshots;
import io.convergence.StartOptions;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.nutanix.internal.NutanixBackend;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.MutableClock;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.prism.FakePrismCentral;
import io.convergence.testkit.prism.PrismCategory;
import io.convergence.testkit.prism.PrismVm;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the contract suite does not check on the fake Prism Central: what the VM looks like there
 * (cluster, subnet, category, ownership, memory, guest customization with the shared volume's
 * mount), Windows sysprep, recovery-point snapshots, sweeping VMs and categories of a crashed run,
 * and plan-time errors that name what exists.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NutanixLabTest {

  private static final AtomicInteger LABS = new AtomicInteger();
  private static final String UNATTEND =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          + "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">\n"
          + "  <settings pass=\"oobeSystem\">\n"
          + "    <component name=\"Microsoft-Windows-Shell-Setup\" processorArchitecture=\"amd64\""
          + " publicKeyToken=\"31bf3856ad364e35\" language=\"neutral\" versionScope=\"nonSxS\">\n"
          + "      <UserAccounts><AdministratorPassword><Value>Adm1n-S3cret</Value>"
          + "<PlainText>true</PlainText></AdministratorPassword></UserAccounts>\n"
          + "    </component>\n"
          + "  </settings>\n"
          + "</unattend>\n";

  private static NutanixEnvironment env;
  private static NutanixContractTarget target;

  @BeforeAll
  static void start() {
    env = NutanixEnvironment.start();
    target = new NutanixContractTarget(env, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @AfterEach
  void clearFaults() {
    target.clearFaults();
  }

  private static String name(String prefix) {
    return prefix + "-" + LABS.incrementAndGet();
  }

  private static VmSpec.Builder linux() {
    return VmSpec.builder().image(FakePrismCentral.UBUNTU_IMAGE).guestOs(GuestOs.LINUX);
  }

  private static List<PlatformObject> objectsOf(String labId) {
    return target.objects().stream().filter(o -> o.labId().equals(labId)).toList();
  }

  private static PrismCategory categoryOf(String labId) {
    return env.prism.categories().stream()
        .filter(c -> c.key().equals(NutanixBackend.LAB_CATEGORY) && c.value().equals(labId))
        .findFirst()
        .orElseThrow();
  }

  private static PrismVm vmIn(String labId, String workload) {
    String category = categoryOf(labId).extId();
    return env.prism.vms().stream()
        .filter(v -> v.categoryExtIds().contains(category))
        .filter(v -> v.json().path("description").asText().contains("=" + workload + "\n"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no VM of " + workload + " in lab " + labId));
  }

  private static String customization(PrismVm vm, String script) {
    JsonNode g = vm.guestCustomization();
    assertThat(g).as("guest customization of " + vm.name()).isNotNull();
    JsonNode c = g.at("/config/" + script + "/value");
    assertThat(c.isTextual()).as("guest customization " + script + " of " + vm.name()).isTrue();
    return new String(Base64.getDecoder().decode(c.asText()), StandardCharsets.UTF_8);
  }

  @Test
  void aVmIsPlacedCategorisedAndMountsTheSharedVolumeFromTheFileServersAddress() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      Lab lab =
          c.start(
              LabSpec.builder(name("placed"))
                  .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                  .vm(
                      "prober",
                      linux()
                          .cpus(2)
                          .memory("2Gi")
                          .disk("scratch", "10Gi")
                          .cloudInit("#cloud-config\npackages: [nmap]\n")
                          .mount("results", "/mnt/results")
                          .guestAgent(true)
                          .build())
                  .container(
                      "analysis",
                      ContainerSpec.builder()
                          .image("python:3.12-slim")
                          .mount("results", "/data")
                          .build())
                  .build());
      try {
        assertThat(lab.workload("prober").status()).isEqualTo(WorkloadStatus.READY);
        PrismVm vm = vmIn(lab.id(), "prober");
        assertThat(vm.clusterExtId())
            .isEqualTo(env.prism.cluster(FakePrismCentral.DEFAULT_CLUSTER).extId());
        assertThat(vm.json().at("/nics/0/networkInfo/subnet/extId").asText())
            .isEqualTo(env.prism.subnet(FakePrismCentral.DEFAULT_SUBNET).extId());
        assertThat(vm.memorySizeBytes()).isEqualTo(2L << 30);
        assertThat(vm.json().get("disks"))
            .as("boot disk from the image and the extra disk")
            .hasSize(2);
        assertThat(vm.json().at("/disks/1/backingInfo/diskSizeBytes").asLong())
            .isEqualTo(10L << 30);
        assertThat(vm.json().at("/disks/0/backingInfo/diskSizeBytes").asLong())
            .as("the boot disk has the image's size")
            .isEqualTo(env.prism.image(FakePrismCentral.UBUNTU_IMAGE).sizeBytes());
        assertThat(vm.powerState()).isEqualTo("ON");
        assertThat(vm.json().path("description").asText())
            .contains("convergence.io/lab-id=" + lab.id(), "convergence.io/workload=prober");
        assertThat(lab.workload("prober").host()).startsWith("127.42.");

        Service lb =
            env.kubernetes.client().services().inAnyNamespace().list().getItems().stream()
                .filter(s -> "LoadBalancer".equals(s.getSpec().getType()))
                .filter(
                    s -> lab.id().equals(s.getMetadata().getLabels().get("convergence.io/lab-id")))
                .findFirst()
                .orElseThrow();
        String address = lb.getStatus().getLoadBalancer().getIngress().get(0).getIp();
        String userData = customization(vm, "cloudInitScript");
        assertThat(userData)
            .contains("packages: [nmap]", "mount, -t, cifs", "//" + address + "/results")
            .contains("/mnt/results");
        assertThat(lab.report().toString()).doesNotContain(passwordIn(userData));
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }

  private static String passwordIn(String userData) {
    int i = userData.indexOf("password=");
    assertThat(i).as("an SMB password in the mount").isPositive();
    int end = userData.indexOf("'", i);
    return userData.substring(i + "password=".length(), end);
  }

  @Test
  void aWindowsVmGetsItsSysprepAndMapsTheShareAtFirstLogon() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      Lab lab =
          c.start(
              LabSpec.builder(name("windows"))
                  .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                  .vm(
                      "tester",
                      VmSpec.builder()
                          .image(FakePrismCentral.WINDOWS_IMAGE)
                          .guestOs(GuestOs.WINDOWS)
                          .cpus(4)
                          .memory("8Gi")
                          .sysprep(io.convergence.spec.SecretValue.of(UNATTEND))
                          .mount("results", "R:")
                          .build())
                  .build());
      try {
        PrismVm vm = vmIn(lab.id(), "tester");
        String unattend = customization(vm, "sysprepScript");
        assertThat(unattend)
            .contains("Adm1n-S3cret", "FirstLogonCommands", "net use R: \\\\")
            .contains("\\results");
        assertThat(lab.report().toString()).doesNotContain("Adm1n-S3cret");
        assertThat(lab.plan().toString()).doesNotContain("Adm1n-S3cret");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }

  @Test
  void snapshotsAreRecoveryPointsRevertedToAndRemovedWithTheLab() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      Lab lab = c.start(LabSpec.builder(name("snap")).vm("v", linux().build()).build());
      List<String> points = new java.util.ArrayList<>();
      try {
        Snapshots snapshots = lab.capability(Snapshots.class).orElseThrow();
        snapshots.snapshot("v", "clean");
        snapshots.snapshot("v", "after-install");
        assertThat(snapshots.list("v")).containsExactlyInAnyOrder("clean", "after-install");
        assertThat(env.prism.recoveryPoints())
            .extracting(rp -> rp.name())
            .contains(lab.id() + ".v.clean", lab.id() + ".v.after-install");
        assertThat(env.prism.recoveryPoints())
            .filteredOn(rp -> rp.vmExtIds().contains(vmIn(lab.id(), "v").extId()))
            .hasSize(2)
            .allSatisfy(rp -> points.add(rp.extId()));

        snapshots.revert("v", "clean");

        PrismVm vm = vmIn(lab.id(), "v");
        assertThat(vm.powerState()).isEqualTo("ON");
        assertThat(vm.learnedIpAddresses()).isNotEmpty();
        assertThatThrownBy(() -> snapshots.revert("v", "nope"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("clean");
        assertThatThrownBy(() -> snapshots.snapshot("v", "clean"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("already");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).as("VM and category").isEmpty();
      assertThat(env.prism.recoveryPoints())
          .extracting(rp -> rp.extId())
          .as("recovery points of the lab")
          .doesNotContainAnyElementsOf(points);
    }
  }

  @Test
  void sweepRemovesTheVmsAndCategoriesOfACrashedRunAndLeavesLiveLabs() {
    MutableClock clock = new MutableClock();
    Convergence crashed = target.connect(clock);
    Lab expiring =
        crashed.start(
            LabSpec.builder(name("short"))
                .vm("v", linux().build())
                .ttl(Duration.ofHours(1))
                .build());
    Lab living =
        crashed.start(
            LabSpec.builder(name("long"))
                .vm("v", linux().build())
                .ttl(Duration.ofHours(5))
                .build());
    expiring.capability(Snapshots.class).orElseThrow().snapshot("v", "base");
    // a lab whose only VM failed to be created, kept for inspection: its category stays alone
    env.prism.faults().failNextTask("CreateVm", "VMM-20011", "VM_CREATE_FAILED", "no room");
    ProvisioningException kept =
        catchThrowableOfType(
            ProvisioningException.class,
            () ->
                crashed.start(
                    LabSpec.builder(name("kept"))
                        .vm("v", linux().build())
                        .ttl(Duration.ofHours(1))
                        .build(),
                    StartOptions.builder().keepOnFailure(true).build()));
    assertThat(kept).isNotNull();
    assertThat(objectsOf(kept.labId()))
        .extracting(PlatformObject::kind)
        .containsExactly("Category");

    clock.advance(Duration.ofHours(2));
    try (Convergence later = target.connect(clock)) {
      SweepReport report = later.sweep(SweepRequest.expired());

      assertThat(report.labIds()).contains(expiring.id(), kept.labId()).doesNotContain(living.id());
      assertThat(objectsOf(expiring.id())).as("VM, recovery point and category").isEmpty();
      assertThat(env.prism.recoveryPoints())
          .extracting(rp -> rp.name())
          .noneMatch(n -> n.startsWith(expiring.id() + "."));
      assertThat(objectsOf(kept.labId())).isEmpty();
      assertThat(objectsOf(living.id()))
          .extracting(PlatformObject::kind)
          .contains("VirtualMachine");

      later.sweep(SweepRequest.lab(living.id()));
      assertThat(objectsOf(living.id())).isEmpty();
    } finally {
      crashed.close();
    }
  }

  @Test
  void aMissingImageIsAPlanTimeErrorNamingTheFieldAndNothingIsCreated() {
    try (Convergence c = target.connect(Clock.systemUTC())) {
      int vms = env.prism.vms().size();
      int categories = env.prism.categories().size();
      LabSpec spec =
          LabSpec.builder(name("noimage"))
              .vm("v", VmSpec.builder().image("windows-3.11").guestOs(GuestOs.LINUX).build())
              .build();

      InvalidLabSpecException e =
          catchThrowableOfType(InvalidLabSpecException.class, () -> c.start(spec));

      assertThat(e).isNotNull();
      assertThat(e.problems()).extracting(p -> p.path()).contains("workloads[v].vm.image");
      assertThat(e.getMessage()).contains("windows-3.11");
      assertThat(env.prism.vms()).hasSize(vms);
      assertThat(env.prism.categories()).hasSize(categories);
    }
  }

  @Test
  void vmsNeedAClusterAndSubnetSetBeforeAnyRequest() {
    try (Convergence c =
        target.connect(
            Clock.systemUTC(), java.util.Map.of("nutanix.cluster", "", "nutanix.subnet", ""))) {
      long before = target.requestCount();
      InvalidLabSpecException e =
          catchThrowableOfType(
              InvalidLabSpecException.class,
              () -> c.plan(LabSpec.builder(name("nocluster")).vm("v", linux().build()).build()));
      assertThat(e).isNotNull();
      assertThat(e.getMessage())
          .contains("convergence.nutanix.cluster", "convergence.nutanix.subnet");
      assertThat(target.requestCount()).isEqualTo(before);
    }
  }

  @Test
  void onANutanixFilesShareVolumesAreDirectoriesMountedOverNfsAndSmbWithoutClaimsOrFileServers() {
    java.util.Map<String, String> files =
        java.util.Map.of(
            "nutanix.files.server", "files01.lab.example",
            "nutanix.files.share", "/convergence",
            "nutanix.files.smb-user", "LAB\\svc-tester",
            "nutanix.files.smb-password", "Sh4re-S3cret");
    try (Convergence c = target.connect(Clock.systemUTC(), files)) {
      LabSpec spec =
          LabSpec.builder(name("files"))
              .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
              .vm("prober", linux().mount("results", "/mnt/results").build())
              .vm(
                  "tester",
                  VmSpec.builder()
                      .image(FakePrismCentral.WINDOWS_IMAGE)
                      .guestOs(GuestOs.WINDOWS)
                      .sysprep(io.convergence.spec.SecretValue.of(UNATTEND))
                      .mount("results", "R:")
                      .build())
              .container(
                  "analysis",
                  ContainerSpec.builder()
                      .image("python:3.12-slim")
                      .mount("results", "/data")
                      .build())
              .build();
      assertThat(c.plan(spec).toString())
          .contains("Nutanix Files share convergence on files01.lab.example")
          .doesNotContain("Sh4re-S3cret", "Samba");

      Lab lab = c.start(spec);
      try {
        String dir = lab.id() + "/results";
        assertThat(customization(vmIn(lab.id(), "prober"), "cloudInitScript"))
            .contains(
                "'files01.lab.example:/convergence'",
                "/run/convergence/exports/results/" + dir,
                "mount, --bind");
        assertThat(customization(vmIn(lab.id(), "tester"), "sysprepScript"))
            .contains(
                "net use \\\\files01.lab.example\\convergence Sh4re-S3cret /user:LAB\\svc-tester",
                "net use R: \\\\files01.lab.example\\convergence\\" + lab.id() + "\\results");
        io.fabric8.kubernetes.api.model.Pod pod =
            env.kubernetes
                .client()
                .pods()
                .inAnyNamespace()
                .withLabel("convergence.io/lab-id", lab.id())
                .list()
                .getItems()
                .get(0);
        assertThat(pod.getSpec().getVolumes())
            .anySatisfy(
                v -> {
                  assertThat(v.getNfs()).isNotNull();
                  assertThat(v.getNfs().getServer()).isEqualTo("files01.lab.example");
                  assertThat(v.getNfs().getPath()).isEqualTo("/convergence");
                  assertThat(v.getPersistentVolumeClaim()).isNull();
                });
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
            .anySatisfy(m -> assertThat(m.getSubPath()).isEqualTo(dir));
        assertThat(objectsOf(lab.id()))
            .extracting(PlatformObject::kind)
            .doesNotContain("PersistentVolumeClaim", "Service");
        assertThat(lab.workloads())
            .extracting(w -> w.name())
            .containsExactlyInAnyOrder("prober", "tester", "analysis");
        assertThat(lab.report().toString()).doesNotContain("Sh4re-S3cret");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }

  @Test
  void aWindowsVmOnAFilesShareNeedsAnSmbAccount() {
    try (Convergence c =
        target.connect(
            Clock.systemUTC(),
            java.util.Map.of(
                "nutanix.files.server",
                "files01.lab.example",
                "nutanix.files.share",
                "convergence"))) {
      InvalidLabSpecException e =
          catchThrowableOfType(
              InvalidLabSpecException.class,
              () ->
                  c.plan(
                      LabSpec.builder(name("nosmb"))
                          .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                          .vm(
                              "tester",
                              VmSpec.builder()
                                  .image(FakePrismCentral.WINDOWS_IMAGE)
                                  .guestOs(GuestOs.WINDOWS)
                                  .mount("results", "R:")
                                  .build())
                          .build()));
      assertThat(e).isNotNull();
      assertThat(e.problems())
          .extracting(p -> p.path())
          .contains("workloads[tester].vm.mounts[results]");
      assertThat(e.getMessage()).contains("files.smb-user");
    }
  }

  @Test
  void aReusedLabAdoptsItsVmAndItsSnapshotsInsteadOfMakingNewOnes() {
    StartOptions reuse = StartOptions.builder().reuse(true).build();
    LabSpec spec =
        LabSpec.builder(name("reused")).vm("v", linux().build()).ttl(Duration.ofHours(1)).build();
    String labId;
    String vmExtId;
    try (Convergence first = target.connect(Clock.systemUTC())) {
      Lab lab = first.start(spec, reuse);
      labId = lab.id();
      vmExtId = vmIn(labId, "v").extId();
      lab.capability(Snapshots.class).orElseThrow().snapshot("v", "golden");
      lab.close();
    }
    assertThat(objectsOf(labId)).as("a closed reusable lab stays").isNotEmpty();
    try (Convergence second = target.connect(Clock.systemUTC())) {
      int creates = env.prism.requestCount("POST", FakePrismCentral.VMS_PATH);
      Lab again = second.start(spec, reuse);
      assertThat(again.id()).isEqualTo(labId);
      assertThat(vmIn(labId, "v").extId()).as("the same VM").isEqualTo(vmExtId);
      assertThat(env.prism.requestCount("POST", FakePrismCentral.VMS_PATH))
          .as("no VM created again")
          .isEqualTo(creates);
      assertThat(again.capability(Snapshots.class).orElseThrow().list("v"))
          .as("the snapshot taken through the first client")
          .containsExactly("golden");
      again.close();
      second.sweep(SweepRequest.lab(labId));
    }
    assertThat(objectsOf(labId)).as("objects after the sweep").isEmpty();
  }

  @Test
  void onAFilesShareVmsShareAVolumeWithoutAnyKubernetesCluster() {
    java.util.Map<String, String> filesOnly =
        java.util.Map.of(
            "nutanix.kubeconfig", "",
            "nutanix.files.server", "files01.lab.example",
            "nutanix.files.share", "convergence");
    try (Convergence c = target.connect(Clock.systemUTC(), filesOnly)) {
      Lab lab =
          c.start(
              LabSpec.builder(name("filesonly"))
                  .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                  .vm("writer", linux().mount("results", "/mnt/results").build())
                  .vm("reader", linux().mountReadOnly("results", "/mnt/results").build())
                  .build());
      try {
        assertThat(customization(vmIn(lab.id(), "reader"), "cloudInitScript"))
            .contains("files01.lab.example:/convergence", lab.id() + "/results", "remount,bind,ro");
      } finally {
        lab.close();
      }
      assertThat(objectsOf(lab.id())).isEmpty();
    }
  }
}
