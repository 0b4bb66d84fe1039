package io.convergence.testkit.kubevirt;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.cloudInitSecret;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.condition;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.containerDiskVm;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.dataVolumeVm;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.dvs;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.isTrue;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.parse;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.phase;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.printable;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.status;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.vmis;
import static io.convergence.testkit.kubevirt.KubeVirtObjects.vms;
import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Recorder;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The KubeVirt simulator on the embedded API server, driven as a client would drive KubeVirt. */
class KubeVirtSimulatorTest {

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final String FEDORA = "quay.io/containerdisks/fedora:41";

  private static EmbeddedKubeVirt kv;
  private static KubernetesClient client;
  private String ns;

  @BeforeAll
  static void start() {
    kv =
        EmbeddedKubeVirt.start(
            KubeVirtSimulator.builder()
                .latency(Duration.ofMillis(10))
                .featureGates("EnableVirtioFsStorageVolumes")
                .guestAgent("no-agent", false)
                .agentDelay(Duration.ofMillis(30)));
    client = kv.newClient("convergence/test");
  }

  @AfterAll
  static void stop() {
    kv.close();
  }

  @BeforeEach
  void namespace() {
    ns = "kv-test-" + COUNTER.incrementAndGet();
  }

  private GenericKubernetesResource create(String yaml) {
    GenericKubernetesResource o = parse(client, yaml);
    var context =
        switch (o.getKind()) {
          case "VirtualMachineSnapshot" -> KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT;
          case "VirtualMachineRestore" -> KubeVirtResources.VIRTUAL_MACHINE_RESTORE;
          default -> throw new IllegalArgumentException(o.getKind());
        };
    return client.genericKubernetesResources(context).inNamespace(ns).resource(o).create();
  }

  private GenericKubernetesResource createVm(String yaml) {
    return vms(client, ns).resource(parse(client, yaml)).create();
  }

  private void createSecret(String vm) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            client.getKubernetesSerialization().unmarshal(cloudInitSecret(ns, vm), Secret.class))
        .create();
  }

  private GenericKubernetesResource vm(String name) {
    return vms(client, ns).withName(name).get();
  }

  private GenericKubernetesResource vmi(String name) {
    return vmis(client, ns).withName(name).get();
  }

  private List<Pod> launchers(String vm) {
    return client.pods().inNamespace(ns).withLabel("vm.kubevirt.io/name", vm).list().getItems();
  }

  private GenericKubernetesResource awaitVm(
      String name, java.util.function.Predicate<GenericKubernetesResource> p, String what) {
    await(
        () -> {
          GenericKubernetesResource vm = vm(name);
          return vm != null && p.test(vm);
        },
        name + " " + what);
    return vm(name);
  }

  private GenericKubernetesResource awaitPrintable(String name, String printable) {
    return awaitVm(name, vm -> printable.equals(printable(vm)), "printableStatus " + printable);
  }

  @Test
  @DisplayName(
      "a containerDisk VM with cloud-init from a Secret starts, runs, is ready, then the agent connects")
  void containerDiskVmRuns() {
    try (Recorder<GenericKubernetesResource> vmRec =
            Recorder.of(vms(kv.client(), ns), "tester", KubeVirtObjects::printable);
        Recorder<GenericKubernetesResource> vmiRec =
            Recorder.of(vmis(kv.client(), ns), "tester", KubeVirtObjects::vmiState)) {
      createVm(containerDiskVm(ns, "tester", FEDORA, "Always"));
      createSecret("tester"); // after the VM, as the SDK does: the launcher pod waits for it
      GenericKubernetesResource vm =
          awaitVm(
              "tester",
              v ->
                  Boolean.TRUE.equals(Json.bool(status(v), "ready")) && isTrue(v, "AgentConnected"),
              "ready with agent");
      vmiRec.awaitState("Running ready=true agent=true");
      vmRec.assertSequence("Starting", "Running");
      assertThat(vmRec.states()).doesNotContain("Stopped");
      vmiRec.assertSequence(
          "Pending ready=false agent=false",
          "Scheduling ready=false agent=false",
          "Scheduled ready=false agent=false",
          "Running ready=true agent=false",
          "Running ready=true agent=true");
      Map<String, Object> st = status(vm);
      assertThat(st)
          .containsEntry("printableStatus", "Running")
          .containsEntry("ready", true)
          .containsEntry("created", true)
          .containsEntry("runStrategy", "Always")
          .containsEntry("observedGeneration", 1);
      assertThat(condition(vm, "Ready"))
          .containsEntry("status", "True")
          .doesNotContainKey("reason");
      assertThat(vm.getMetadata().getFinalizers()).contains(KubeVirtResources.CONTROLLER_FINALIZER);

      GenericKubernetesResource vmi = vmi("tester");
      assertThat(vmi.getMetadata().getLabels())
          .containsEntry("convergence.io/lab", "lab-a")
          .containsEntry("convergence.io/workload", "tester")
          .containsKey(KubeVirtResources.NODE_NAME_LABEL)
          .hasSize(3);
      assertThat(vmi.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getKind()).isEqualTo("VirtualMachine");
                assertThat(r.getUid()).isEqualTo(vm.getMetadata().getUid());
                assertThat(r.getController()).isTrue();
              });
      assertThat(vmi.getMetadata().getFinalizers())
          .containsExactly(
              KubeVirtResources.FOREGROUND_DELETE_FINALIZER,
              KubeVirtResources.CONTROLLER_FINALIZER);
      assertThat(Json.map(vmi.getAdditionalProperties(), "spec"))
          .isEqualTo(Json.map(vm.getAdditionalProperties(), "spec", "template", "spec"));
      assertThat(Json.maps(status(vmi), "phaseTransitionTimestamps"))
          .extracting(t -> t.get("phase"))
          .containsExactly("Pending", "Scheduling", "Scheduled", "Running");

      List<Pod> pods = launchers("tester");
      assertThat(pods).hasSize(1);
      Pod pod = pods.get(0);
      assertThat(pod.getMetadata().getName()).startsWith("virt-launcher-tester-");
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("kubevirt.io", "virt-launcher")
          .containsEntry("kubevirt.io/created-by", vmi.getMetadata().getUid())
          .containsEntry("vm.kubevirt.io/name", "tester")
          .containsEntry("vmi.kubevirt.io/id", "tester")
          .containsEntry("convergence.io/lab", "lab-a")
          .containsEntry("convergence.io/workload", "tester");
      assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubevirt.io/domain", "tester");
      assertThat(pod.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(r -> assertThat(r.getUid()).isEqualTo(vmi.getMetadata().getUid()));
      assertThat(pod.getSpec().getContainers().get(0).getName()).isEqualTo("compute");
      assertThat(
              pod.getSpec()
                  .getContainers()
                  .get(0)
                  .getReadinessProbe()
                  .getTcpSocket()
                  .getPort()
                  .getIntVal())
          .isEqualTo(22);

      assertThat(Json.str(status(vmi), "nodeName")).isEqualTo(pod.getSpec().getNodeName());
      Map<String, Object> iface = Json.maps(status(vmi), "interfaces").get(0);
      assertThat(iface)
          .containsEntry("name", "default")
          .containsEntry("ipAddress", pod.getStatus().getPodIP())
          .containsEntry("ipAddresses", List.of(pod.getStatus().getPodIP()))
          .containsEntry("interfaceName", "eth0")
          .containsEntry("infoSource", "domain, guest-agent");
      assertThat((String) iface.get("mac")).matches("02(:[0-9a-f]{2}){5}");
      assertThat(Json.map(status(vmi), "guestOSInfo")).containsEntry("id", "fedora");
      assertThat(condition(vm, "AgentConnected")).containsEntry("status", "True");
    }
  }

  @Test
  @DisplayName(
      "without a guest agent: Running and ready, never AgentConnected, no guestOSInfo, no interfaceName")
  void noAgent() {
    createSecret("no-agent");
    createSecret("with-agent");
    createVm(containerDiskVm(ns, "no-agent", FEDORA, "Always"));
    awaitVm("no-agent", v -> Boolean.TRUE.equals(Json.bool(status(v), "ready")), "ready");
    // a VM started later gets its agent: by then the first one would have had it too
    createVm(containerDiskVm(ns, "with-agent", FEDORA, "Always"));
    awaitVm("with-agent", v -> isTrue(v, "AgentConnected"), "agent");
    GenericKubernetesResource vmi = vmi("no-agent");
    assertThat(condition(vmi, "AgentConnected")).isEmpty();
    assertThat(Json.map(status(vmi), "guestOSInfo")).isEmpty();
    assertThat(Json.maps(status(vmi), "interfaces").get(0))
        .containsEntry("infoSource", "domain")
        .containsKey("ipAddress")
        .doesNotContainKey("interfaceName");
  }

  @Test
  @DisplayName("faults: agent never connects, unschedulable, image pull, hang, no network, probe")
  void faults() {
    Faults f = kv.faults();
    f.agentNeverConnects("f-agent")
        .unschedulable("f-unsched")
        .imagePullFails("f-pull")
        .hangBefore("f-hang", Stage.RUNNING)
        .hangBefore("f-net", Stage.NETWORK)
        .failAt("f-probe", Stage.PROBE, "ProbeFailed", "dial tcp: connection refused");
    Recorder<GenericKubernetesResource> pullRec =
        Recorder.of(vms(kv.client(), ns), "f-pull", KubeVirtObjects::printable);
    for (String vm :
        List.of("f-agent", "f-unsched", "f-pull", "f-hang", "f-net", "f-probe", "f-control")) {
      createSecret(vm);
      createVm(containerDiskVm(ns, vm, FEDORA, "Always"));
    }
    createVm(containerDiskVm(ns, "f-typo", "quay.io/containerdisks/fedroa:41", "Always"));
    createSecret("f-typo");
    GenericKubernetesResource unsched = awaitPrintable("f-unsched", "ErrorUnschedulable");
    assertThat(condition(vmi("f-unsched"), "PodScheduled"))
        .containsEntry("status", "False")
        .containsEntry("reason", "Unschedulable")
        .containsEntry("message", "0/3 nodes are available: 3 Insufficient cpu.");
    assertThat(condition(unsched, "PodScheduled")).containsEntry("reason", "Unschedulable");
    assertThat(phase(vmi("f-unsched"))).isEqualTo("Scheduling");

    GenericKubernetesResource pull =
        awaitVm("f-pull", v -> printable(v).equals("ImagePullBackOff"), "ImagePullBackOff");
    assertThat(condition(pull, "Synchronized"))
        .containsEntry("status", "False")
        .containsEntry("reason", "ImagePullBackOff");
    pullRec.assertSequence("Starting", "ErrImagePull", "ImagePullBackOff");
    pullRec.close();
    GenericKubernetesResource typo =
        awaitVm("f-typo", v -> printable(v).equals("ImagePullBackOff"), "ImagePullBackOff");
    assertThat((String) condition(vmi("f-typo"), "Synchronized").get("message"))
        .isEqualTo("Back-off pulling image \"quay.io/containerdisks/fedroa:41\"");
    assertThat(typo).isNotNull();

    // the control VM gets everything; by then the faulty ones would have too
    awaitVm(
        "f-control",
        v -> isTrue(v, "AgentConnected") && Boolean.TRUE.equals(Json.bool(status(v), "ready")),
        "ready");
    awaitVm("f-agent", v -> Boolean.TRUE.equals(Json.bool(status(v), "ready")), "ready");
    awaitVm("f-net", v -> printable(v).equals("Running"), "running");
    awaitVm("f-probe", v -> printable(v).equals("Running"), "running");
    await(
        () ->
            kv.kubernetes().client().v1().events().inNamespace(ns).list().getItems().stream()
                .anyMatch(
                    e ->
                        e.getReason().equals("Unhealthy")
                            && e.getInvolvedObject().getName().startsWith("virt-launcher-f-probe")),
        "unhealthy");
    awaitVm("f-agent", v -> isTrue(vmi("f-agent"), "LiveMigratable"), "migratable");

    assertThat(condition(vmi("f-agent"), "AgentConnected")).isEmpty();
    assertThat(Json.maps(status(vmi("f-net")), "interfaces").get(0)).doesNotContainKey("ipAddress");
    assertThat(Json.bool(status(vm("f-probe")), "ready")).isNull();
    assertThat(condition(vmi("f-probe"), "Ready"))
        .containsEntry("status", "False")
        .containsEntry("reason", "ContainersNotReady");
    assertThat(printable(vm("f-hang"))).isEqualTo("Starting");
    assertThat(phase(vmi("f-hang"))).isEqualTo("Scheduling");
  }

  @Test
  @DisplayName(
      "a crash fails the VMI: Once stays stopped, Always backs off (CrashLoopBackOff) and restarts")
  void crash() {
    kv.faults().crash("c-once").crash("c-always");
    createSecret("c-once");
    createSecret("c-always");
    createVm(containerDiskVm(ns, "c-once", FEDORA, "Once"));
    await(() -> vmi("c-once") != null && phase(vmi("c-once")).equals("Failed"), "VMI failed");
    assertThat(condition(vmi("c-once"), "Ready")).containsEntry("status", "False");
    awaitPrintable("c-once", "Stopped");
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(kv.client(), ns), "c-always", KubeVirtObjects::printable)) {
      createVm(containerDiskVm(ns, "c-always", FEDORA, "Always"));
      GenericKubernetesResource vm =
          awaitVm(
              "c-always",
              v ->
                  Json.at(status(v), "startFailure", "consecutiveFailCount") instanceof Number n
                      && n.intValue() >= 2,
              "second failure");
      rec.assertSequence("Starting", "CrashLoopBackOff", "Starting", "CrashLoopBackOff");
      assertThat(Json.map(status(vm), "startFailure"))
          .containsKeys("lastFailedVMIUID", "retryAfterTimestamp");
    }
  }

  @Test
  @DisplayName(
      "a CrashLoopBackOff fault on a VM fails its launcher pod (restartPolicy Never) and VMI")
  void crashLoopFaultOnVm() {
    kv.faults().failAt("c-loop", Stage.RUNNING, "CrashLoopBackOff", "virt-launcher exited");
    createSecret("c-loop");
    createVm(containerDiskVm(ns, "c-loop", FEDORA, "Once"));
    await(() -> vmi("c-loop") != null && phase(vmi("c-loop")).equals("Failed"), "VMI failed");
    Pod pod = launchers("c-loop").get(0);
    assertThat(pod.getStatus().getPhase()).isEqualTo("Failed");
    assertThat(
            pod.getStatus().getContainerStatuses().get(0).getState().getTerminated().getExitCode())
        .isEqualTo(1);
    awaitPrintable("c-loop", "Stopped");
  }

  @Test
  @DisplayName("stop (runStrategy Halted) and start again; delete removes everything")
  void stopStartDelete() {
    createSecret("cycle");
    createVm(containerDiskVm(ns, "cycle", FEDORA, "Always"));
    awaitPrintable("cycle", "Running");
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(kv.client(), ns), "cycle", KubeVirtObjects::printable)) {
      vms(client, ns)
          .withName("cycle")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/runStrategy\",\"value\":\"Halted\"}]");
      GenericKubernetesResource stopped = awaitPrintable("cycle", "Stopped");
      rec.assertSequence("Running", "Stopping", "Stopped");
      assertThat(condition(stopped, "Ready"))
          .containsEntry("status", "False")
          .containsEntry("reason", "VMINotExists")
          .containsEntry("message", "VMI does not exist");
      assertThat(status(stopped))
          .doesNotContainKeys("ready", "created")
          .containsEntry("runStrategy", "Halted");
      assertThat(vmi("cycle")).isNull();
      await(() -> launchers("cycle").isEmpty(), "launcher pod gone");

      vms(client, ns)
          .withName("cycle")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/runStrategy\",\"value\":\"Always\"}]");
      awaitPrintable("cycle", "Running");
      rec.assertSequence("Running", "Stopping", "Stopped", "Starting", "Running");
    }
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(kv.client(), ns), "cycle", KubeVirtObjects::printable)) {
      vms(client, ns).withName("cycle").delete();
      await(() -> vm("cycle") == null, "VM gone");
      rec.assertSequence("Terminating", "DELETED");
    }
    await(() -> vmi("cycle") == null && launchers("cycle").isEmpty(), "VMI and pods gone");
  }

  @Test
  @DisplayName("run strategies: Halted and Manual never start; legacy running: true does")
  void runStrategies() {
    createVm(containerDiskVm(ns, "halted", FEDORA, "Halted"));
    createVm(containerDiskVm(ns, "manual", FEDORA, "Manual"));
    createSecret("legacy");
    String legacy =
        containerDiskVm(ns, "legacy", FEDORA, "Always")
            .replace("runStrategy: Always", "running: true");
    createVm(legacy);
    awaitPrintable("legacy", "Running");
    awaitPrintable("halted", "Stopped");
    GenericKubernetesResource manual = awaitPrintable("manual", "Stopped");
    assertThat(status(manual)).containsEntry("runStrategy", "Manual");
    assertThat(status(vm("legacy"))).containsEntry("runStrategy", "Always");
    assertThat(vmi("halted")).isNull();
    assertThat(vmi("manual")).isNull();
  }

  @Test
  @DisplayName(
      "a VM with a dataVolumeTemplate from a DataSource: Provisioning while the clone runs, then Running")
  void dataVolumeVmProvisionsThenRuns() {
    try (Recorder<GenericKubernetesResource> vmRec =
            Recorder.of(vms(kv.client(), ns), "db", KubeVirtObjects::printable);
        Recorder<GenericKubernetesResource> dvRec =
            Recorder.of(
                dvs(kv.client(), ns),
                "db-root",
                dv -> phase(dv) + " " + Json.strOr(status(dv), "", "progress"))) {
      createVm(dataVolumeVm(ns, "db", "fedora-41"));
      GenericKubernetesResource vm =
          awaitVm("db", v -> Boolean.TRUE.equals(Json.bool(status(v), "ready")), "ready");
      vmRec.assertSequence("Provisioning", "Starting", "Running");
      dvRec.assertSequence(
          "Pending N/A",
          "CloneScheduled N/A",
          "CloneInProgress 0.00%",
          "CloneInProgress 12.50%",
          "CloneInProgress 87.50%",
          "Succeeded 100.0%");
      GenericKubernetesResource dv = dvs(client, ns).withName("db-root").get();
      assertThat(dv.getMetadata().getLabels()).containsEntry("convergence.io/lab", "lab-a");
      assertThat(dv.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(r -> assertThat(r.getUid()).isEqualTo(vm.getMetadata().getUid()));
      assertThat(status(dv)).containsEntry("claimName", "db-root");
      assertThat(condition(dv, "Ready")).containsEntry("status", "True");
      assertThat(condition(dv, "Bound")).containsEntry("status", "True");
      assertThat(condition(dv, "Running"))
          .containsEntry("status", "False")
          .containsEntry("reason", "Completed");
      var pvc = client.persistentVolumeClaims().inNamespace(ns).withName("db-root").get();
      assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound");
      assertThat(pvc.getStatus().getCapacity().get("storage").toString()).isEqualTo("30Gi");
      assertThat(launchers("db").get(0).getSpec().getVolumes())
          .anySatisfy(
              v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("db-root"));
      assertThat(condition(vmi("db"), "LiveMigratable"))
          .containsEntry("status", "False")
          .containsEntry("reason", "DisksNotLiveMigratable");
    }
    vms(client, ns).withName("db").delete();
    await(
        () ->
            vm("db") == null
                && dvs(client, ns).list().getItems().isEmpty()
                && client.persistentVolumeClaims().inNamespace(ns).list().getItems().isEmpty()
                && vmis(client, ns).list().getItems().isEmpty()
                && client.pods().inNamespace(ns).list().getItems().isEmpty(),
        "nothing left");
  }

  @Test
  @DisplayName(
      "DataVolume faults: failing import, missing DataSource -> DataVolumeError; never-bound claim -> Provisioning")
  void dataVolumeFaults() {
    kv.faults().importFails("dv-fail", "Unable to connect to http data source: 404 Not Found");
    kv.faults().volumeNeverBinds("dv-nobind-root");
    createVm(dataVolumeVm(ns, "dv-fail", "fedora-41"));
    createVm(dataVolumeVm(ns, "dv-missing", "no-such-image"));
    createVm(dataVolumeVm(ns, "dv-nobind", "fedora-41"));
    awaitPrintable("dv-fail", "DataVolumeError");
    GenericKubernetesResource failed =
        KubeVirtObjects.dvs(client, ns).withName("dv-fail-root").get();
    await(
        () -> phase(dvs(client, ns).withName("dv-fail-root").get()).equals("Failed"), "DV failed");
    failed = dvs(client, ns).withName("dv-fail-root").get();
    assertThat(status(failed)).containsEntry("restartCount", 3);
    assertThat(condition(failed, "Running"))
        .containsEntry("reason", "Error")
        .containsEntry("message", "Unable to connect to http data source: 404 Not Found");
    awaitPrintable("dv-missing", "DataVolumeError");
    assertThat(condition(dvs(client, ns).withName("dv-missing-root").get(), "Running"))
        .containsEntry("reason", "NotFound");
    GenericKubernetesResource nobind = awaitPrintable("dv-nobind", "Provisioning");
    assertThat(phase(dvs(client, ns).withName("dv-nobind-root").get())).isEqualTo("Pending");
    assertThat(vmi("dv-nobind")).isNull();
    assertThat(nobind).isNotNull();
    assertThat(vmi("dv-fail")).isNull();
  }

  @Test
  @DisplayName("snapshot and restore with StopTarget: the VM stops, is restored and runs again")
  void snapshotRestore() {
    createVm(dataVolumeVm(ns, "snap-vm", "fedora-41"));
    awaitVm("snap-vm", v -> isTrue(v, "AgentConnected"), "agent");
    try (Recorder<GenericKubernetesResource> snapRec =
        Recorder.of(
            kv.client()
                .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT)
                .inNamespace(ns),
            "clean",
            s -> phase(s) + " readyToUse=" + Json.bool(status(s), "readyToUse"))) {
      create(
          """
          apiVersion: snapshot.kubevirt.io/v1beta1
          kind: VirtualMachineSnapshot
          metadata:
            name: clean
          spec:
            source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: snap-vm}
          """);
      GenericKubernetesResource snap =
          snapRec.await(s -> phase(s).equals("Succeeded"), "snapshot done");
      snapRec.assertSequence("InProgress readyToUse=false", "Succeeded readyToUse=true");
      assertThat(status(snap))
          .containsKeys("creationTime", "virtualMachineSnapshotContentName", "sourceUID");
      assertThat(Json.strings(status(snap), "indications")).containsExactly("Online", "GuestAgent");
      assertThat(condition(snap, "Ready")).containsEntry("status", "True");
      assertThat(condition(snap, "Progressing")).containsEntry("status", "False");
      assertThat(Json.strings(status(snap), "snapshotVolumes", "includedVolumes"))
          .containsExactly("root");
    }
    try (Recorder<GenericKubernetesResource> vmRec =
            Recorder.of(vms(kv.client(), ns), "snap-vm", KubeVirtObjects::printable);
        Recorder<GenericKubernetesResource> restoreRec =
            Recorder.of(
                kv.client()
                    .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_RESTORE)
                    .inNamespace(ns),
                "reset-1",
                r -> "complete=" + Json.bool(status(r), "complete"))) {
      create(
          """
          apiVersion: snapshot.kubevirt.io/v1beta1
          kind: VirtualMachineRestore
          metadata:
            name: reset-1
          spec:
            target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: snap-vm}
            virtualMachineSnapshotName: clean
            targetReadinessPolicy: StopTarget
          """);
      GenericKubernetesResource restore =
          restoreRec.await(r -> Boolean.TRUE.equals(Json.bool(status(r), "complete")), "restored");
      assertThat(status(restore)).containsKey("restoreTime");
      assertThat(condition(restore, "Ready")).containsEntry("status", "True");
      awaitVm(
          "snap-vm",
          v -> printable(v).equals("Running") && Boolean.TRUE.equals(Json.bool(status(v), "ready")),
          "running again");
      vmRec.assertSequence("Running", "Stopping", "Stopped", "Starting", "Running");
      assertThat(status(vm("snap-vm"))).containsEntry("runStrategy", "Always");
    }
  }

  @Test
  @DisplayName(
      "deleting the namespace removes its VMs, VMIs, pods, DataVolumes and claims, then itself")
  void namespaceDeletion() {
    client
        .namespaces()
        .resource(
            new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .endMetadata()
                .build())
        .create();
    assertThat(client.namespaces().withName(ns).get().getStatus().getPhase()).isEqualTo("Active");
    createSecret("ns-disk");
    createVm(containerDiskVm(ns, "ns-disk", FEDORA, "Always"));
    createVm(dataVolumeVm(ns, "ns-dv", "ubuntu-24.04"));
    awaitPrintable("ns-disk", "Running");
    awaitPrintable("ns-dv", "Running");
    client.namespaces().withName(ns).delete();
    await(() -> client.namespaces().withName(ns).get() == null, "namespace gone");
    assertThat(vms(client, ns).list().getItems()).isEmpty();
    assertThat(vmis(client, ns).list().getItems()).isEmpty();
    assertThat(dvs(client, ns).list().getItems()).isEmpty();
    assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.persistentVolumeClaims().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(client.secrets().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  @DisplayName("a snapshot of a missing VM fails with an error message")
  void snapshotOfMissingVm() {
    create(
        """
        apiVersion: snapshot.kubevirt.io/v1beta1
        kind: VirtualMachineSnapshot
        metadata:
          name: orphan
        spec:
          source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: nobody}
        """);
    await(
        () -> {
          var s =
              client
                  .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT)
                  .inNamespace(ns)
                  .withName("orphan")
                  .get();
          return s != null && phase(s).equals("Failed");
        },
        "failed");
    var s =
        client
            .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT)
            .inNamespace(ns)
            .withName("orphan")
            .get();
    assertThat(Json.str(status(s), "error", "message"))
        .isEqualTo("VirtualMachine.kubevirt.io \"nobody\" not found");
    assertThat(Json.bool(status(s), "readyToUse")).isFalse();
  }

  @Test
  @DisplayName("the KubeVirt CR, discovery of the KubeVirt kinds, golden images")
  void clusterObjects() {
    GenericKubernetesResource cr =
        client
            .genericKubernetesResources(KubeVirtResources.KUBEVIRT)
            .inNamespace("kubevirt")
            .withName("kubevirt")
            .get();
    assertThat(
            Json.strings(
                cr.getAdditionalProperties(),
                "spec",
                "configuration",
                "developerConfiguration",
                "featureGates"))
        .containsExactly("EnableVirtioFsStorageVolumes");
    assertThat(Json.str(status(cr), "observedKubeVirtVersion")).isEqualTo("v1.9.0");
    assertThat(client.getApiResources("kubevirt.io/v1").getResources())
        .extracting(r -> r.getName())
        .contains("virtualmachines", "virtualmachineinstances");
    assertThat(client.getApiResources("cdi.kubevirt.io/v1beta1").getResources())
        .extracting(r -> r.getName())
        .contains("datavolumes", "datasources");
    var ds =
        client
            .genericKubernetesResources(KubeVirtResources.DATA_SOURCE)
            .inNamespace("kubevirt-os-images")
            .withName("win2019-tester")
            .get();
    assertThat(condition(ds, "Ready")).containsEntry("status", "True");
    assertThat(Json.map(ds.getAdditionalProperties(), "spec", "source", "pvc"))
        .containsEntry("name", "win2019-tester")
        .containsEntry("namespace", "kubevirt-os-images");
  }

  @Test
  @DisplayName("the launcher pod's log is readable with getLog()")
  void launcherLog() {
    createSecret("logged");
    createVm(containerDiskVm(ns, "logged", FEDORA, "Always"));
    awaitPrintable("logged", "Running");
    String pod = launchers("logged").get(0).getMetadata().getName();
    assertThat(client.pods().inNamespace(ns).withName(pod).inContainer("compute").getLog())
        .contains("Started container compute");
  }

  @Test
  @DisplayName("the simulators' requests carry their own user agent")
  void userAgents() {
    assertThat(kv.kubernetes().requestCount(KubeVirtSimulator.USER_AGENT)).isPositive();
    assertThat(kv.kubernetes().requestCountsByUserAgent().keySet())
        .allSatisfy(
            ua ->
                assertThat(ua)
                    .isIn(
                        KubeVirtSimulator.USER_AGENT,
                        "convergence/test",
                        "fabric8-kubernetes-client/7.8.0"));
  }

  static String name(HasMetadata o) {
    return o.getMetadata().getName();
  }
}
