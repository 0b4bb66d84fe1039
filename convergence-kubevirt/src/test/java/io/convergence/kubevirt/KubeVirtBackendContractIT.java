package io.convergence.kubevirt;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.kubernetes.Faults;
import io.convergence.testkit.kubernetes.KubeApiServer;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite against a REAL kube-apiserver with KubeVirt's and CDI's real CRD schemas
 * (validation, pruning, status subresources, garbage collection, the namespace controller), driven
 * by the same fake controllers as the default tier. Every object the backend sends must be accepted
 * as it is.
 */
class KubeVirtBackendContractIT extends AbstractBackendContractTest {

  private static KubeApiServer server;
  private static KubeVirtSimulator simulator;
  private static KubeVirtContractTarget target;

  @BeforeAll
  static void start() throws Exception {
    Path shared =
        KubeApiServer.sharedDir()
            .orElseThrow(() -> new IllegalStateException("../shared not found"));
    server =
        KubeApiServer.start(
                Files.createTempDirectory("convergence-kube-apiserver-"),
                shared.resolve("data/kubevirt-crds"),
                shared.resolve("data/cdi-crds"))
            .orSkip();
    Faults faults = new Faults();
    simulator =
        KubeVirtSimulator.builder()
            .latency(Duration.ofMillis(15))
            .faults(faults)
            .start(server.newClient(KubeVirtSimulator.USER_AGENT));
    target =
        new KubeVirtContractTarget(
            server.kubeconfig(), server.client(), faults, null, Duration.ofSeconds(5));
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
