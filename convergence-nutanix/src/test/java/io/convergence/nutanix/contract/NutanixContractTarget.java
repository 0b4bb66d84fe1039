package io.convergence.nutanix.contract;

import io.convergence.Convergence;
import io.convergence.Ownership;
import io.convergence.kubernetes.KubernetesConnection;
import io.convergence.kubernetes.KubernetesTeardown;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.nutanix.NutanixBackendProvider;
import io.convergence.nutanix.internal.NutanixBackend;
import io.convergence.spec.Stage;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.PlatformObject;
import io.convergence.testkit.kubernetes.ClusterView;
import io.convergence.testkit.kubernetes.RequestFault;
import io.convergence.testkit.prism.FakePrismCentral;
import io.convergence.testkit.prism.PrismCategory;
import io.convergence.testkit.prism.PrismVm;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The contract suite's view of a {@link NutanixEnvironment}: categories, VMs and recovery points on
 * the fake Prism Central, and every labelled object of the embedded cluster. A VM's labels are the
 * ones its description carries (the backend's ownership) plus {@code convergence.io/lab-id} from
 * its {@code ConvergenceLab} category; a category's is its value. Requests are counted by the
 * backends' {@link RequestCounter}s, Prism and Kubernetes calls alike.
 */
public final class NutanixContractTarget implements ContractTarget {

  private final NutanixEnvironment env;
  private final KubernetesClient kube;
  private final Duration readiness;
  private final ClusterView cluster;
  private final List<Convergence> clients = new CopyOnWriteArrayList<>();

  /**
   * A target over the environment.
   *
   * @param env the fakes
   * @param readiness how long a workload takes at most through its stages
   */
  public NutanixContractTarget(NutanixEnvironment env, Duration readiness) {
    this.env = env;
    this.kube = env.kubernetes.client();
    this.readiness = readiness;
    this.cluster = new ClusterView(kube, KubernetesTeardown.BUILT_IN);
  }

  /**
   * The settings that point the {@code nutanix} backend at the fakes.
   *
   * @return setting (without {@code convergence.}) to value
   */
  public Map<String, String> settings() {
    FakePrismCentral pc = env.prism;
    Map<String, String> s = new LinkedHashMap<>();
    s.put("nutanix.url", pc.baseUri().toString());
    s.put("nutanix.username", FakePrismCentral.DEFAULT_USERNAME);
    s.put("nutanix.password", FakePrismCentral.DEFAULT_PASSWORD);
    s.put("nutanix.cluster", FakePrismCentral.DEFAULT_CLUSTER);
    s.put("nutanix.subnet", FakePrismCentral.DEFAULT_SUBNET);
    s.put("nutanix.kubeconfig", env.kubernetes.kubeconfig().toString());
    s.put("nutanix.task-timeout", "30s");
    s.put("teardown.backoff", "100ms");
    return s;
  }

  @Override
  public Convergence connect(Clock clock) {
    return connect(clock, Map.of());
  }

  /**
   * A client with more (or other) settings.
   *
   * @param clock the clock
   * @param extra settings (without {@code convergence.}) that replace or add to {@link #settings()}
   * @return the client
   */
  public Convergence connect(Clock clock, Map<String, String> extra) {
    Convergence.Builder b = Convergence.builder().backend(NutanixBackendProvider.ID).clock(clock);
    settings().forEach(b::property);
    extra.forEach(b::property);
    Convergence c = b.build();
    clients.add(c);
    return c;
  }

  @Override
  public String linuxImage() {
    return FakePrismCentral.UBUNTU_IMAGE;
  }

  @Override
  public String windowsImage() {
    return FakePrismCentral.WINDOWS_IMAGE;
  }

  @Override
  public String containerImage() {
    return "python:3.12-slim";
  }

  @Override
  public List<PlatformObject> objects() {
    List<PlatformObject> out = new ArrayList<>();
    Map<String, String> labOfCategory = new LinkedHashMap<>();
    for (PrismCategory c : env.prism.categories()) {
      if (c.key().equals(NutanixBackend.LAB_CATEGORY)) {
        labOfCategory.put(c.extId(), c.value());
        Map<String, String> labels = new LinkedHashMap<>(keyValueLines(c.description()));
        labels.put(Ownership.LAB_ID_KEY, c.value());
        out.add(new PlatformObject("Category", c.key() + "=" + c.value(), labels));
      }
    }
    for (PrismVm vm : env.prism.vms()) {
      Map<String, String> labels =
          new LinkedHashMap<>(keyValueLines(vm.json().path("description").asText("")));
      for (String c : vm.categoryExtIds()) {
        String lab = labOfCategory.get(c);
        if (lab != null) {
          labels.put(Ownership.LAB_ID_KEY, lab);
        }
      }
      out.add(new PlatformObject("VirtualMachine", vm.name(), labels));
    }
    // recovery points are named <lab id>.<workload>.<snapshot>
    env.prism
        .recoveryPoints()
        .forEach(
            rp -> {
              int dot = rp.name().indexOf('.');
              out.add(
                  new PlatformObject(
                      "RecoveryPoint",
                      rp.name(),
                      dot <= 0
                          ? Map.of()
                          : Map.of(Ownership.LAB_ID_KEY, rp.name().substring(0, dot))));
            });
    out.addAll(cluster.objects());
    return out;
  }

  /** The key=value lines of a description. */
  private static Map<String, String> keyValueLines(@Nullable String description) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (description == null) {
      return labels;
    }
    for (String line : description.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        labels.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
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

  /** The suite fails and stalls containers (its "broken" and "slow" workloads are containers). */
  @Override
  public void failAt(String workload, Stage stage, String reason) {
    env.faults.failAt(workload, stage, reason, "injected failure: " + reason);
  }

  @Override
  public void hangAt(String workload, Stage stage) {
    env.faults.hangBefore(workload, stage);
  }

  @Override
  public void failTeardownOnce() {
    env.kubernetes.inject(
        RequestFault.next(KubernetesConnection.DEFAULT_RETRIES + 1, "DELETE", ".*")
            .withUserAgent(KubernetesConnection.USER_AGENT)
            .withStatus(500, "InternalError", "injected failure: the delete failed"));
  }

  @Override
  public void clearFaults() {
    env.faults.clear();
    env.kubernetes.clearFaults();
    env.prism.faults().clear();
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
