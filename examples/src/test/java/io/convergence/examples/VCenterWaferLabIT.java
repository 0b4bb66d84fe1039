package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Lab;
import io.convergence.WorkloadStatus;
import io.convergence.junit5.ConvergenceLab;
import io.convergence.junit5.LabDefinition;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The sample converged lab on classic vCenter: the Windows tester and the Linux prober cloned from
 * templates into a per-lab folder (sysprep as the clone's customization, cloud-init through
 * guestinfo), the analysis container on the Kubernetes cluster given by kubeconfig, the shared
 * volume served to the VMs by the in-lab Samba server behind a LoadBalancer Service. Here it runs
 * on govmomi's vcsim plus an embedded cluster ({@code vsphere-vcenter-simulator}, integration tier:
 * vcsim is built from the shared tools); on a real vCenter, use {@code backend = "vsphere-vcenter"}
 * with the settings in the README ("Backends").
 *
 * <p>vcsim runs no guests: every simulated VM reports the guest IP 127.0.0.1, so the two listeners
 * below stand in for WinRM (5985) and SSH (22) inside the guests. They start when the class loads,
 * before the extension starts the lab, and stop after the class, so that another class of the same
 * JVM (NutanixWaferLabIT) can listen on those ports.
 */
@ConvergenceLab(backend = "vsphere-vcenter-simulator")
class VCenterWaferLabIT {

  private static final ServerSocket WINRM = listen(5985);
  private static final ServerSocket SSH = listen(22);

  @LabDefinition
  static LabSpec lab() {
    return SampleLabs.waferAnalysis(
        "wafer-vcenter", "windows-2022", "ubuntu-22.04", SecretValue.of(SampleLabs.DEMO_UNATTEND));
  }

  @Test
  void everyWorkloadIsReadyAndTheVolumeIsSharedThroughTheFileServer(Lab lab) {
    assertThat(lab.workloads())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(WorkloadStatus.READY));
    assertThat(lab.plan().render())
        .contains("CloneVM_Task", "CustomizationSysprepText", "LoadBalancer", "results-smb")
        .doesNotContain("demo-only");
    assertThat(lab.report().toString()).contains("mounts GuestMount[results");
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
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
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
          "cannot listen on 127.0.0.1:" + port + " for the simulated guests", e);
    }
  }
}
