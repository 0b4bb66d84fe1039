package io.convergence.kubevirt;

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
 * The contract suite's view of a cluster driven by the testkit's KubeVirt simulator: the embedded
 * API server (default tier) or a real kube-apiserver (integration tier). Requests are counted by
 * the backends' own {@link RequestCounter}s, so the simulators' traffic does not count.
 */
final class KubeVirtContractTarget implements ContractTarget {

  private static final List<ResourceDefinitionContext> KINDS = new ArrayList<>();

  static {
    KINDS.addAll(KubeVirtResources.LAB_KINDS);
    KINDS.addAll(KubernetesTeardown.BUILT_IN);
  }

  private final Path kubeconfig;
  private final KubernetesClient admin;
  private final Faults faults;
  private final @Nullable EmbeddedKubernetes embedded;
  private final Duration readiness;
  private final ClusterView cluster;
  private final List<Convergence> clients = new CopyOnWriteArrayList<>();

  KubeVirtContractTarget(
      Path kubeconfig,
      KubernetesClient admin,
      Faults faults,
      @Nullable EmbeddedKubernetes embedded,
      Duration readiness) {
    this.kubeconfig = kubeconfig;
    this.admin = admin;
    this.faults = faults;
    this.embedded = embedded;
    this.readiness = readiness;
    this.cluster = new ClusterView(admin, KINDS);
  }

  @Override
  public Convergence connect(Clock clock) {
    Convergence c =
        Convergence.builder()
            .backend(KubeVirtBackendProvider.ID)
            .property("kubevirt.kubeconfig", kubeconfig.toString())
            .property("teardown.backoff", "100ms")
            .clock(clock)
            .build();
    clients.add(c);
    return c;
  }

  @Override
  public String linuxImage() {
    return "fedora-41";
  }

  @Override
  public String windowsImage() {
    return "win2022";
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
    faults.failAt(workload, stage, reason, "injected failure: " + reason);
  }

  @Override
  public void hangAt(String workload, Stage stage) {
    faults.hangBefore(workload, stage);
  }

  @Override
  public void failTeardownOnce() {
    if (embedded == null) {
      throw new UnsupportedOperationException("a real API server cannot be made to fail a delete");
    }
    // fabric8 retries a 5xx itself (request-retries), so the failure must outlast those retries to
    // reach the
    // runtime, which then retries the whole teardown.
    embedded.inject(
        RequestFault.next(KubernetesConnection.DEFAULT_RETRIES + 1, "DELETE", ".*")
            .withUserAgent(KubernetesConnection.USER_AGENT)
            .withStatus(500, "InternalError", "injected failure: the delete failed"));
  }

  @Override
  public void clearFaults() {
    faults.clear();
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
