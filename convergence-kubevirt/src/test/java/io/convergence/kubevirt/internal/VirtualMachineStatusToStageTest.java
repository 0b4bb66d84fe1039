package io.convergence.kubevirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.kubernetes.Observation;
import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VirtualMachineStatusToStageTest {

  private static GenericKubernetesResource obj(String kind, String statusJson) {
    return Serialization.unmarshal(
        "{\"apiVersion\":\"kubevirt.io/v1\",\"kind\":\""
            + kind
            + "\",\"metadata\":{\"name\":\"vm\"},\"status\":"
            + statusJson
            + "}",
        GenericKubernetesResource.class);
  }

  private static Observation observe(
      String vmStatus, String vmiStatus, boolean agent, boolean probe) {
    return VirtualMachineStatusToStage.observe(
        obj("VirtualMachine", vmStatus),
        vmiStatus == null ? null : obj("VirtualMachineInstance", vmiStatus),
        List.of(),
        agent,
        probe,
        false);
  }

  @Test
  @DisplayName("phases map to stages in KubeVirt's order")
  void phases() {
    assertThat(observe("{\"printableStatus\":\"Starting\"}", null, false, false))
        .isEqualTo(Observation.NOTHING);
    assertThat(
            observe(
                    "{\"printableStatus\":\"Starting\"}",
                    "{\"phase\":\"Scheduling\"}",
                    false,
                    false)
                .reached())
        .isNull();
    assertThat(observe("{}", "{\"phase\":\"Scheduled\",\"nodeName\":\"n1\"}", false, false))
        .isEqualTo(Observation.reached(Stage.SCHEDULED, "on n1"));
    assertThat(
            observe(
                    "{}",
                    "{\"phase\":\"Running\",\"nodeName\":\"n1\",\"interfaces\":[{\"name\":\"default\"}]}",
                    false,
                    false)
                .reached())
        .isEqualTo(Stage.RUNNING);
    assertThat(
            observe(
                "{}",
                "{\"phase\":\"Running\",\"interfaces\":[{\"ipAddress\":\"10.0.0.9\"}]}",
                false,
                false))
        .isEqualTo(Observation.reached(Stage.NETWORK, "10.0.0.9"));
  }

  @Test
  @DisplayName("the guest stage waits for AgentConnected, the probe stage for Ready")
  void agentAndProbe() {
    String running = "\"phase\":\"Running\",\"interfaces\":[{\"ipAddress\":\"10.0.0.9\"}]";
    assertThat(observe("{}", "{" + running + "}", true, false).reached()).isEqualTo(Stage.NETWORK);
    assertThat(
            observe(
                "{}",
                "{"
                    + running
                    + ",\"conditions\":[{\"type\":\"AgentConnected\",\"status\":\"True\"}],"
                    + "\"guestOSInfo\":{\"prettyName\":\"Fedora Linux 41\"}}",
                true,
                false))
        .isEqualTo(Observation.reached(Stage.GUEST, "agent connected: Fedora Linux 41"));
    assertThat(
            observe(
                    "{}",
                    "{" + running + ",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}",
                    true,
                    true)
                .reached())
        .as("ready but agent expected and missing")
        .isEqualTo(Stage.NETWORK);
    assertThat(
            observe(
                    "{}",
                    "{"
                        + running
                        + ",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"},"
                        + "{\"type\":\"AgentConnected\",\"status\":\"True\"}]}",
                    true,
                    true)
                .reached())
        .isEqualTo(Stage.PROBE);
  }

  @Test
  @DisplayName(
      "printableStatus and DataVolume failures fail fast with the platform's reason and message")
  void failures() {
    Observation pull =
        observe(
            "{\"printableStatus\":\"ErrImagePull\",\"conditions\":[{\"type\":\"Ready\","
                + "\"status\":\"False\",\"message\":\"failed to pull image quay.io/x/y\"}]}",
            null,
            false,
            false);
    assertThat(pull.failure()).isNotNull();
    assertThat(pull.failure().stage()).isEqualTo(Stage.RUNNING);
    assertThat(pull.failure().reason()).isEqualTo("ErrImagePull");
    assertThat(pull.failure().message()).isEqualTo("failed to pull image quay.io/x/y");

    Observation unschedulable =
        observe("{\"printableStatus\":\"ErrorUnschedulable\"}", null, false, false);
    assertThat(unschedulable.failure().stage()).isEqualTo(Stage.SCHEDULED);

    GenericKubernetesResource dv =
        obj(
            "DataVolume",
            "{\"phase\":\"Failed\",\"conditions\":[{\"type\":\"Running\","
                + "\"status\":\"False\",\"reason\":\"Error\",\"message\":\"Unable to connect to http data source\"}]}");
    Observation importFailed =
        VirtualMachineStatusToStage.observe(
            obj("VirtualMachine", "{\"printableStatus\":\"Provisioning\"}"),
            null,
            List.of(dv),
            false,
            false,
            false);
    assertThat(importFailed.failure().stage()).isEqualTo(Stage.SCHEDULED);
    assertThat(importFailed.failure().reason()).isEqualTo("Error");
    assertThat(importFailed.failure().message()).contains("Unable to connect to http data source");

    assertThat(observe("{}", "{\"phase\":\"Failed\"}", false, false).failure().reason())
        .isEqualTo("VMIFailed");
  }
}
