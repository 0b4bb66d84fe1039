package io.convergence.testkit.vmoperator;

import static io.convergence.testkit.kubernetes.Recorder.await;
import static io.convergence.testkit.vmoperator.VmOpObjects.cloudInitSecret;
import static io.convergence.testkit.vmoperator.VmOpObjects.isTrue;
import static io.convergence.testkit.vmoperator.VmOpObjects.linuxVm;
import static io.convergence.testkit.vmoperator.VmOpObjects.parse;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshot;
import static io.convergence.testkit.vmoperator.VmOpObjects.snapshots;
import static io.convergence.testkit.vmoperator.VmOpObjects.status;
import static io.convergence.testkit.vmoperator.VmOpObjects.vmServices;
import static io.convergence.testkit.vmoperator.VmOpObjects.vms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The simulator at the version each VCF release serves: it picks the newest one from discovery and
 * writes what that version's real schema has (v1alpha3 {@code status.host}, v1alpha4 without {@code
 * status.class}, snapshots from v1alpha5), checked against the real CRDs.
 */
class VmOperatorVersionsTest {

  private static List<String> simulatorThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("convergence-sim-"))
        .toList();
  }

  @ParameterizedTest
  @EnumSource(VcfRelease.class)
  @DisplayName("each release: newest version picked, VM ready, VM Service, snapshots where served")
  void release(VcfRelease release) {
    try (EmbeddedVmOperator sv =
        EmbeddedVmOperator.start(
            release, VmOperatorSimulator.builder().latency(Duration.ofMillis(5)))) {
      String version = sv.simulator().controller().version();
      assertThat(version).isEqualTo(release.newestVersion());
      boolean snapshotsServed = sv.simulator().controller().snapshotsServed();
      assertThat(snapshotsServed).isEqualTo(!release.snapshotVersions().isEmpty());
      KubernetesClient client = sv.newClient("convergence/test");
      try (SchemaWatch watch = new SchemaWatch(client, version, snapshotsServed)) {
        String ns = "rel-" + release.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        sv.simulator().seedNamespace(ns);
        client.secrets().inNamespace(ns).resource(cloudInitSecret(ns, "vm")).create();
        vms(client, version, ns)
            .resource(
                parse(client, linuxVm(version, ns, "vm", "best-effort-medium", "ubuntu-22.04")))
            .create();
        vmServices(client, version, ns)
            .resource(parse(client, VmOpObjects.vmService(version, ns, "svc", "ClusterIP")))
            .create();
        await(
            () -> {
              GenericKubernetesResource vm = vms(client, version, ns).withName("vm").get();
              return vm != null && isTrue(vm, "Ready");
            },
            "ready at " + version);
        GenericKubernetesResource vm = vms(client, version, ns).withName("vm").get();
        assertThat(vm.getApiVersion()).isEqualTo("vmoperator.vmware.com/" + version);
        if (version.equals("v1alpha3")) {
          assertThat(status(vm)).containsKey("host").doesNotContainKey("nodeName");
        } else {
          assertThat(status(vm)).containsKey("nodeName").doesNotContainKey("host");
        }
        assertThat(status(vm).containsKey("class")).isEqualTo(!version.equals("v1alpha4"));
        assertThat(status(vm).containsKey("guest"))
            .isEqualTo(version.equals("v1alpha5") || version.equals("v1alpha6"));
        await(
            () -> {
              var ep = client.endpoints().inNamespace(ns).withName("svc").get();
              return ep != null
                  && ep.getSubsets().size() == 1
                  && ep.getSubsets().get(0).getAddresses().stream()
                      .anyMatch(
                          a -> a.getIp().equals(Json.str(status(vm), "network", "primaryIP4")));
            },
            "endpoints");
        GenericKubernetesResource vs = vmServices(client, version, ns).withName("svc").get();
        await(
            () ->
                vmServices(client, version, ns)
                            .withName("svc")
                            .get()
                            .getAdditionalProperties()
                            .get("status")
                        instanceof java.util.Map<?, ?> m
                    && m.containsKey("loadBalancer"),
            "VM Service status");
        assertThat(vs).isNotNull();
        if (snapshotsServed) {
          snapshots(client, version, ns)
              .resource(parse(client, snapshot(version, ns, "snap", "vm", false)))
              .create();
          await(
              () -> {
                GenericKubernetesResource s = snapshots(client, version, ns).withName("snap").get();
                return s != null && isTrue(s, "VirtualMachineSnapshotReady");
              },
              "snapshot ready");
        }
        vms(client, version, ns).withName("vm").delete();
        await(() -> vms(client, version, ns).withName("vm").get() == null, "VM deleted");
        assertThat(watch.problems()).as("fields the real CRD schemas reject or prune").isEmpty();
        assertThat(watch.kindsSeen())
            .contains(
                "vmoperator.vmware.com/" + version + " VirtualMachine",
                "vmoperator.vmware.com/" + version + " VirtualMachineService",
                "vmoperator.vmware.com/" + version + " ClusterVirtualMachineImage");
      }
    }
    await(() -> simulatorThreads().isEmpty(), "controller threads stopped: " + simulatorThreads());
  }

  @Test
  @DisplayName("emptyMessages writes the placeholder for vm-operator's empty condition messages")
  void emptyMessagePlaceholder() {
    try (EmbeddedVmOperator sv =
        EmbeddedVmOperator.start(
            VcfRelease.VCF_9_1,
            VmOperatorSimulator.builder().latency(Duration.ofMillis(5)).emptyMessages(" "))) {
      String version = sv.simulator().controller().version();
      KubernetesClient client = sv.client();
      sv.simulator().seedNamespace("placeholder");
      client
          .secrets()
          .inNamespace("placeholder")
          .resource(cloudInitSecret("placeholder", "vm"))
          .create();
      vms(client, version, "placeholder")
          .resource(
              parse(client, linuxVm(version, "placeholder", "vm", "best-effort-small", "photon-5")))
          .create();
      await(
          () -> {
            GenericKubernetesResource vm = vms(client, version, "placeholder").withName("vm").get();
            return vm != null && isTrue(vm, "Ready");
          },
          "ready");
      GenericKubernetesResource vm = vms(client, version, "placeholder").withName("vm").get();
      assertThat(Json.maps(status(vm), "conditions"))
          .allSatisfy(c -> assertThat(c).containsEntry("message", " "));
      GenericKubernetesResource image =
          client
              .genericKubernetesResources(VmOperatorResources.clusterVirtualMachineImages(version))
              .list()
              .getItems()
              .get(0);
      assertThat(Json.maps(status(image), "conditions"))
          .singleElement()
          .satisfies(c -> assertThat(c).containsEntry("message", " "));
    }
  }

  @Test
  @DisplayName("a forced version must be served; a server without the CRDs is refused clearly")
  void versionChecks() {
    try (EmbeddedVmOperator sv =
        EmbeddedVmOperator.start(VcfRelease.VCF_9_0, VmOperatorSimulator.builder())) {
      assertThatThrownBy(
              () -> FakeVmOperatorController.builder(sv.client()).apiVersion("v1alpha5").start())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not serve vmoperator.vmware.com/v1alpha5")
          .hasMessageContaining("v1alpha3");
    }
    try (EmbeddedKubernetes k8s = EmbeddedKubernetes.builder().kubeVirtCrds(false).start()) {
      assertThatThrownBy(() -> VmOperatorSimulator.builder().start(k8s.client()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("are the vm-operator CRDs installed?");
    }
    assertThatThrownBy(() -> VmOperatorSimulator.builder().apiVersion("v1beta1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("v1beta1");
  }
}
