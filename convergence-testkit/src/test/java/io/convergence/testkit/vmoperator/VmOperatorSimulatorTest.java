package io.convergence.testkit.vmoperator;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static io.convergence.testkit.vmoperator.VmOpObjects.cloudInitSecret;
import static io.convergence.testkit.vmoperator.VmOpObjects.condition;
import static io.convergence.testkit.vmoperator.VmOpObjects.conditionTypes;
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

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.Recorder;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The vm-operator simulator on the embedded API server ({@link VcfRelease#UPSTREAM_MAIN}, so {@code
 * v1alpha6}), driven as a VCF backend would drive a Supervisor. Every state of every vm-operator
 * object is checked against the real CRD schemas.
 */
class VmOperatorSimulatorTest {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private static EmbeddedVmOperator sv;
  private static KubernetesClient client;
  private static SchemaWatch schemaWatch;
  private static String version;
  private String ns;

  @BeforeAll
  static void start() {
    sv =
        EmbeddedVmOperator.start(
            VcfRelease.UPSTREAM_MAIN, VmOperatorSimulator.builder().latency(Duration.ofMillis(10)));
    client = sv.newClient("convergence/test");
    version = sv.simulator().controller().version();
    schemaWatch = new SchemaWatch(client, version, true);
  }

  @AfterAll
  static void stop() {
    if (schemaWatch != null) {
      schemaWatch.close();
    }
    if (sv != null) {
      sv.close();
    }
  }

  @BeforeEach
  void namespace() {
    ns = "vmop-test-" + COUNTER.incrementAndGet();
    sv.simulator().seedNamespace(ns);
  }

  @AfterEach
  void everythingWrittenMatchesTheRealSchemas() {
    assertThat(schemaWatch.problems()).as("fields the real CRD schemas reject or prune").isEmpty();
  }

  private GenericKubernetesResource createVm(String yaml) {
    return vms(client, version, ns).resource(parse(client, yaml)).create();
  }

  private void createSecret(io.fabric8.kubernetes.api.model.Secret s) {
    client.secrets().inNamespace(ns).resource(s).create();
  }

  private GenericKubernetesResource vm(String name) {
    return vms(client, version, ns).withName(name).get();
  }

  private GenericKubernetesResource awaitVm(
      String name, Predicate<GenericKubernetesResource> p, String what) {
    await(
        () -> {
          GenericKubernetesResource vm = vm(name);
          return vm != null && p.test(vm);
        },
        name + " " + what + " (last: " + vm(name) + ")");
    return vm(name);
  }

  private GenericKubernetesResource runningLinuxVm(String name) {
    createSecret(cloudInitSecret(ns, name));
    createVm(linuxVm(version, ns, name, "best-effort-small", "ubuntu-22.04"));
    return awaitVm(name, v -> isTrue(v, "Ready"), "ready");
  }

  @Test
  @DisplayName("the simulator picks the newest served version from discovery")
  void picksNewestServedVersion() {
    assertThat(version).isEqualTo("v1alpha6");
    assertThat(sv.apiVersion()).isEqualTo("vmoperator.vmware.com/v1alpha6");
    assertThat(sv.simulator().controller().snapshotsServed()).isTrue();
    assertThat(VmOperatorResources.servedVersions(client, "VirtualMachine"))
        .containsExactly("v1alpha6");
  }

  @Test
  @DisplayName(
      "a Linux VM with a cloud-init Secret goes placed, created, powered on, gets an IP and Ready")
  void linuxVmLifecycle() {
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(vms(sv.client(), version, ns), "web-1", VmOpObjects::stage)) {
      createSecret(cloudInitSecret(ns, "web-1"));
      createVm(linuxVm(version, ns, "web-1", "best-effort-small", "ubuntu-22.04"));
      GenericKubernetesResource vm = awaitVm("web-1", v -> isTrue(v, "Ready"), "ready");
      rec.assertSequence(
          "prereqs", "placed", "created:PoweredOff", "poweredOn", "customized", "ready");

      Map<String, Object> st = status(vm);
      assertThat(st)
          .containsEntry("powerState", "PoweredOn")
          .containsEntry("zone", "zone-1")
          .containsEntry("hardwareVersion", 19)
          .containsKey("biosUUID")
          .containsKey("instanceUUID")
          .containsKey("nodeName")
          .doesNotContainKey("host");
      assertThat((String) st.get("uniqueID")).matches("vm-\\d+");
      assertThat(Json.map(st, "class"))
          .containsEntry("kind", "VirtualMachineClass")
          .containsEntry("name", "best-effort-small")
          .containsEntry("apiVersion", "vmoperator.vmware.com/v1alpha6");
      assertThat(Json.map(st, "hardware"))
          .isEqualTo(Map.of("cpu", Map.of("total", 2), "memory", Map.of("total", "4Gi")));
      assertThat(Json.map(st, "guest"))
          .containsEntry("guestID", "ubuntu64Guest")
          .containsEntry("guestFullName", "Ubuntu Linux (64-bit)");
      Map<String, Object> network = Json.map(st, "network");
      String ip = (String) network.get("primaryIP4");
      assertThat(ip).matches("192\\.168\\.1[2-4]\\d\\.\\d+");
      assertThat(network).containsEntry("hostName", "web-1");
      Map<String, Object> eth0 = Json.maps(network, "interfaces").get(0);
      assertThat(eth0).containsEntry("name", "eth0").containsEntry("deviceKey", 4000);
      assertThat(Json.str(eth0, "ip", "macAddr"))
          .matches("00:50:56:[89ab][0-9a-f](:[0-9a-f]{2}){2}");
      assertThat(Json.maps(eth0, "ip", "addresses").get(0))
          .containsEntry("address", ip + "/20")
          .containsEntry("origin", "dhcp")
          .containsEntry("state", "preferred");

      // every condition vm-operator reports, True with reason "True" and an empty message
      assertThat(conditionTypes(vm))
          .containsExactly(
              "Ready",
              "GuestCustomization",
              "VirtualMachineBootstrapReady",
              "VirtualMachineClassReady",
              "VirtualMachineConditionPlacementReady",
              "VirtualMachineCreated",
              "VirtualMachineImageReady",
              "VirtualMachineNetworkReady",
              "VirtualMachineReconcileReady",
              "VirtualMachineStorageReady",
              "VirtualMachineTools");
      for (Map<String, Object> c : Json.maps(st, "conditions")) {
        assertThat(c)
            .containsEntry("status", "True")
            .containsEntry("reason", "True")
            .containsEntry("message", "")
            .containsKey("lastTransitionTime");
      }
      assertThat(vm.getMetadata().getFinalizers())
          .containsExactly("vmoperator.vmware.com/virtualmachine");
      assertThat(vm.getMetadata().getLabels())
          .containsEntry("topology.kubernetes.io/zone", "zone-1");
      assertThat(vm.getMetadata().getAnnotations()).containsKey("vmoperator.vmware.com/manager-id");
    }
  }

  @Test
  @DisplayName(
      "a missing class and image give False conditions with NotFound; a class appearing later is picked up")
  void missingClassAndImage() {
    createSecret(cloudInitSecret(ns, "orphan"));
    createVm(linuxVm(version, ns, "orphan", "no-such-class", "no-such-image"));
    GenericKubernetesResource vm =
        awaitVm(
            "orphan",
            v ->
                !condition(v, "VirtualMachineClassReady").isEmpty()
                    && !condition(v, "VirtualMachineImageReady").isEmpty(),
            "prerequisite conditions");
    assertThat(condition(vm, "VirtualMachineClassReady"))
        .containsEntry("status", "False")
        .containsEntry("reason", "NotFound")
        .containsEntry(
            "message", "virtualmachineclasses.vmoperator.vmware.com \"no-such-class\" not found");
    assertThat(condition(vm, "VirtualMachineImageReady"))
        .containsEntry("status", "False")
        .containsEntry("reason", "NotFound")
        .containsEntry(
            "message", "virtualmachineimages.vmoperator.vmware.com \"no-such-image\" not found");
    // every prerequisite is evaluated, not only the first failing one
    assertThat(isTrue(vm, "VirtualMachineBootstrapReady")).isTrue();
    assertThat(isTrue(vm, "VirtualMachineStorageReady")).isTrue();
    assertThat(condition(vm, "VirtualMachineConditionPlacementReady")).isEmpty();
    assertThat(status(vm)).doesNotContainKey("uniqueID");

    // an explicit reference to a cluster image that does not exist
    vms(client, version, ns)
        .withName("orphan")
        .patch(
            PatchContext.of(PatchType.JSON),
            """
            [{"op":"add","path":"/spec/image","value":
              {"kind":"ClusterVirtualMachineImage","name":"vmi-0000000000000000"}},
             {"op":"replace","path":"/spec/className","value":"custom"}]""");
    awaitVm(
        "orphan",
        v ->
            "clustervirtualmachineimages.vmoperator.vmware.com \"vmi-0000000000000000\" not found"
                .equals(condition(v, "VirtualMachineImageReady").get("message")),
        "cluster image NotFound");

    // the class appears: the VM is reconciled again through the class informer
    client
        .genericKubernetesResources(VmOperatorResources.virtualMachineClasses(version))
        .inNamespace(ns)
        .resource(
            parse(
                client,
                """
                apiVersion: vmoperator.vmware.com/%s
                kind: VirtualMachineClass
                metadata: {name: custom, namespace: %s}
                spec:
                  hardware: {cpus: 1, memory: 1Gi}
                """
                    .formatted(version, ns)))
        .create();
    GenericKubernetesResource later =
        awaitVm("orphan", v -> isTrue(v, "VirtualMachineClassReady"), "class ready");
    assertThat(reason(later, "VirtualMachineImageReady")).isEqualTo("NotFound");
    assertThat(status(later)).doesNotContainKey("uniqueID");
  }

  @Test
  @DisplayName("a missing bootstrap Secret, then one without the key, hold the VM back until fixed")
  void bootstrapSecret() {
    createVm(linuxVm(version, ns, "boot", "best-effort-small", "ubuntu-24.04"));
    GenericKubernetesResource vm =
        awaitVm(
            "boot",
            v -> "NotFound".equals(condition(v, "VirtualMachineBootstrapReady").get("reason")),
            "bootstrap NotFound");
    assertThat(condition(vm, "VirtualMachineBootstrapReady"))
        .containsEntry("status", "False")
        .containsEntry("message", "secrets \"boot-cloud-init\" not found");
    client
        .secrets()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("boot-cloud-init")
                .endMetadata()
                .addToStringData("other", "x")
                .build())
        .create();
    vm =
        awaitVm(
            "boot",
            v -> "GetError".equals(condition(v, "VirtualMachineBootstrapReady").get("reason")),
            "bootstrap GetError");
    assertThat(condition(vm, "VirtualMachineBootstrapReady"))
        .containsEntry("message", "required key \"user-data\" not found in Secret boot-cloud-init");
    client.secrets().inNamespace(ns).withName("boot-cloud-init").delete();
    await(() -> client.secrets().inNamespace(ns).withName("boot-cloud-init").get() == null, "gone");
    createSecret(cloudInitSecret(ns, "boot"));
    awaitVm("boot", v -> isTrue(v, "Ready"), "ready");
  }

  @Test
  @DisplayName("without spec.storageClass the VM is refused as on a Supervisor")
  void storageClassRequired() {
    createSecret(cloudInitSecret(ns, "nostorage"));
    GenericKubernetesResource o =
        parse(client, linuxVm(version, ns, "nostorage", "best-effort-small", "ubuntu-22.04"));
    Json.map(o.getAdditionalProperties(), "spec").remove("storageClass");
    vms(client, version, ns).resource(o).create();
    GenericKubernetesResource vm =
        awaitVm(
            "nostorage",
            v -> !condition(v, "VirtualMachineStorageReady").isEmpty(),
            "storage condition");
    assertThat(condition(vm, "VirtualMachineStorageReady"))
        .containsEntry("status", "False")
        .containsEntry("reason", "StorageClassRequired")
        .containsEntry("message", "StorageClass is required but not specified");
  }

  @Test
  @DisplayName(
      "a Windows VM from a namespaced image with sysprep: customization runs, then succeeds")
  void windowsSysprep() {
    String vmi =
        new VmOperatorSimulator.VmImage(
                "windows-2022", false, "windows2019srvNext_64Guest", "Windows", "2022", 21)
            .objectName();
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(
            vms(sv.client(), version, ns),
            "win",
            v -> VmOpObjects.stage(v) + ":" + reason(v, "GuestCustomization"))) {
      createSecret(VmOpObjects.sysprepSecret(ns, "win"));
      createVm(VmOpObjects.windowsVm(version, ns, "win", vmi));
      GenericKubernetesResource vm =
          awaitVm("win", v -> isTrue(v, "GuestCustomization"), "customized");
      rec.assertSequence(
          "created:PoweredOff:NoGuestInfo",
          "poweredOn:NoGuestInfo",
          "booted:GuestCustomizationRunning",
          "customized:True");
      assertThat(Json.map(status(vm), "guest"))
          .containsEntry("guestFullName", "Microsoft Windows Server 2022 (64-bit)");
      assertThat(status(vm)).containsEntry("hardwareVersion", 21);
      assertThat(condition(vm, "Ready")).isEmpty(); // no readiness probe, no Ready condition
    }
  }

  @Test
  @DisplayName("faults at each stage surface with the platform's conditions, reasons and events")
  void faults() {
    VmOperatorFaults.placementFails(
        sv.faults(), "f-place", "no placement candidates available after applying filters");
    VmOperatorFaults.createFails(sv.faults(), "f-create", "A general system error occurred");
    VmOperatorFaults.powerOnFails(sv.faults(), "f-power", "Insufficient resources");
    VmOperatorFaults.networkFails(sv.faults(), "f-net", "network interface is not ready yet");
    VmOperatorFaults.neverGetsIp(sv.faults(), "f-noip");
    VmOperatorFaults.customizationFails(
        sv.faults(), "f-cust", VmOperatorFaults.CUSTOMIZATION_FAILED_MESSAGE);
    VmOperatorFaults.customizationHangs(sv.faults(), "f-hang");
    VmOperatorFaults.probeFails(sv.faults(), "f-probe", "connection refused");
    sv.faults().hangBefore("f-sched-hang", Stage.SCHEDULED);
    List<String> names =
        List.of(
            "f-place",
            "f-create",
            "f-power",
            "f-net",
            "f-noip",
            "f-cust",
            "f-hang",
            "f-probe",
            "f-sched-hang");
    try {
      for (String name : names) {
        createSecret(cloudInitSecret(ns, name));
        createVm(linuxVm(version, ns, name, "best-effort-xsmall", "photon-5"));
      }
      GenericKubernetesResource place =
          awaitVm(
              "f-place",
              v -> !condition(v, "VirtualMachineConditionPlacementReady").isEmpty(),
              "placement");
      assertThat(condition(place, "VirtualMachineConditionPlacementReady"))
          .containsEntry("status", "False")
          .containsEntry("reason", "NotReady")
          .containsEntry("message", "no placement candidates available after applying filters");

      GenericKubernetesResource create =
          awaitVm("f-create", v -> !condition(v, "VirtualMachineCreated").isEmpty(), "created");
      assertThat(condition(create, "VirtualMachineCreated"))
          .containsEntry("status", "False")
          .containsEntry("reason", "Error")
          .containsEntry("message", "A general system error occurred");
      assertThat(isTrue(create, "VirtualMachineConditionPlacementReady")).isTrue();

      GenericKubernetesResource net =
          awaitVm("f-net", v -> !condition(v, "VirtualMachineNetworkReady").isEmpty(), "network");
      assertThat(condition(net, "VirtualMachineNetworkReady"))
          .containsEntry("status", "False")
          .containsEntry("reason", "NotReady")
          .containsEntry("message", "network interface is not ready yet");

      await(
          () ->
              client.v1().events().inNamespace(ns).list().getItems().stream()
                  .anyMatch(e -> "f-power".equals(e.getInvolvedObject().getName())),
          "power-on failure event");
      Event event =
          client.v1().events().inNamespace(ns).list().getItems().stream()
              .filter(e -> "f-power".equals(e.getInvolvedObject().getName()))
              .findFirst()
              .orElseThrow();
      assertThat(event.getType()).isEqualTo("Warning");
      assertThat(event.getReason()).isEqualTo("UpdateFailure");
      assertThat(event.getMessage())
          .isEqualTo("failed to reconcile power state: Insufficient resources");
      assertThat(status(vm("f-power"))).containsEntry("powerState", "PoweredOff");

      GenericKubernetesResource noip =
          awaitVm("f-noip", v -> isTrue(v, "VirtualMachineTools"), "tools running");
      assertThat(Json.map(status(noip), "network")).doesNotContainKey("primaryIP4");
      assertThat(Json.maps(status(noip), "network", "interfaces").get(0))
          .extracting(i -> Json.map(i, "ip"))
          .satisfies(ip -> assertThat(ip).containsOnlyKeys("macAddr"));

      GenericKubernetesResource cust =
          awaitVm(
              "f-cust",
              v -> "GuestCustomizationFailed".equals(reason(v, "GuestCustomization")),
              "customization failed");
      assertThat(condition(cust, "GuestCustomization"))
          .containsEntry("status", "False")
          .containsEntry("message", "vSphere VM Customization failed due to an unknown error.");

      GenericKubernetesResource hang =
          awaitVm("f-hang", v -> isTrue(v, "VirtualMachineTools"), "tools running");
      assertThat(reason(hang, "GuestCustomization")).isEqualTo("GuestCustomizationRunning");

      GenericKubernetesResource probe =
          awaitVm("f-probe", v -> !condition(v, "Ready").isEmpty(), "ready condition");
      assertThat(condition(probe, "Ready"))
          .containsEntry("status", "False")
          .containsEntry("reason", "NotReady")
          .containsEntry("message", "connection refused");

      // the hangs: nothing moves after many steps
      sleep(Duration.ofMillis(300));
      assertThat(condition(vm("f-sched-hang"), "VirtualMachineConditionPlacementReady")).isEmpty();
      assertThat(reason(vm("f-hang"), "GuestCustomization")).isEqualTo("GuestCustomizationRunning");
      assertThat(Json.map(status(vm("f-noip")), "network")).doesNotContainKey("primaryIP4");
      assertThat(status(vm("f-power"))).containsEntry("powerState", "PoweredOff");
      assertThat(
              client.v1().events().inNamespace(ns).list().getItems().stream()
                  .filter(e -> "f-power".equals(e.getInvolvedObject().getName())))
          .hasSize(1);

      // lifting a fault lets the workload go on
      sv.faults().clear("f-noip");
      GenericKubernetesResource lifted =
          awaitVm(
              "f-noip",
              v -> Json.str(status(v), "network", "primaryIP4") != null,
              "IP after the fault is lifted");
      assertThat(isTrue(lifted, "VirtualMachineTools")).isTrue();
      sv.faults().clear("f-power");
      awaitVm("f-power", v -> isTrue(v, "Ready"), "ready after the fault is lifted");
    } finally {
      names.forEach(sv.faults()::clear);
    }
  }

  @Test
  @DisplayName("PoweredOff and back: Tools stop, the IP goes and comes back the same")
  void powerCycle() {
    String ip = Json.str(status(runningLinuxVm("cycle")), "network", "primaryIP4");
    patchPower("cycle", "PoweredOff");
    GenericKubernetesResource off =
        awaitVm("cycle", v -> "PoweredOff".equals(status(v).get("powerState")), "powered off");
    assertThat(condition(off, "VirtualMachineTools"))
        .containsEntry("status", "False")
        .containsEntry("reason", "VirtualMachineToolsNotRunning")
        .containsEntry("message", "VMware Tools is not running");
    assertThat(status(off)).doesNotContainKey("network");
    assertThat(reason(off, "Ready")).isEqualTo("NotReady");
    patchPower("cycle", "Suspended");
    sleep(Duration.ofMillis(100)); // a powered-off VM cannot be suspended
    assertThat(status(vm("cycle"))).containsEntry("powerState", "PoweredOff");
    patchPower("cycle", "PoweredOn");
    GenericKubernetesResource on = awaitVm("cycle", v -> isTrue(v, "Ready"), "ready again");
    assertThat(Json.str(status(on), "network", "primaryIP4")).isEqualTo(ip);
    patchPower("cycle", "Suspended");
    awaitVm("cycle", v -> "Suspended".equals(status(v).get("powerState")), "suspended");
  }

  private void patchPower(String name, String state) {
    vms(client, version, ns)
        .withName(name)
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"replace\",\"path\":\"/spec/powerState\",\"value\":\"" + state + "\"}]");
  }

  @Test
  @DisplayName("deleting a VM removes the finalizer, then the object; a delete check holds it")
  void deletion() {
    runningLinuxVm("del");
    vms(client, version, ns).withName("del").delete();
    await(() -> vm("del") == null, "VM gone");

    runningLinuxVm("held");
    vms(client, version, ns)
        .withName("held")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/metadata/annotations/delete.check.vmoperator.vmware.com~1backup\",\"value\":\"in progress\"}]");
    vms(client, version, ns).withName("held").delete();
    awaitVm("held", v -> v.getMetadata().getDeletionTimestamp() != null, "terminating");
    sleep(Duration.ofMillis(200));
    assertThat(vm("held").getMetadata().getFinalizers())
        .contains("vmoperator.vmware.com/virtualmachine");
    vms(client, version, ns)
        .withName("held")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/delete.check.vmoperator.vmware.com~1backup\"}]");
    await(() -> vm("held") == null, "VM gone once the check is removed");
  }

  @Test
  @DisplayName(
      "a LoadBalancer VirtualMachineService makes a selectorless Service and Endpoints; deleting it removes them")
  void virtualMachineService() {
    GenericKubernetesResource a = runningLinuxVm("web-a");
    GenericKubernetesResource b = runningLinuxVm("web-b");
    vmServices(client, version, ns)
        .resource(parse(client, VmOpObjects.vmService(version, ns, "web", "LoadBalancer")))
        .create();
    await(
        () -> {
          GenericKubernetesResource s = vmServices(client, version, ns).withName("web").get();
          return s != null && !Json.maps(status(s), "loadBalancer", "ingress").isEmpty();
        },
        "load balancer ingress");
    GenericKubernetesResource vs = vmServices(client, version, ns).withName("web").get();
    assertThat(vs.getMetadata().getFinalizers())
        .containsExactly("vmoperator.vmware.com/virtualmachineservice");
    Service svc = client.services().inNamespace(ns).withName("web").get();
    assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
    assertThat(svc.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(svc.getSpec().getAllocateLoadBalancerNodePorts()).isFalse();
    assertThat(svc.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");
    assertThat(svc.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("ssh");
              assertThat(p.getPort()).isEqualTo(2222);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(22);
            });
    assertThat(svc.getMetadata().getLabels()).containsEntry("convergence.io/lab", "lab-a");
    assertThat(svc.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getKind()).isEqualTo("VirtualMachineService");
              assertThat(r.getUid()).isEqualTo(vs.getMetadata().getUid());
              assertThat(r.getController()).isTrue();
            });
    String lbIp = svc.getStatus().getLoadBalancer().getIngress().get(0).getIp();
    assertThat(Json.maps(status(vs), "loadBalancer", "ingress"))
        .containsExactly(Map.of("ip", lbIp));

    await(
        () -> {
          Endpoints ep = client.endpoints().inNamespace(ns).withName("web").get();
          return ep != null
              && !ep.getSubsets().isEmpty()
              && ep.getSubsets().get(0).getAddresses().size() == 2;
        },
        "endpoints with both VMs");
    Endpoints ep = client.endpoints().inNamespace(ns).withName("web").get();
    assertThat(ep.getSubsets().get(0).getAddresses())
        .extracting(x -> x.getIp())
        .containsExactlyInAnyOrder(
            Json.str(status(a), "network", "primaryIP4"),
            Json.str(status(b), "network", "primaryIP4"));
    assertThat(ep.getSubsets().get(0).getAddresses())
        .extracting(x -> x.getTargetRef().getKind())
        .containsOnly("VirtualMachine");
    assertThat(ep.getSubsets().get(0).getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(22));

    // a VM that powers off leaves the endpoints (no IP)
    patchPower("web-b", "PoweredOff");
    await(
        () ->
            client
                    .endpoints()
                    .inNamespace(ns)
                    .withName("web")
                    .get()
                    .getSubsets()
                    .get(0)
                    .getAddresses()
                    .size()
                == 1,
        "one address left");

    vmServices(client, version, ns).withName("web").delete();
    await(
        () ->
            vmServices(client, version, ns).withName("web").get() == null
                && client.services().inNamespace(ns).withName("web").get() == null
                && client.endpoints().inNamespace(ns).withName("web").get() == null,
        "VM Service, Service and Endpoints gone");
  }

  @Test
  @DisplayName("snapshots go created, CSI synced, ready; form a tree on the VM; revert and delete")
  void snapshotsLifecycle() {
    runningLinuxVm("snap-vm");
    try (Recorder<GenericKubernetesResource> rec =
        Recorder.of(snapshots(sv.client(), version, ns), "first", VmOpObjects::snapshotStage)) {
      snapshots(client, version, ns)
          .resource(parse(client, snapshot(version, ns, "first", "snap-vm", true)))
          .create();
      await(() -> isSnapReady("first"), "first ready");
      rec.assertSequence(
          "VirtualMachineSnapshotCreationInProgress/null/VirtualMachineSnapshotWaitingForCreation",
          "True/VirtualMachineSnapshotCSISyncInProgress/VirtualMachineSnapshotWaitingForCSISync",
          "True/True/True");
    }
    GenericKubernetesResource first = snapshots(client, version, ns).withName("first").get();
    assertThat(first.getMetadata().getFinalizers())
        .containsExactly("vmoperator.vmware.com/virtualmachinesnapshot");
    assertThat(status(first)).containsEntry("powerState", "PoweredOn");
    assertThat((String) status(first).get("uniqueID")).matches("snapshot-\\d+");
    GenericKubernetesResource vm = vm("snap-vm");
    assertThat(Json.map(status(vm), "currentSnapshot"))
        .isEqualTo(Map.of("type", "Managed", "name", "first"));
    assertThat(Json.maps(status(vm), "rootSnapshots"))
        .containsExactly(Map.of("type", "Managed", "name", "first"));

    snapshots(client, version, ns)
        .resource(parse(client, snapshot(version, ns, "second", "snap-vm", false)))
        .create();
    await(() -> isSnapReady("second"), "second ready");
    assertThat(status(snapshots(client, version, ns).withName("second").get()))
        .containsEntry("powerState", "PoweredOff");
    assertThat(
            Json.maps(status(snapshots(client, version, ns).withName("first").get()), "children"))
        .containsExactly(Map.of("type", "Managed", "name", "second"));
    awaitVm(
        "snap-vm",
        v -> "second".equals(Json.str(status(v), "currentSnapshot", "name")),
        "current snapshot second");

    // revert to the first
    vms(client, version, ns)
        .withName("snap-vm")
        .patch(
            PatchContext.of(PatchType.JSON),
            "[{\"op\":\"add\",\"path\":\"/spec/currentSnapshotName\",\"value\":\"first\"}]");
    GenericKubernetesResource reverted =
        awaitVm(
            "snap-vm",
            v ->
                "first".equals(Json.str(status(v), "currentSnapshot", "name"))
                    && !Json.map(v.getAdditionalProperties(), "spec")
                        .containsKey("currentSnapshotName"),
            "reverted");
    assertThat(Json.maps(status(reverted), "rootSnapshots")).hasSize(1);

    // deleting the child unlinks it from its parent
    snapshots(client, version, ns).withName("second").delete();
    await(() -> snapshots(client, version, ns).withName("second").get() == null, "second gone");
    await(
        () ->
            Json.maps(status(snapshots(client, version, ns).withName("first").get()), "children")
                .isEmpty(),
        "children emptied");

    // a failing snapshot
    sv.simulator()
        .controller()
        .failSnapshots("snap-vm", "The operation is not allowed in the current state.");
    try {
      snapshots(client, version, ns)
          .resource(parse(client, snapshot(version, ns, "third", "snap-vm", false)))
          .create();
      await(
          () ->
              "VirtualMachineSnapshotCreationFailed"
                  .equals(
                      reason(
                          snapshots(client, version, ns).withName("third").get(),
                          "VirtualMachineSnapshotCreated")),
          "third failed");
      assertThat(
              condition(
                  snapshots(client, version, ns).withName("third").get(),
                  "VirtualMachineSnapshotCreated"))
          .containsEntry("message", "The operation is not allowed in the current state.");
    } finally {
      sv.simulator().controller().clearSnapshotFailure("snap-vm");
    }
  }

  private boolean isSnapReady(String name) {
    GenericKubernetesResource s = snapshots(client, version, ns).withName(name).get();
    return s != null && isTrue(s, "VirtualMachineSnapshotReady");
  }

  @Test
  @DisplayName("a PersistentVolumeClaim volume is listed, and attached with a disk UUID once bound")
  void pvcVolume() {
    createSecret(cloudInitSecret(ns, "data-vm"));
    GenericKubernetesResource o =
        parse(client, linuxVm(version, ns, "data-vm", "best-effort-small", "ubuntu-22.04"));
    Json.map(o.getAdditionalProperties(), "spec")
        .put(
            "volumes",
            List.of(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "data"))));
    vms(client, version, ns).resource(o).create();
    GenericKubernetesResource vm =
        awaitVm("data-vm", v -> !Json.maps(status(v), "volumes").isEmpty(), "volume listed");
    assertThat(Json.maps(status(vm), "volumes").get(0))
        .containsEntry("name", "data")
        .containsEntry("type", "Managed")
        .containsEntry("attached", false);
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withStorageClassName("wcpglobal-storage-profile")
                .withNewResources()
                .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("10Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    vm =
        awaitVm(
            "data-vm",
            v ->
                !Json.maps(status(v), "volumes").isEmpty()
                    && Boolean.TRUE.equals(Json.maps(status(v), "volumes").get(0).get("attached")),
            "volume attached");
    assertThat((String) Json.maps(status(vm), "volumes").get(0).get("diskUUID"))
        .matches("[0-9a-f-]{36}");
  }

  @Test
  @DisplayName("every kind the simulator writes was checked against the real schemas")
  void schemaWatchSawEveryKind() {
    runningLinuxVm("seen");
    await(
        () ->
            schemaWatch
                .kindsSeen()
                .containsAll(
                    List.of(
                        "vmoperator.vmware.com/v1alpha6 VirtualMachine",
                        "vmoperator.vmware.com/v1alpha6 VirtualMachineClass",
                        "vmoperator.vmware.com/v1alpha6 VirtualMachineImage",
                        "vmoperator.vmware.com/v1alpha6 ClusterVirtualMachineImage")),
        "kinds seen: " + schemaWatch.kindsSeen());
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
