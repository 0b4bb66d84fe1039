package io.convergence.vsphere.supervisor;

import io.convergence.Convergence;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesTeardown;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.spec.Stage;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.kubernetes.ClusterView;
import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.RequestFault;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VmOperatorResources;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The contract suite's view of a Supervisor namespace API driven by the testkit's vm-operator
 * simulator: the embedded API server (default tier) or a real kube-apiserver with vm-operator's
 * real CRDs (integration tier). One admin-made vSphere Namespace is shared by every lab. Requests
 * are counted by the backends' own {@link RequestCounter}s, so the simulator's traffic does not
 * count.
 */
final class SupervisorContractTarget implements ContractTarget {

  static final String NAMESPACE = "convergence-labs";

  private final Path kubeconfig;
  private final KubernetesClient admin;
  private final VmOperatorSimulator simulator;
  private final @Nullable EmbeddedKubernetes embedded;
  private final Duration readiness;
  private final ClusterView cluster;
  private final List<ResourceDefinitionContext> kinds = new ArrayList<>();
  private final List<Convergence> clients = new CopyOnWriteArrayList<>();

  /** On the embedded server, whose requests can be made to fail. */
  SupervisorContractTarget(EmbeddedVmOperator supervisor, Duration readiness) {
    this(
        supervisor.kubeconfig(),
        supervisor.client(),
        supervisor.simulator(),
        supervisor.kubernetes(),
        readiness);
  }

  /**
   * On any server the simulator runs on.
   *
   * @param embedded the embedded server, or null for a real one (whose deletes cannot be failed)
   */
  SupervisorContractTarget(
      Path kubeconfig,
      KubernetesClient admin,
      VmOperatorSimulator simulator,
      @Nullable EmbeddedKubernetes embedded,
      Duration readiness) {
    this.kubeconfig = kubeconfig;
    this.admin = admin;
    this.simulator = simulator;
    this.embedded = embedded;
    this.readiness = readiness;
    // the version the simulator works at: the newest served one, as discovery tells the backend
    String v = simulator.controller().version();
    kinds.add(VmOperatorResources.virtualMachines(v));
    kinds.add(VmOperatorResources.virtualMachineServices(v));
    if (simulator.controller().snapshotsServed()) {
      kinds.add(VmOperatorResources.virtualMachineSnapshots(v));
    }
    kinds.addAll(KubernetesTeardown.BUILT_IN);
    // vm-operator makes an Endpoints per VirtualMachineService: it must go with the lab too.
    kinds.add(KubernetesTeardown.context("", "v1", "Endpoints", "endpoints"));
    this.cluster = new ClusterView(admin, kinds);
  }

  @Override
  public Convergence connect(Clock clock) {
    Convergence c =
        Convergence.builder()
            .backend(SupervisorBackendProvider.ID)
            .property("vsphere-supervisor.kubeconfig", kubeconfig.toString())
            .property("vsphere-supervisor.namespace", NAMESPACE)
            .property("vsphere-supervisor.storage-class", VmOperatorSimulator.DEFAULT_STORAGE_CLASS)
            .property("teardown.backoff", "100ms")
            .clock(clock)
            .build();
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
    return cluster.objects();
  }

  @Override
  public long requestCount() {
    return clients.stream().mapToLong(c -> c.unwrap(RequestCounter.class).total()).sum();
  }

  @Override
  public Map<String, String> containerEnv(String labId, String workload) {
    return cluster.containerEnv(labId, workload);
  }

  @Override
  public void failAt(String workload, Stage stage, String reason) {
    simulator.faults().failAt(workload, stage, reason, "injected failure: " + reason);
  }

  @Override
  public void hangAt(String workload, Stage stage) {
    simulator.faults().hangBefore(workload, stage);
  }

  @Override
  public void failTeardownOnce() {
    if (embedded == null) {
      throw new UnsupportedOperationException("a real API server cannot be made to fail a delete");
    }
    // fabric8 retries a 5xx itself (request-retries), so the failure must outlast those retries.
    embedded.inject(
        RequestFault.next(KubernetesConnection.DEFAULT_RETRIES + 1, "DELETE", ".*")
            .withUserAgent(KubernetesConnection.USER_AGENT)
            .withStatus(500, "InternalError", "injected failure: the delete failed"));
  }

  @Override
  public void clearFaults() {
    simulator.faults().clear();
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
