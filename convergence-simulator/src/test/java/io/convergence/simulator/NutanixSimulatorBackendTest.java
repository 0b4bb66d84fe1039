package io.convergence.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.SweepRequest;
import io.convergence.WorkloadStatus;
import io.convergence.config.ConvergenceConfig;
import io.convergence.simulator.internal.SimulatedNutanix;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.prism.FakePrismCentral;
import io.convergence.testkit.prism.PrismVm;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code nutanix-simulator}: the Nutanix backend runs converged labs on the fake Prism Central plus
 * the embedded cluster, and leaves nothing on either. No test here binds a privileged port: VMs
 * have no TCP probe, or one on an ephemeral port bound on the wildcard address.
 */
class NutanixSimulatorBackendTest {

  @Test
  void isAlwaysAvailableAndFoundById() {
    assertThat(
            new NutanixSimulatorBackendProvider()
                .availability(ConvergenceConfig.load(Map.of(), new Properties(), Map.of(), null))
                .available())
        .isTrue();
    assertThat(Convergence.backendIds()).contains(NutanixSimulatorBackendProvider.ID);
  }

  @Test
  void aLinuxVmAndAContainerStartOnTheFakeAndNothingIsLeftAfterClose() {
    try (Convergence client =
        Convergence.builder().backend(NutanixSimulatorBackendProvider.ID).build()) {
      LabSpec spec =
          LabSpec.builder("sim-nutanix")
              .vm(
                  "prober",
                  VmSpec.builder()
                      .image(SimulatedNutanix.LINUX_IMAGE)
                      .guestOs(GuestOs.LINUX)
                      .cloudInit("#cloud-config\n")
                      .expose(22)
                      .build())
              .container("app", ContainerSpec.builder().image("python:3.12-slim").build())
              .ttl(Duration.ofHours(1))
              .build();
      FakePrismCentral prism;
      String id;
      try (Lab lab = client.start(spec)) {
        id = lab.id();
        assertThat(lab.backendId()).isEqualTo(NutanixSimulatorBackendProvider.ID);
        assertThat(lab.workloads())
            .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
        prism = lab.unwrap(SimulatedNutanix.class).prism();
        assertThat(lab.unwrap(FakePrismCentral.class)).isSameAs(prism);
        assertThat(prism.vms())
            .singleElement()
            .satisfies(
                vm -> {
                  assertThat(vm.powerState()).isEqualTo("ON");
                  assertThat(vm.clusterExtId())
                      .isEqualTo(prism.cluster(FakePrismCentral.DEFAULT_CLUSTER).extId());
                  assertThat(vm.learnedIpAddresses())
                      .singleElement()
                      .asString()
                      .startsWith("127.42.");
                });
        assertThat(prism.categories())
            .singleElement()
            .satisfies(c -> assertThat(c.value()).isEqualTo(id));
        assertThat(lab.workload("prober").host()).startsWith("127.42.");
      }
      assertThat(prism.vms()).as("VMs left on the fake Prism Central").isEmpty();
      assertThat(prism.categories()).as("categories left on the fake Prism Central").isEmpty();
      assertThat(client.sweep(SweepRequest.lab(id).dryRun()).labIds())
          .as("labs left on nutanix-simulator")
          .isEmpty();
    }
  }

  @Test
  void aVmTcpProbeReachesAListenerOnTheWildcardAddress() throws IOException {
    try (ServerSocket guestPort = new ServerSocket()) {
      guestPort.bind(new InetSocketAddress(0)); // the wildcard address, an ephemeral port
      Thread acceptor = acceptor(guestPort);
      acceptor.start();
      try (Convergence client =
              Convergence.builder().backend(NutanixSimulatorBackendProvider.ID).build();
          Lab lab =
              client.start(
                  LabSpec.builder("sim-nutanix-probe")
                      .vm(
                          "svc",
                          VmSpec.builder()
                              .image(SimulatedNutanix.LINUX_IMAGE)
                              .expose(guestPort.getLocalPort())
                              .probe(Probe.tcp(guestPort.getLocalPort()))
                              .build())
                      .ttl(Duration.ofHours(1))
                      .build())) {
        assertThat(lab.workload("svc").status()).isEqualTo(WorkloadStatus.READY);
        assertThat(lab.workload("svc").stageTimings()).containsKey(Stage.PROBE);
        PrismVm vm = lab.unwrap(FakePrismCentral.class).vms().get(0);
        assertThat(vm.learnedIpAddresses()).singleElement().asString().startsWith("127.42.");
      }
    }
  }

  @Test
  void aWindowsVmGetsItsSysprepWithTheSharedVolumeMappedFromTheFileServersAddress() {
    String unattend =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
            + "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">\n"
            + "  <settings pass=\"oobeSystem\"><component"
            + " name=\"Microsoft-Windows-Shell-Setup\"/></settings>\n"
            + "</unattend>\n";
    try (Convergence client =
            Convergence.builder().backend(NutanixSimulatorBackendProvider.ID).build();
        Lab lab =
            client.start(
                LabSpec.builder("sim-nutanix-win")
                    .sharedVolume(SharedVolume.named("results").withSize("1Gi"))
                    .vm(
                        "tester",
                        VmSpec.builder()
                            .image(SimulatedNutanix.WINDOWS_IMAGE)
                            .guestOs(GuestOs.WINDOWS)
                            .sysprep(SecretValue.of(unattend))
                            .guestAgent(true)
                            .mount("results", "R:")
                            .build())
                    .ttl(Duration.ofHours(1))
                    .build())) {
      assertThat(lab.workloads())
          .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
      assertThat(lab.workload("tester").stageTimings()).containsKey(Stage.GUEST);
      PrismVm vm =
          lab.unwrap(FakePrismCentral.class).vms().stream()
              .filter(v -> v.name().contains("tester"))
              .findFirst()
              .orElseThrow();
      assertThat(vm.guestReachable()).isTrue();
      JsonNode customization = vm.guestCustomization();
      assertThat(customization).isNotNull();
      assertThat(customization.toString()).contains("vmm.v4.ahv.config.Sysprep");
      String xml =
          new String(
              Base64.getDecoder().decode(customization.findValue("value").asText()),
              StandardCharsets.UTF_8);
      // The fake load balancer's addresses are 10.200.x.y; the VM maps the share from it.
      assertThat(xml).containsPattern("net use R: \\\\\\\\10\\.200\\.[0-9.]+\\\\results");
    }
  }

  private static Thread acceptor(ServerSocket s) {
    Thread t =
        new Thread(
            () -> {
              while (!s.isClosed()) {
                try (Socket ignored = s.accept()) {
                  // accept and close: a TCP probe
                } catch (IOException e) {
                  return;
                }
              }
            },
            "guest-port-" + s.getLocalPort());
    t.setDaemon(true);
    return t;
  }
}
