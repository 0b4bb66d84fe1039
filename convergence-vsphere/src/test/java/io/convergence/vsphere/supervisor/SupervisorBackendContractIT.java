package io.convergence.vsphere.supervisor;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against a REAL kube-apiserver with vm-operator's real CRD schemas ({@code
 * shared/data/vm-operator-crds}: validation, pruning, version conversion, status subresources,
 * garbage collection), driven by the same vm-operator simulator as the default tier. Every object
 * the backend sends must be accepted as it is.
 */
class SupervisorBackendContractIT extends AbstractBackendContractTest {

  private static KubeApiServer server;
  private static VmOperatorSimulator simulator;
  private static SupervisorContractTarget target;

  @BeforeAll
  static void start() throws Exception {
    Path shared =
        KubeApiServer.sharedDir()
            .orElseThrow(() -> new IllegalStateException("../shared not found"));
    server =
        KubeApiServer.start(
                Files.createTempDirectory("convergence-kube-apiserver-"),
                shared.resolve("data/vm-operator-crds"))
            .orSkip();
    // The test server (kube-apiserver 1.20 built with a current Go) refuses empty strings in
    // custom resources (kubernetes/kubernetes#99804); the simulator writes vm-operator's empty
    // condition messages as a single space. A real Supervisor takes them empty.
    simulator =
        VmOperatorSimulator.builder()
            .latency(Duration.ofMillis(15))
            .emptyMessages(" ")
            .namespaces(SupervisorContractTarget.NAMESPACE)
            .start(server.newClient(VmOperatorSimulator.USER_AGENT));
    target =
        new SupervisorContractTarget(
            server.kubeconfig(), server.client(), simulator, null, Duration.ofSeconds(5));
  }

  @AfterAll
  static void stop() {
    if (simulator != null) {
      simulator.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected ContractTarget target() {
    return target;
  }

  @Override
  protected void teardownRetry() {
    // A real API server cannot be made to fail a delete; the default tier injects the failure.
  }
}
