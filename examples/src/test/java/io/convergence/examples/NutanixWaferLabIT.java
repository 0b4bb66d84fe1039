package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.Lab;
import io.convergence.WorkloadStatus;
import io.convergence.junit5.ConvergenceLab;
import io.convergence.junit5.LabDefinition;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import io.convergence.testkit.prism.FakePrismCentral;
import io.convergence.testkit.prism.PrismVm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sample converged lab on Nutanix AHV: the Windows tester and the Linux prober as AHV VMs
 * created through Prism Central v4 (boot disk cloned from an image of the image service, sysprep or
 * cloud-init as the VM's guest customization, the lab's category), the analysis container on the
 * Kubernetes cluster given by kubeconfig (e.g. NKP), the shared volume served to the VMs by the
 * in-lab Samba server behind a LoadBalancer Service. Here it runs on the testkit's fake Prism
 * Central plus an embedded cluster ({@code nutanix-simulator}); on a real Prism Central, use {@code
 * backend = "nutanix"} with the settings in the README ("Running the sample lab on Nutanix").
 *
 * <p>Integration tier: the fake's guests learn addresses in {@code 127.42.0.0/16}, the loopback, so
 * the two listeners below, bound to the wildcard address, stand in for WinRM (5985) and SSH (22)
 * inside the guests; port 22 is privileged, which the default tier must not need. They start when
 * the class loads, before the extension starts the lab, and stop after the class so that another
 * class of the same JVM (VCenterWaferLabIT) can listen on those ports.
 */
@ConvergenceLab(backend = "nutanix-simulator")
class NutanixWaferLabIT {

  private static final ServerSocket WINRM = listen(5985);
  private static final ServerSocket SSH = listen(22);

  @LabDefinition
  static LabSpec lab() {
    return SampleLabs.waferAnalysis(
        "wafer-nutanix",
        FakePrismCentral.WINDOWS_IMAGE,
        FakePrismCentral.UBUNTU_IMAGE,
        SecretValue.of(SampleLabs.DEMO_UNATTEND));
  }

  @Test
  void everyWorkloadIsReadyAndTheVolumeIsSharedThroughTheFileServer(Lab lab) {
    assertThat(lab.workloads())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
    assertThat(lab.plan().render())
        .contains("Category", "ConvergenceLab", "Sysprep", "LoadBalancer", "results-smb")
        .doesNotContain("demo-only");
    assertThat(lab.report().toString()).contains("mounts GuestMount[results");
    FakePrismCentral prism = lab.unwrap(FakePrismCentral.class);
    assertThat(prism.vms()).hasSize(2).allSatisfy(vm -> assertThat(vm.guestReachable()).isTrue());
    PrismVm prober =
        prism.vms().stream().filter(vm -> vm.name().contains("prober")).findFirst().orElseThrow();
    JsonNode userData = Objects.requireNonNull(prober.guestCustomization()).findValue("value");
    assertThat(new String(Base64.getDecoder().decode(userData.asText()), StandardCharsets.UTF_8))
        .as("the prober's cloud-init, with the tester's address resolved")
        .contains(lab.workload("tester").host() + ":5985");
    assertThat(WINRM.isBound() && SSH.isBound()).isTrue();
  }

  @AfterAll
  static void stopListening() throws IOException {
    WINRM.close();
    SSH.close();
  }

  private static ServerSocket listen(int port) {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(port)); // the wildcard address: every 127.42.x.y guest
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
              "guest-port-" + port);
      t.setDaemon(true);
      t.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on *:"
              + port
              + " for the simulated guests: "
              + e.getMessage()
              + (port < 1024 ? " (a port below 1024 needs root or CAP_NET_BIND_SERVICE)" : ""),
          e);
    }
  }
}
