package io.convergence.testkit.vmoperator;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.kubernetes.EmbeddedKubernetes;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.Latencies;
import io.convergence.testkit.vmoperator.internal.MinimalCrds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * An in-process Supervisor namespace API: an {@link EmbeddedKubernetes} API server (without the
 * KubeVirt CRDs) with minimal vm-operator CRDs of a {@link VcfRelease} (names, scope, served
 * versions, status subresource; any content accepted) and a {@link VmOperatorSimulator} running on
 * it. The mock announces only the newest version of each CRD through discovery and keeps each
 * version's objects apart (it converts nothing), so clients should use the release's newest
 * version, as discovery tells them and as the simulator does.
 *
 * <pre>{@code
 * try (EmbeddedVmOperator sv = EmbeddedVmOperator.start()) {
 *   sv.simulator().seedNamespace("lab-1");
 *   KubernetesClient client = sv.client();      // or any client built from sv.kubeconfig()
 *   VmOperatorFaults.neverGetsIp(sv.faults(), "tester");
 *   ...
 * }
 * }</pre>
 *
 * <p>The mock validates nothing against the real schemas; tests check what the simulator writes
 * against {@code shared/data/vm-operator-crds} with {@link
 * io.convergence.testkit.schema.CrdSchemas}, and the integration tier runs it on a real
 * kube-apiserver.
 *
 * @since 0.1.0
 */
public final class EmbeddedVmOperator implements AutoCloseable {

  private final EmbeddedKubernetes kubernetes;
  private final VmOperatorSimulator simulator;
  private final VcfRelease release;

  private EmbeddedVmOperator(
      EmbeddedKubernetes kubernetes, VmOperatorSimulator simulator, VcfRelease release) {
    this.kubernetes = kubernetes;
    this.simulator = simulator;
    this.release = release;
  }

  /**
   * Starts a server with the defaults: {@link VcfRelease#UPSTREAM_MAIN}, 20ms per step, no faults,
   * the default classes and images.
   *
   * @return the running server
   */
  public static EmbeddedVmOperator start() {
    return start(VcfRelease.UPSTREAM_MAIN, VmOperatorSimulator.builder());
  }

  /**
   * Starts a server of a release with these simulator settings.
   *
   * @param release the release whose API versions are served
   * @param simulator the simulator's settings
   * @return the running server
   */
  public static EmbeddedVmOperator start(
      VcfRelease release, VmOperatorSimulator.Builder simulator) {
    return start(EmbeddedKubernetes.builder().kubeVirtCrds(false), release, simulator);
  }

  /**
   * Starts a server with these server, release and simulator settings.
   *
   * @param kubernetes the server's settings
   * @param release the release whose API versions are served
   * @param simulator the simulator's settings
   * @return the running server
   */
  public static EmbeddedVmOperator start(
      EmbeddedKubernetes.Builder kubernetes,
      VcfRelease release,
      VmOperatorSimulator.Builder simulator) {
    requireNonNull(kubernetes, "kubernetes");
    requireNonNull(release, "release");
    requireNonNull(simulator, "simulator");
    EmbeddedKubernetes k8s = kubernetes.start();
    try {
      for (CustomResourceDefinition crd :
          MinimalCrds.of(release.servedVersions(), release.snapshotVersions())) {
        k8s.client().apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
      VmOperatorSimulator sim = simulator.start(k8s.newClient(VmOperatorSimulator.USER_AGENT));
      sim.kubelet().ifPresent(k8s::servePodLogs);
      k8s.resetRequests();
      return new EmbeddedVmOperator(k8s, sim, release);
    } catch (RuntimeException e) {
      k8s.close();
      throw e;
    }
  }

  /**
   * A client of the server (fabric8's default user agent, namespace {@code default}).
   *
   * @return the client, closed with the server
   */
  public KubernetesClient client() {
    return kubernetes.client();
  }

  /**
   * A new client with its own user agent, closed with the server.
   *
   * @param userAgent e.g. {@code convergence/0.1.0}, or null for fabric8's default
   * @return the client
   */
  public KubernetesClient newClient(@Nullable String userAgent) {
    return kubernetes.newClient(userAgent);
  }

  /**
   * The kubeconfig of the server.
   *
   * @return the path
   */
  public Path kubeconfig() {
    return kubernetes.kubeconfig();
  }

  /**
   * The API server (fault injection, request counts and log).
   *
   * @return the server
   */
  public EmbeddedKubernetes kubernetes() {
    return kubernetes;
  }

  /**
   * The simulators.
   *
   * @return the simulator
   */
  public VmOperatorSimulator simulator() {
    return simulator;
  }

  /**
   * The release whose API versions are served.
   *
   * @return the release
   */
  public VcfRelease release() {
    return release;
  }

  /**
   * The {@code apiVersion} clients should use, e.g. {@code vmoperator.vmware.com/v1alpha6}.
   *
   * @return the API version
   */
  public String apiVersion() {
    return simulator.controller().apiVersion();
  }

  /**
   * The platform faults (shortcut for {@code simulator().faults()}).
   *
   * @return the faults
   */
  public Faults faults() {
    return simulator.faults();
  }

  /**
   * The platform latencies (shortcut for {@code simulator().latencies()}).
   *
   * @return the latencies
   */
  public Latencies latencies() {
    return simulator.latencies();
  }

  /** Stops the simulators, then the server. */
  @Override
  public void close() {
    try {
      simulator.close();
    } finally {
      kubernetes.close();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedVmOperator{" + kubernetes.url() + ", " + release + "}";
  }
}
