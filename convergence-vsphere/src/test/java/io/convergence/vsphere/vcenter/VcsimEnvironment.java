package io.convergence.vsphere.vcenter;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeContainerCluster;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.vcsim.Vcsim;
import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.Vim25Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * vcsim prepared for the vCenter backend, plus the embedded Kubernetes API server with the fake
 * kubelet. vcsim gets two templates ({@code ubuntu-22.04}, {@code windows-2022}) in {@code
 * DC0/vm/templates}, cloned from {@code DC0_H0_VM0}, and the labs' parent folder {@code
 * DC0/vm/convergence}. Clones report the guest IP 127.0.0.1 (the target sets {@code extra-config}
 * {@code SET.guest.ipAddress=127.0.0.1} and reports VMware Tools running through {@code
 * SET.guest.toolsRunningStatus}); a listener on 127.0.0.1:22 answers VM probes when the port can be
 * bound.
 */
final class VcsimEnvironment implements AutoCloseable {

  final Vcsim vcsim;
  final Vim25Client admin;
  final FakeContainerCluster cluster;
  final EmbeddedKubernetes kubernetes;
  final Faults faults;
  final @Nullable ServerSocket sshPort;
  final VCenterContractTarget target;

  private VcsimEnvironment(Path dir) throws Exception {
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
      admin.markAsTemplate(t);
    }
    sshPort = listenOn22();
    cluster = FakeContainerCluster.start(Duration.ofMillis(15));
    kubernetes = cluster.kubernetes();
    faults = cluster.faults();
    target = new VCenterContractTarget(vcsim, admin, kubernetes, faults, Duration.ofSeconds(3));
  }

  static VcsimEnvironment start(Path dir) throws Exception {
    return new VcsimEnvironment(dir);
  }

  /** Adds a template with a snapshot, for linked clones. */
  ManagedObjectReference templateWithSnapshot(String name) {
    ManagedObjectReference templates =
        admin.findByInventoryPath("DC0/vm/" + VCenterContractTarget.TEMPLATE_FOLDER).orElseThrow();
    ManagedObjectReference source = admin.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
    ManagedObjectReference pool = admin.virtualMachine(source).resourcePool();
    ManagedObjectReference t =
        admin.cloneVm(source, CloneSpec.builder(name, templates).pool(pool).build()).vm();
    admin.createSnapshot(t, "base", "for linked clones", false, false).await();
    admin.markAsTemplate(t);
    return t;
  }

  private static @Nullable ServerSocket listenOn22() {
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
      return null; // VM probes then never pass
    }
  }

  @Override
  public void close() throws Exception {
    if (sshPort != null) {
      sshPort.close();
    }
    cluster.close();
    admin.close();
    vcsim.close();
  }
}
