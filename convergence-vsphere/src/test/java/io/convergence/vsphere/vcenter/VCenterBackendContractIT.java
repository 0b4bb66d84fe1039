package io.convergence.vsphere.vcenter;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on vcsim (VMs) and the embedded Kubernetes API server with the fake kubelet
 * (containers), the fake volume provisioner and the fake load balancer (shared volumes reach the
 * VMs through the in-lab file server's LoadBalancer Service), prepared by {@link VcsimEnvironment}.
 * Every check runs; none is opted out.
 */
class VCenterBackendContractIT extends AbstractBackendContractTest {

  private static VcsimEnvironment env;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    env = VcsimEnvironment.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    if (env != null) {
      env.close();
    }
  }

  @Override
  protected ContractTarget target() {
    return env.target;
  }
}
