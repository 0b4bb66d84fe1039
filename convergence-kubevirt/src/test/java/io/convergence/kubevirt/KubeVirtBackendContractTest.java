package io.convergence.kubevirt;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite on the embedded API server (fabric8's CRUD mock) with the fake KubeVirt
 * controllers.
 */
class KubeVirtBackendContractTest extends AbstractBackendContractTest {

  private static EmbeddedKubeVirt cluster;
  private static KubeVirtContractTarget target;

  @BeforeAll
  static void start() {
    cluster = EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(Duration.ofMillis(15)));
    target =
        new KubeVirtContractTarget(
            cluster.kubeconfig(),
            cluster.client(),
            cluster.faults(),
            cluster.kubernetes(),
            Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Override
  protected ContractTarget target() {
    return target;
  }
}
