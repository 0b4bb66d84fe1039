package io.convergence.testkit.vmoperator;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static io.convergence.testkit.vmoperator.VmOpObjects.cloudInitSecret;
import static io.convergence.testkit.vmoperator.VmOpObjects.condition;
import static io.convergence.testkit.vmoperator.VmOpObjects.isTrue;
import static io.convergence.testkit.vmoperator.VmOpObjects.linuxVm;
import static io.convergence.testkit.vmoperator.VmOpObjects.parse;
import static io.convergence.testkit.vmoperator.VmOpObjects.reason;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshot;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshots;
import static io.convergence.testkit.vmoperator.VmOpObjects.status;
import static io.convergence.testkit.vmoperator.VmOpObjects.vmServices;
import static io.convergence.testkit.vmoperator.VmOpObjects.vms;
import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.kubernetes.Recorder;
import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
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
 * The vm-operator simulator against a real kube-apiserver with vm-operator's real CRDs ({@code
 * shared/data/vm-operator-crds}, every version served, {@code v1alpha6} stored): the version is
 * read from discovery, everything the simulator writes must be accepted and kept whole (nothing
 * pruned), finalizers, ownerReferences and garbage collection behave as on a Supervisor, and
 * deleting a namespace with VMs completes.
 */
class VmOperatorSimulatorIT {

  private static final String EMPTY = " ";

  @TempDir static Path state;

  private static KubeApiServer api;
  private static VmOperatorSimulator sim;
  private static KubernetesClient client;
  private static SchemaWatch schemaWatch;
  private static String version;

  @BeforeAll
  static void start() {
    api = KubeApiServer.start(state, VmOpObjects.crdDir()).orSkip();
    client = api.newClient("convergence/it");
    // The test server (kube-apiserver 1.20 built with a current Go) refuses empty strings in
    // custom resources (kubernetes/kubernetes#99804); vm-operator's empty condition messages are
    // written as a single space here. A real Supervisor takes them empty.
    sim =
        VmOperatorSimulator.builder()
            .latency(Duration.ofMillis(15))
            .emptyMessages(EMPTY)
            .start(api.config(null));
    version = sim.controller().version();
    schemaWatch = new SchemaWatch(client, version, sim.controller().snapshotsServed());
  }

  @AfterAll
  static void stop() {
    if (schemaWatch != null) {
      schemaWatch.close();
    }
    if (sim != null) {
      sim.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @AfterEach
  void nothingPruned() {
    assertThat(Gkr.prunedFields()).as("fields the real server pruned").isEmpty();
    assertThat(schemaWatch.problems()).as("fields the real CRD schemas reject or prune").isEmpty();
  }

  private static GenericKubernetesResource awaitVm(
      String ns, String name, Predicate<GenericKubernetesResource> p) {
    return vms(client, version, ns)
        .withName(name)
        .waitUntilCondition(vm -> vm != null && p.test(vm), 60, TimeUnit.SECONDS);
  }

  private static void createLinuxVm(String ns, String name, String className, String image) {
    client.secrets().inNamespace(ns).resource(cloudInitSecret(ns, name)).create();
    vms(client, version, ns)
        .resource(parse(client, linuxVm(version, ns, name, className, image)))
        .create();
  }

  private static void newNamespace(String ns) {
    api.createNamespace(ns);
    // seeded by the simulator as a vSphere Namespace, as soon as it appears
    await(
        () ->
            client
                    .genericKubernetesResources(VmOperatorResources.virtualMachineClasses(version))
                    .inNamespace(ns)
                    .withName("best-effort-small")
                    .get()
                != null,
        "classes seeded in " + ns);
  }

  @Test
  @DisplayName("discovery on the real server gives the newest version, v1alpha6")
  void version() {
    assertThat(version).isEqualTo("v1alpha6");
    assertThat(sim.controller().snapshotsServed()).isTrue();
    assertThat(VmOperatorResources.servedVersions(client, "VirtualMachine"))
        .containsExactly("v1alpha6", "v1alpha5", "v1alpha4", "v1alpha3");
  }

  @Test
  @DisplayName(
      "a Linux VM becomes Ready with an IP; powers off and on; is deleted with its finalizer")
  void linuxVmLifecycle() {
    String ns = "vmop-it-life";
    newNamespace(ns);
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(client, version, ns), "web", VmOpObjects::stage)) {
      createLinuxVm(ns, "web", "best-effort-small", "ubuntu-22.04");
      GenericKubernetesResource vm = awaitVm(ns, "web", v -> isTrue(v, "Ready"));
      rec.assertSequence(
          "prereqs", "placed", "created:PoweredOff", "poweredOn", "customized", "ready");
      assertThat(Json.str(status(vm), "network", "primaryIP4")).startsWith("192.168.");
      assertThat(vm.getMetadata().getFinalizers())
          .containsExactly("vmoperator.vmware.com/virtualmachine");
      assertThat(vm.getMetadata().getLabels())
          .containsEntry("topology.kubernetes.io/zone", "zone-1");
      assertThat(Json.maps(status(vm), "conditions"))
          .allSatisfy(
              c -> assertThat(c).containsEntry("reason", "True").containsEntry("message", EMPTY));

      vms(client, version, ns)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/powerState\",\"value\":\"PoweredOff\"}]");
      GenericKubernetesResource off =
          awaitVm(ns, "web", v -> "PoweredOff".equals(status(v).get("powerState")));
      assertThat(status(off)).doesNotContainKey("network");
      vms(client, version, ns)
          .withName("web")
          .patch(
              PatchContext.of(PatchType.JSON),
              "[{\"op\":\"replace\",\"path\":\"/spec/powerState\",\"value\":\"PoweredOn\"}]");
      awaitVm(ns, "web", v -> isTrue(v, "Ready"));

      vms(client, version, ns).withName("web").delete();
      vms(client, version, ns)
          .withName("web")
          .waitUntilCondition(v -> v == null, 60, TimeUnit.SECONDS);
      rec.assertSequence("ready", "DELETED");
    }
  }

  @Test
  @DisplayName(
      "missing prerequisites and faults surface with vm-operator's reasons on the real schema")
  void prerequisitesAndFaults() {
    String ns = "vmop-it-faults";
    newNamespace(ns);
    VmOperatorFaults.placementFails(sim.faults(), "it-place", "no placement candidates");
    VmOperatorFaults.neverGetsIp(sim.faults(), "it-noip");
    VmOperatorFaults.customizationFails(sim.faults(), "it-cust", "customization failed in guest");
    VmOperatorFaults.probeFails(sim.faults(), "it-probe", "connection refused");
    try {
      createLinuxVm(ns, "it-orphan", "no-such-class", "no-such-image");
      for (String name : List.of("it-place", "it-noip", "it-cust", "it-probe")) {
        createLinuxVm(ns, name, "best-effort-xsmall", "photon-5");
      }
      vms(client, version, ns)
          .resource(
              parse(client, linuxVm(version, ns, "it-nosecret", "best-effort-xsmall", "photon-5")))
          .create();
      GenericKubernetesResource orphan =
          awaitVm(
              ns,
              "it-orphan",
              v ->
                  !condition(v, "VirtualMachineClassReady").isEmpty()
                      && !condition(v, "VirtualMachineImageReady").isEmpty());
      assertThat(reason(orphan, "VirtualMachineClassReady")).isEqualTo("NotFound");
      assertThat(reason(orphan, "VirtualMachineImageReady")).isEqualTo("NotFound");
      assertThat(
              reason(
                  awaitVm(
                      ns,
                      "it-nosecret",
                      v -> !condition(v, "VirtualMachineBootstrapReady").isEmpty()),
                  "VirtualMachineBootstrapReady"))
          .isEqualTo("NotFound");
      assertThat(
              condition(
                  awaitVm(
                      ns,
                      "it-place",
                      v -> !condition(v, "VirtualMachineConditionPlacementReady").isEmpty()),
                  "VirtualMachineConditionPlacementReady"))
          .containsEntry("status", "False")
          .containsEntry("reason", "NotReady")
          .containsEntry("message", "no placement candidates");
      GenericKubernetesResource noip = awaitVm(ns, "it-noip", v -> isTrue(v, "GuestCustomization"));
      assertThat(Json.map(status(noip), "network")).doesNotContainKey("primaryIP4");
      assertThat(
              reason(
                  awaitVm(
                      ns,
                      "it-cust",
                      v -> "GuestCustomizationFailed".equals(reason(v, "GuestCustomization"))),
                  "GuestCustomization"))
          .isEqualTo("GuestCustomizationFailed");
      assertThat(condition(awaitVm(ns, "it-probe", v -> !condition(v, "Ready").isEmpty()), "Ready"))
          .containsEntry("status", "False")
          .containsEntry("reason", "NotReady");
    } finally {
      for (String w : List.of("it-place", "it-noip", "it-cust", "it-probe")) {
        sim.faults().clear(w);
      }
    }
  }

  @Test
  @DisplayName(
      "a VirtualMachineService makes a Service and Endpoints the real server keeps; GC and the finalizer clean up")
  void virtualMachineService() {
    String ns = "vmop-it-svc";
    newNamespace(ns);
    createLinuxVm(ns, "web-a", "best-effort-small", "ubuntu-24.04");
    createLinuxVm(ns, "web-b", "best-effort-small", "ubuntu-24.04");
    awaitVm(ns, "web-a", v -> isTrue(v, "Ready"));
    awaitVm(ns, "web-b", v -> isTrue(v, "Ready"));
    vmServices(client, version, ns)
        .resource(parse(client, VmOpObjects.vmService(version, ns, "web", "LoadBalancer")))
        .create();
    GenericKubernetesResource vs =
        vmServices(client, version, ns)
            .withName("web")
            .waitUntilCondition(
                s -> s != null && !Json.maps(status(s), "loadBalancer", "ingress").isEmpty(),
                60,
                TimeUnit.SECONDS);
    Service svc = client.services().inNamespace(ns).withName("web").get();
    assertThat(svc.getSpec().getClusterIP()).isNotBlank(); // allocated by the real server
    assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
    assertThat(svc.getStatus().getLoadBalancer().getIngress().get(0).getIp())
        .isEqualTo(Json.maps(status(vs), "loadBalancer", "ingress").get(0).get("ip"));
    Endpoints ep =
        client
            .endpoints()
            .inNamespace(ns)
            .withName("web")
            .waitUntilCondition(
                e ->
                    e != null
                        && e.getSubsets().size() == 1
                        && e.getSubsets().get(0).getAddresses().size() == 2,
                60,
                TimeUnit.SECONDS);
    assertThat(ep.getSubsets().get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(22));
    vmServices(client, version, ns).withName("web").delete();
    await(
        () ->
            vmServices(client, version, ns).withName("web").get() == null
                && client.services().inNamespace(ns).withName("web").get() == null
                && client.endpoints().inNamespace(ns).withName("web").get() == null,
        "VM Service, Service and Endpoints gone");
  }

  @Test
  @DisplayName("snapshots reach Ready, link into the VM's tree, revert and delete")
  void snapshotsLifecycle() {
    String ns = "vmop-it-snap";
    newNamespace(ns);
    createLinuxVm(ns, "db", "best-effort-medium", "ubuntu-22.04");
    awaitVm(ns, "db", v -> isTrue(v, "Ready"));
    for (String name : List.of("one", "two")) {
      snapshots(client, version, ns)
          .resource(parse(client, snapshot(version, ns, name, "db", name.equals("one"))))
          .create();
      snapshots(client, version, ns)
          .withName(name)
          .waitUntilCondition(
              s -> s != null && isTrue(s, "VirtualMachineSnapshotReady"), 60, TimeUnit.SECONDS);
    }
    GenericKubernetesResource vm =
        awaitVm(ns, "db", v -> "two".equals(Json.str(status(v), "currentSnapshot", "name")));
    assertThat(Json.maps(status(vm), "rootSnapshots"))
        .containsExactly(Map.of("type", "Managed", "name", "one"));
    vms(client, version, ns)
        .withName("db")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/currentSnapshotName\",\"value\":\"one\"}]");
    awaitVm(
        ns,
        "db",
        v ->
            "one".equals(Json.str(status(v), "currentSnapshot", "name"))
                && !Json.map(v.getAdditionalProperties(), "spec")
                    .containsKey("currentSnapshotName"));
    snapshots(client, version, ns).withName("two").delete();
    snapshots(client, version, ns)
        .withName("two")
        .waitUntilCondition(s -> s == null, 60, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("deleting a namespace with VMs, a VM Service and snapshots completes")
  void namespaceDeletion() {
    String ns = "vmop-it-ns";
    newNamespace(ns);
    createLinuxVm(ns, "a", "best-effort-small", "ubuntu-22.04");
    createLinuxVm(ns, "b", "best-effort-small", "ubuntu-22.04");
    vmServices(client, version, ns)
        .resource(parse(client, VmOpObjects.vmService(version, ns, "svc", "ClusterIP")))
        .create();
    awaitVm(ns, "a", v -> isTrue(v, "Ready"));
    awaitVm(ns, "b", v -> isTrue(v, "Ready"));
    snapshots(client, version, ns)
        .resource(parse(client, snapshot(version, ns, "s", "a", false)))
        .create();
    snapshots(client, version, ns)
        .withName("s")
        .waitUntilCondition(
            s -> s != null && isTrue(s, "VirtualMachineSnapshotReady"), 60, TimeUnit.SECONDS);
    client.namespaces().withName(ns).delete();
    client.namespaces().withName(ns).waitUntilCondition(n -> n == null, 180, TimeUnit.SECONDS);
  }
}
