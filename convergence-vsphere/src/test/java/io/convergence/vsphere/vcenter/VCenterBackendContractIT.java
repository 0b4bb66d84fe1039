package io.convergence.vsphere.vcenter;

import io.convergence.testkit.AbstractBackendContractTest;
import io.convergence.testkit.ContractTarget;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite on vcsim (VMs) and the embedded Kubernetes API server with the fake kubelet
 * (containers), prepared by {@link VcsimEnvironment}.
 *
 * <p>Not green yet: the checks that use a shared volume (lifecycle, stageOrder, references,
 * ownership, planOnly, failureRollsBack) fail because the backend does not offer shared volumes
 * yet. They are left failing on purpose, not opted out: shared volumes are the next step.
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
