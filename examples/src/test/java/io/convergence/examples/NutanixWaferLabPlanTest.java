package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.Convergence;
import io.convergence.plan.Plan;
import io.convergence.spec.SecretValue;
import io.convergence.testkit.prism.FakePrismCentral;
import org.junit.jupiter.api.Test;

/**
 * The sample converged lab's plan on Nutanix, in the default tier: the plan looks the cluster,
 * subnet and images up in the fake Prism Central and renders the AHV VMs, the lab's category, the
 * claim and the in-lab file server, with every secret redacted. Running the lab needs listeners on
 * the guests' SSH and WinRM ports, so that is {@link NutanixWaferLabIT}, in the integration tier.
 */
class NutanixWaferLabPlanTest {

  @Test
  void theSampleLabPlansOnTheFakePrismCentralWithSecretsRedacted() {
    try (Convergence client = Convergence.builder().backend("nutanix-simulator").build()) {
      Plan plan =
          client.plan(
              SampleLabs.waferAnalysis(
                  "wafer-nutanix",
                  FakePrismCentral.WINDOWS_IMAGE,
                  FakePrismCentral.UBUNTU_IMAGE,
                  SecretValue.of(SampleLabs.DEMO_UNATTEND)));
      assertThat(plan.render())
          .contains(
              "ConvergenceLab",
              "Sysprep",
              "CloudInit",
              FakePrismCentral.WINDOWS_IMAGE,
              FakePrismCentral.UBUNTU_IMAGE,
              "LoadBalancer",
              "results-smb")
          .doesNotContain("demo-only");
    }
  }
}
