package io.convergence.simulator.internal;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.FakeContainerCluster;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.vcsim.Vcsim;
import io.convergence.vsphere.vim.CloneSpec;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.Vim25Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A classic vCenter lab site in a box: vcsim (VMs, templates, folders, custom attributes) with the
 * templates {@value #LINUX_TEMPLATE} and {@value #WINDOWS_TEMPLATE} in folder {@code
 * DC0/vm/}{@value #TEMPLATE_FOLDER}, plus an embedded Kubernetes API server with a fake kubelet,
 * volume provisioner and load balancer for the containers and shared volumes. vcsim reports no
 * guest IP by itself, so VMs get {@code 127.0.0.1} and running VMware Tools through vcsim's {@code
 * SET.*} extraConfig keys ({@link #extraConfig()}).
 */
public final class SimulatedVCenter implements AutoCloseable {

  /** The template of Linux VMs: {@value}. */
  public static final String LINUX_TEMPLATE = "ubuntu-22.04";

  /** The template of Windows VMs: {@value}. */
  public static final String WINDOWS_TEMPLATE = "windows-2022";

  /** The folder of the templates, below the datacenter's VM folder: {@value}. */
  public static final String TEMPLATE_FOLDER = "templates";

  /** The folder of the per-lab folders, below the datacenter's VM folder: {@value}. */
  public static final String LABS_FOLDER = "convergence";

  private final Path dir;
  private final Vcsim vcsim;
  private final FakeContainerCluster cluster;

  private SimulatedVCenter(Path dir, Duration latency) throws IOException, InterruptedException {
    this.dir = dir;
    this.vcsim = Vcsim.start(dir.resolve("vcsim"));
    try {
      seed();
      this.cluster = FakeContainerCluster.start(latency);
    } catch (RuntimeException e) {
      vcsim.close();
      throw e;
    }
  }

  /**
   * Starts vcsim (building it first if needed) and the embedded cluster.
   *
   * @param latency each simulated Kubernetes step
   * @return the running site
   * @throws IllegalStateException when vcsim is unavailable ({@link Vcsim#unavailableReason()})
   */
  public static SimulatedVCenter start(Duration latency) {
    try {
      return new SimulatedVCenter(Files.createTempDirectory("convergence-vcsim-"), latency);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start vcsim: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting vcsim", e);
    }
  }

  /** Creates the labs and template folders and the templates. */
  private void seed() {
    try (Vim25Client admin =
        Vim25Client.connect(
            Vim25Config.builder(vcsim.sdk()).credentials(vcsim.user(), vcsim.password()).build())) {
      admin.login();
      ManagedObjectReference vmFolder = admin.findByInventoryPath("DC0/vm").orElseThrow();
      admin.createFolder(vmFolder, LABS_FOLDER);
      ManagedObjectReference templates = admin.createFolder(vmFolder, TEMPLATE_FOLDER);
      ManagedObjectReference source = admin.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
      ManagedObjectReference pool = admin.virtualMachine(source).resourcePool();
      for (String name : List.of(LINUX_TEMPLATE, WINDOWS_TEMPLATE)) {
        ManagedObjectReference t =
            admin.cloneVm(source, CloneSpec.builder(name, templates).pool(pool).build()).vm();
        admin.markAsTemplate(t);
      }
      admin.logout();
    }
  }

  /**
   * The settings that point the vCenter backend at this site.
   *
   * @return setting (without the backend prefix) to value
   */
  public Map<String, String> backendSettings() {
    return Map.ofEntries(
        Map.entry("url", vcsim.sdk().toString()),
        Map.entry("username", vcsim.user()),
        Map.entry("password", vcsim.password()),
        Map.entry("datacenter", "DC0"),
        Map.entry("folder", LABS_FOLDER),
        Map.entry("template-folder", TEMPLATE_FOLDER),
        Map.entry("resource-pool", "DC0_C0/Resources"),
        Map.entry("extra-config", extraConfig()),
        Map.entry("kubeconfig", cluster.kubernetes().kubeconfig().toString()));
  }

  /** {@return vcsim's {@code SET.*} keys that give every VM a guest IP and running Tools} */
  public static String extraConfig() {
    return "SET.guest.ipAddress=127.0.0.1,SET.guest.toolsRunningStatus=guestToolsRunning";
  }

  /** {@return the faults of the containers (kubelet, provisioner, load balancer)} */
  public Faults faults() {
    return cluster.faults();
  }

  /** {@return the embedded Kubernetes API server} */
  public EmbeddedKubernetes kubernetes() {
    return cluster.kubernetes();
  }

  /** {@return the vcsim process} */
  public Vcsim vcsim() {
    return vcsim;
  }

  @Override
  public void close() {
    closeQuietly(cluster);
    vcsim.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary folder
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing
      }
    }
  }

  @Override
  public String toString() {
    return "SimulatedVCenter{" + vcsim.sdk() + ", " + cluster.kubernetes().url() + "}";
  }
}
