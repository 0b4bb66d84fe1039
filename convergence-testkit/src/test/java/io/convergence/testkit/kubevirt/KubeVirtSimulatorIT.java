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

import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.kubernetes.Recorder;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KubeVirt simulator against a real kube-apiserver with KubeVirt's and CDI's real CRD schemas:
 * everything the controllers write must be accepted (valid types, no empty reasons) and kept whole
 * (nothing pruned), pods are bound with {@code pods/binding}, and deleting a namespace with running
 * VMs completes.
 */
class KubeVirtSimulatorIT {

  private static final String FEDORA = "quay.io/containerdisks/fedora:41";

  @TempDir static Path state;

  private static KubeApiServer api;
  private static KubeVirtSimulator sim;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    Path shared = KubeApiServer.sharedDir().orElse(Path.of("missing-shared"));
    api =
        KubeApiServer.start(
                state, shared.resolve("data/kubevirt-crds"), shared.resolve("data/cdi-crds"))
            .orSkip();
    client = api.newClient("convergence/it");
    sim =
        KubeVirtSimulator.builder()
            .latency(Duration.ofMillis(15))
            .featureGates("EnableVirtioFsStorageVolumes")
            .start(api.config(null));
  }

  @AfterAll
  static void stop() {
    if (sim != null) {
      sim.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @AfterEach
  void nothingPruned() {
    assertThat(Gkr.prunedFields()).as("fields the real schemas pruned").isEmpty();
  }

  private void createSecret(String ns, String vm) {
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            client.getKubernetesSerialization().unmarshal(cloudInitSecret(ns, vm), Secret.class))
        .create();
  }

  private GenericKubernetesResource awaitVm(
      String ns, String name, Predicate<GenericKubernetesResource> p, String what) {
    return vms(client, ns)
        .withName(name)
        .waitUntilCondition(vm -> vm != null && p.test(vm), 60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a containerDisk VM runs, is ready, gets its agent; stop and delete clean up")
  void containerDiskVmLifecycle() {
    String ns = "kv-it-disk";
    api.createNamespace(ns);
    assertThat(sim.kubelet().bindsWithSubresource()).isTrue();
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(client, ns), "tester", KubeVirtObjects::printable)) {
      vms(client, ns)
          .resource(parse(client, containerDiskVm(ns, "tester", FEDORA, "Always")))
          .create();
      createSecret(ns, "tester");
      GenericKubernetesResource vm =
          awaitVm(
              ns,
              "tester",
              v ->
                  isTrue(v, "AgentConnected") && Boolean.TRUE.equals(Json.bool(status(v), "ready")),
              "ready");
      rec.assertSequence("Starting", "Running");
      assertThat(condition(vm, "Ready"))
          .containsEntry("status", "True")
          .doesNotContainKey("reason");
      GenericKubernetesResource vmi = vmis(client, ns).withName("tester").get();
      assertThat(phase(vmi)).isEqualTo("Running");
      Pod pod =
          client
              .pods()
              .inNamespace(ns)
              .withLabel("vm.kubevirt.io/name", "tester")
              .list()
              .getItems()
              .get(0);
      assertThat(pod.getSpec().getNodeName()).isIn(sim.kubelet().nodeNames());
      assertThat(pod.getMetadata().getLabels())
          .containsEntry("kubevirt.io", "virt-launcher")
          .containsEntry("convergence.io/lab", "lab-a");
      assertThat(Json.maps(status(vmi), "interfaces").get(0))
          .containsEntry("ipAddress", pod.getStatus().getPodIP())
          .containsEntry("interfaceName", "eth0");
      assertThat(Json.map(status(vmi), "guestOSInfo")).containsEntry("id", "fedora");
      assertThat(vmi.getMetadata().getLabels()).containsKey("kubevirt.io/nodeName");

      vms(client, ns)
          .withName("tester")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/runStrategy\",\"value\":\"Halted\"}]");
      GenericKubernetesResource stopped =
          awaitVm(ns, "tester", v -> printable(v).equals("Stopped"), "stopped");
      rec.assertSequence("Running", "Stopping", "Stopped");
      assertThat(condition(stopped, "Ready")).containsEntry("reason", "VMINotExists");
      await(() -> vmis(client, ns).withName("tester").get() == null, "VMI gone");
      await(() -> client.pods().inNamespace(ns).list().getItems().isEmpty(), "pods gone");

      vms(client, ns).withName("tester").delete();
      await(() -> vms(client, ns).withName("tester").get() == null, "VM gone");
      rec.assertSequence("Terminating", "DELETED");
    }
  }

  @Test
  @DisplayName(
      "a DataVolume VM clones from a golden image, runs, and is deleted with its DataVolume and claim")
  void dataVolumeVmLifecycle() {
    String ns = "kv-it-dv";
    api.createNamespace(ns);
    try (Recorder<GenericKubernetesResource> dvRec =
        Recorder.of(dvs(client, ns), "db-root", KubeVirtObjects::phase)) {
      vms(client, ns).resource(parse(client, dataVolumeVm(ns, "db", "win2019-tester"))).create();
      awaitVm(ns, "db", v -> isTrue(v, "AgentConnected"), "agent");
      dvRec.assertSequence("Pending", "CloneScheduled", "CloneInProgress", "Succeeded");
      GenericKubernetesResource vmi = vmis(client, ns).withName("db").get();
      assertThat(Json.map(status(vmi), "guestOSInfo")).containsEntry("id", "mswindows");
      GenericKubernetesResource dv = dvs(client, ns).withName("db-root").get();
      assertThat(status(dv))
          .containsEntry("progress", "100.0%")
          .containsEntry("claimName", "db-root");
    }
    vms(client, ns).withName("db").delete();
    await(
        () ->
            vms(client, ns).list().getItems().isEmpty()
                && vmis(client, ns).list().getItems().isEmpty()
                && dvs(client, ns).list().getItems().isEmpty()
                && client.persistentVolumeClaims().inNamespace(ns).list().getItems().isEmpty()
                && client.pods().inNamespace(ns).list().getItems().isEmpty(),
        "nothing left");
  }

  @Test
  @DisplayName("faults surface with the reasons a backend reads, accepted by the real schemas")
  void faults() {
    String ns = "kv-it-faults";
    api.createNamespace(ns);
    sim.faults()
        .unschedulable("it-unsched")
        .importFails("it-import", "Unable to process data: 404");
    sim.faults().agentNeverConnects("it-noagent");
    for (String name : List.of("it-unsched", "it-noagent")) {
      createSecret(ns, name);
      vms(client, ns).resource(parse(client, containerDiskVm(ns, name, FEDORA, "Always"))).create();
    }
    vms(client, ns).resource(parse(client, dataVolumeVm(ns, "it-import", "fedora-41"))).create();
    awaitVm(ns, "it-unsched", v -> printable(v).equals("ErrorUnschedulable"), "unschedulable");
    awaitVm(ns, "it-import", v -> printable(v).equals("DataVolumeError"), "dv error");
    awaitVm(ns, "it-noagent", v -> Boolean.TRUE.equals(Json.bool(status(v), "ready")), "ready");
    assertThat(condition(vmis(client, ns).withName("it-unsched").get(), "PodScheduled"))
        .containsEntry("reason", "Unschedulable");
    assertThat(condition(vmis(client, ns).withName("it-noagent").get(), "AgentConnected"))
        .isEmpty();
  }

  @Test
  @DisplayName("snapshot and restore with StopTarget")
  void snapshotRestore() {
    String ns = "kv-it-snap";
    api.createNamespace(ns);
    vms(client, ns).resource(parse(client, dataVolumeVm(ns, "snap-vm", "fedora-41"))).create();
    awaitVm(ns, "snap-vm", v -> isTrue(v, "AgentConnected"), "agent");
    var snapshots =
        client
            .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_SNAPSHOT)
            .inNamespace(ns);
    snapshots
        .resource(
            parse(
                client,
                """
                apiVersion: snapshot.kubevirt.io/v1beta1
                kind: VirtualMachineSnapshot
                metadata: {name: clean}
                spec:
                  source: {apiGroup: kubevirt.io, kind: VirtualMachine, name: snap-vm}
                """))
        .create();
    GenericKubernetesResource snap =
        snapshots
            .withName("clean")
            .waitUntilCondition(
                s -> s != null && phase(s).equals("Succeeded"), 60, TimeUnit.SECONDS);
    assertThat(status(snap)).containsEntry("readyToUse", true).containsKey("creationTime");
    var restores =
        client
            .genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_RESTORE)
            .inNamespace(ns);
    restores
        .resource(
            parse(
                client,
                """
                apiVersion: snapshot.kubevirt.io/v1beta1
                kind: VirtualMachineRestore
                metadata: {name: reset}
                spec:
                  target: {apiGroup: kubevirt.io, kind: VirtualMachine, name: snap-vm}
                  virtualMachineSnapshotName: clean
                  targetReadinessPolicy: StopTarget
                """))
        .create();
    GenericKubernetesResource restore =
        restores
            .withName("reset")
            .waitUntilCondition(
                r -> r != null && Boolean.TRUE.equals(Json.bool(status(r), "complete")),
                60,
                TimeUnit.SECONDS);
    assertThat(status(restore)).containsKey("restoreTime");
    awaitVm(ns, "snap-vm", v -> printable(v).equals("Running"), "running again");
  }

  @Test
  @DisplayName(
      "deleting a namespace with running VMs completes (pods finished, finalizers removed)")
  void namespaceDeletion() {
    String ns = "kv-it-ns";
    api.createNamespace(ns);
    for (String name : List.of("a", "b")) {
      createSecret(ns, name);
      vms(client, ns).resource(parse(client, containerDiskVm(ns, name, FEDORA, "Always"))).create();
    }
    vms(client, ns).resource(parse(client, dataVolumeVm(ns, "c", "ubuntu-24.04"))).create();
    for (String name : List.of("a", "b", "c")) {
      awaitVm(ns, name, v -> printable(v).equals("Running"), "running");
    }
    client.namespaces().withName(ns).delete();
    client.namespaces().withName(ns).waitUntilCondition(n -> n == null, 180, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("the KubeVirt CR exists with its feature gates and version")
  void kubeVirtCr() {
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
    assertThat(Json.map(cr.getAdditionalProperties(), "status"))
        .containsEntry("observedKubeVirtVersion", "v1.9.0");
    Map<String, Object> ds =
        client
            .genericKubernetesResources(KubeVirtResources.DATA_SOURCE)
            .inNamespace("kubevirt-os-images")
            .withName("fedora-41")
            .get()
            .getAdditionalProperties();
    assertThat(Json.maps(ds, "status", "conditions"))
        .anySatisfy(
            c -> assertThat(c).containsEntry("type", "Ready").containsEntry("status", "True"));
  }
}
