package io.convergence.vsphere.vcenter;

import io.convergence.Convergence;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesTeardown;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.spec.Stage;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.kubernetes.ClusterView;
import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.RequestFault;
import io.convergence.testkit.vcsim.Vcsim;
import io.convergence.vsphere.vim.CustomFieldDef;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.ObjectContent;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.VimValue;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The contract suite's view of vcsim (VMs, in per-lab folders below {@code DC0/vm/convergence})
 * plus the embedded Kubernetes API server with the fake kubelet (containers). Requests are counted
 * by the backends' Kubernetes {@link RequestCounter}s only: the vim25 client counts none yet.
 */
final class VCenterContractTarget implements ContractTarget {

  static final String LABS_FOLDER = "convergence";
  static final String TEMPLATE_FOLDER = "templates";

  private final Vcsim vcsim;
  private final Vim25Client admin;
  private final EmbeddedKubernetes kubernetes;
  private final KubernetesClient kube;
  private final Faults faults;
  private final Duration readiness;
  private final ClusterView cluster;
  private final List<Convergence> clients = new CopyOnWriteArrayList<>();

  VCenterContractTarget(
      Vcsim vcsim,
      Vim25Client admin,
      EmbeddedKubernetes kubernetes,
      Faults faults,
      Duration readiness) {
    this.vcsim = vcsim;
    this.admin = admin;
    this.kubernetes = kubernetes;
    this.kube = kubernetes.client();
    this.faults = faults;
    this.readiness = readiness;
    this.cluster = new ClusterView(kube, KubernetesTeardown.BUILT_IN);
  }

  @Override
  public Convergence connect(Clock clock) {
    return connect(clock, Map.of());
  }

  /** A client with more (or other) {@code convergence.*} settings. */
  Convergence connect(Clock clock, Map<String, String> extra) {
    Convergence.Builder b =
        Convergence.builder()
            .backend(VCenterBackendProvider.ID)
            .property("vsphere-vcenter.url", vcsim.sdk().toString())
            .property("vsphere-vcenter.username", vcsim.user())
            .property("vsphere-vcenter.password", vcsim.password())
            .property("vsphere-vcenter.insecure", "true")
            .property("vsphere-vcenter.datacenter", "DC0")
            .property("vsphere-vcenter.folder", LABS_FOLDER)
            .property("vsphere-vcenter.template-folder", TEMPLATE_FOLDER)
            .property("vsphere-vcenter.resource-pool", "DC0_C0/Resources")
            .property(
                "vsphere-vcenter.extra-config",
                "SET.guest.ipAddress=127.0.0.1,SET.guest.toolsRunningStatus=guestToolsRunning")
            .property("vsphere-vcenter.kubeconfig", kubernetes.kubeconfig().toString())
            .property("teardown.backoff", "100ms")
            .clock(clock);
    extra.forEach(b::property);
    Convergence c = b.build();
    clients.add(c);
    return c;
  }

  @Override
  public String linuxImage() {
    return "ubuntu-22.04";
  }

  @Override
  public String windowsImage() {
    return "windows-2022";
  }

  @Override
  public String containerImage() {
    return "python:3.12-slim";
  }

  @Override
  public List<PlatformObject> objects() {
    List<PlatformObject> out = new ArrayList<>();
    Map<Integer, String> keyToName = new LinkedHashMap<>();
    for (CustomFieldDef d : admin.customFieldDefs()) {
      keyToName.put(d.key(), d.name());
    }
    ManagedObjectReference labs = admin.findByInventoryPath("DC0/vm/" + LABS_FOLDER).orElseThrow();
    for (ObjectContent f : admin.folderContents(labs, "Folder", "name", "customValue")) {
      out.add(new PlatformObject("Folder", f.text("name").orElse("?"), labels(f, keyToName)));
      for (ObjectContent vm :
          admin.folderContents(f.obj(), "VirtualMachine", "name", "customValue")) {
        out.add(
            new PlatformObject(
                "VirtualMachine", vm.text("name").orElse("?"), labels(vm, keyToName)));
      }
    }
    out.addAll(cluster.objects());
    return out;
  }

  private static Map<String, String> labels(ObjectContent oc, Map<Integer, String> keyToName) {
    Map<String, String> labels = new LinkedHashMap<>();
    oc.get("customValue")
        .ifPresent(
            v -> {
              for (VimValue o : v.children()) {
                String name =
                    o.childText("key").map(k -> keyToName.get(Integer.parseInt(k))).orElse(null);
                String value = o.childText("value").orElse("");
                if (name != null && !value.isEmpty()) {
                  labels.put(name, value);
                }
              }
            });
    return labels;
  }

  @Override
  public long requestCount() {
    return clients.stream().mapToLong(c -> c.unwrap(RequestCounter.class).total()).sum();
  }

  @Override
  public Map<String, String> containerEnv(String labId, String workload) {
    return cluster.containerEnv(labId, workload);
  }

  /** Faults reach containers only: vcsim has no fault injection for clones or power-on. */
  @Override
  public void failAt(String workload, Stage stage, String reason) {
    faults.failAt(workload, stage, reason, "injected failure: " + reason);
  }

  @Override
  public void hangAt(String workload, Stage stage) {
    faults.hangBefore(workload, stage);
  }

  @Override
  public void failTeardownOnce() {
    kubernetes.inject(
        RequestFault.next(KubernetesConnection.DEFAULT_RETRIES + 1, "DELETE", ".*")
            .withUserAgent(KubernetesConnection.USER_AGENT)
            .withStatus(500, "InternalError", "injected failure: the delete failed"));
  }

  @Override
  public void clearFaults() {
    faults.clear();
    kubernetes.clearFaults();
  }

  @Override
  public void createForeignObject(String name) {
    cluster.createForeignObject(name);
  }

  @Override
  public Duration typicalReadiness() {
    return readiness;
  }
}
