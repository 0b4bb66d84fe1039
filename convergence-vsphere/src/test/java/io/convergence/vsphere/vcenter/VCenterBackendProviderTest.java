package io.convergence.vsphere.vcenter;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.config.ConvergenceConfig;
import io.convergence.spi.Availability;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VCenterBackendProviderTest {

  @Test
  void unavailableWithoutSettingsNamesThem() {
    Availability a =
        new VCenterBackendProvider()
            .availability(
                ConvergenceConfig.load(Map.of(), new java.util.Properties(), Map.of(), null)
                    .scoped("vsphere-vcenter"));
    assertThat(a.available()).isFalse();
    assertThat(a.reason()).contains("vsphere-vcenter.url");
  }

  @Test
  void unavailableWhenNothingListensAndSaysWhatToCheck() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ConvergenceConfig config =
        ConvergenceConfig.load(
                Map.of(
                    "convergence.vsphere-vcenter.url", "https://127.0.0.1:" + port + "/sdk",
                    "convergence.vsphere-vcenter.username", "u",
                    "convergence.vsphere-vcenter.password", "never-printed",
                    "convergence.vsphere-vcenter.datacenter", "DC0",
                    "convergence.vsphere-vcenter.connect-timeout", "2s"),
                new java.util.Properties(),
                Map.of(),
                null)
            .scoped("vsphere-vcenter");
    long start = System.nanoTime();
    Availability a = new VCenterBackendProvider().availability(config);
    assertThat(a.available()).isFalse();
    assertThat(a.reason()).contains("127.0.0.1").doesNotContain("never-printed");
    assertThat((System.nanoTime() - start) / 1_000_000_000).isLessThan(20);
  }
}
