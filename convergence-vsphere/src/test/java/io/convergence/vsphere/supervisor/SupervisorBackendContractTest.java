package io.convergence.vsphere.supervisor;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import io.convergence.testkit.vmoperator.EmbeddedVmOperator;
import io.convergence.testkit.vmoperator.VcfRelease;
import io.convergence.testkit.vmoperator.VmOperatorSimulator;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite on the embedded vm-operator simulator (fabric8's CRUD mock, vm-operator main:
 * v1alpha6), every lab in one vSphere Namespace.
 */
class SupervisorBackendContractTest extends AbstractBackendContractTest {

  private static EmbeddedVmOperator supervisor;
  private static SupervisorContractTarget target;

  @BeforeAll
  static void start() {
    supervisor =
        EmbeddedVmOperator.start(
            VcfRelease.UPSTREAM_MAIN,
            VmOperatorSimulator.builder()
                .latency(Duration.ofMillis(15))
                .namespaces(SupervisorContractTarget.NAMESPACE));
    target = new SupervisorContractTarget(supervisor, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() {
    supervisor.close();
  }

  @Override
  protected ContractTarget target() {
    return target;
  }
}
