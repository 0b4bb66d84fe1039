package io.convergence.vsphere.vcenter;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeKubelet;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ConfigSpec;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.Vcsim;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.Vim25Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on vcsim (VMs) and the embedded Kubernetes API server with the fake kubelet
 * (containers). vcsim gets two templates ({@code ubuntu-22.04}, {@code windows-2022}) in {@code
 * DC0/vm/templates}, cloned from {@code DC0_H0_VM0} with {@code SET.guest.ipAddress=127.0.0.1} so
 * that clones report a guest IP, and an SSH-port listener on 127.0.0.1 answers VM probes when the
 * port can be bound.
 */
class VCenterBackendContractIT extends AbstractBackendContractTest {

  private static Vcsim vcsim;
  private static Vim25Client admin;
  private static EmbeddedKubernetes kubernetes;
  private static FakeKubelet kubelet;
  private static ServerSocket sshPort;
  private static VCenterContractTarget target;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vcsim = Vcsim.startOrSkip(dir);
    admin =
        Vim25Client.connect(
            Vim25Config.builder(vcsim.sdk())
                .credentials(vcsim.user(), vcsim.password())
                .taskPolling(Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(200))
                .build());
    admin.login();
    ManagedObjectReference vmFolder = admin.findByInventoryPath("DC0/vm").orElseThrow();
    admin.createFolder(vmFolder, VCenterContractTarget.LABS_FOLDER);
    ManagedObjectReference templates =
        admin.createFolder(vmFolder, VCenterContractTarget.TEMPLATE_FOLDER);
    ManagedObjectReference source = admin.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
    ManagedObjectReference pool = admin.virtualMachine(source).resourcePool();
    for (String name : new String[] {"ubuntu-22.04", "windows-2022"}) {
      ManagedObjectReference t =
          admin.cloneVm(source, CloneSpec.builder(name, templates).pool(pool).build()).vm();
      admin
          .reconfigVm(
              t, ConfigSpec.builder().extraConfig("SET.guest.ipAddress", "127.0.0.1").build())
          .await();
      admin.markAsTemplate(t);
    }
    sshPort = listenOn22();
    kubernetes = EmbeddedKubernetes.start();
    Faults faults = new Faults();
    kubelet =
        FakeKubelet.builder(kubernetes.newClient("fake-kubelet"))
            .faults(faults)
            .latency(Duration.ofMillis(15))
            .start();
    kubernetes.servePodLogs(kubelet);
    kubernetes.resetRequests();
    target = new VCenterContractTarget(vcsim, admin, kubernetes, faults, Duration.ofSeconds(3));
  }

  /** Answers TCP connects on 127.0.0.1:22, the address vcsim reports for the clones. */
  private static ServerSocket listenOn22() {
    try {
      ServerSocket s = new ServerSocket();
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 22));
      Thread t =
          new Thread(
              () -> {
                while (!s.isClosed()) {
                  try (Socket ignored = s.accept()) {
                    // accept and close
                  } catch (IOException e) {
                    return;
                  }
                }
              },
              "ssh-port");
      t.setDaemon(true);
      t.start();
      return s;
    } catch (IOException e) {
      return null; // VM probes then never pass: the checks with an ssh probe fail
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (sshPort != null) {
      sshPort.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (vcsim != null) {
      vcsim.close();
    }
  }

  @Override
  protected ContractTarget target() {
    return target;
  }
}
