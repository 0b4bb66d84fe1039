package io.convergence.vsphere.vcenter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.kubernetes.Observation;
import io.convergence.spec.Stage;
import org.junit.jupiter.api.Test;

class VimStatusToStageTest {

  private static Stage stage(
      String power,
      String host,
      String ip,
      String tools,
      boolean guest,
      boolean probe,
      boolean ok) {
    Observation o =
        VimStatusToStage.observe(
            new VimStatusToStage.Seen(true, power, host, ip, tools, guest, probe, ok));
    return o.reached();
  }

  @Test
  void nothingBeforeTheClone() {
    assertThat(
            VimStatusToStage.observe(
                new VimStatusToStage.Seen(false, null, null, null, null, false, false, false)))
        .isEqualTo(Observation.NOTHING);
  }

  @Test
  void stagesFollowTheProperties() {
    assertThat(stage("poweredOff", null, null, null, false, false, false)).isEqualTo(Stage.CREATED);
    assertThat(stage("poweredOff", "host-21", null, null, false, false, false))
        .isEqualTo(Stage.SCHEDULED);
    assertThat(stage("poweredOn", "host-21", null, null, false, false, false))
        .isEqualTo(Stage.RUNNING);
    assertThat(stage("poweredOn", "host-21", "10.0.0.5", null, false, false, false))
        .isEqualTo(Stage.NETWORK);
  }

  @Test
  void guestWaitsForTools() {
    assertThat(stage("poweredOn", "h", "10.0.0.5", "guestToolsNotRunning", true, false, false))
        .isEqualTo(Stage.NETWORK);
    assertThat(stage("poweredOn", "h", "10.0.0.5", "guestToolsRunning", true, false, false))
        .isEqualTo(Stage.GUEST);
    assertThat(stage("poweredOn", "h", "10.0.0.5", "guestToolsRunning", true, true, false))
        .isEqualTo(Stage.GUEST);
    assertThat(stage("poweredOn", "h", "10.0.0.5", "guestToolsRunning", true, true, true))
        .isEqualTo(Stage.PROBE);
  }

  @Test
  void probeWithoutGuestAgent() {
    assertThat(stage("poweredOn", "h", "10.0.0.5", null, false, true, false))
        .isEqualTo(Stage.NETWORK);
    assertThat(stage("poweredOn", "h", "10.0.0.5", null, false, true, true)).isEqualTo(Stage.PROBE);
  }
}
