package io.convergence.nutanix.contract;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract suite on the fake Prism Central (VMs) and the embedded Kubernetes API server with
 * the fake kubelet, provisioner and load balancer (containers, shared volumes). Every check runs;
 * none is opted out. An integration test because the suite's VMs are probed on port 22 of their
 * learned (loopback) address, which needs a privileged port bound on this machine.
 */
class NutanixBackendContractIT extends AbstractBackendContractTest {

  private static NutanixEnvironment env;
  private static NutanixContractTarget target;

  @BeforeAll
  static void start() throws Exception {
    env = NutanixEnvironment.start();
    env.listen(22);
    target = new NutanixContractTarget(env, Duration.ofSeconds(3));
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Override
  protected ContractTarget target() {
    return target;
  }
}
