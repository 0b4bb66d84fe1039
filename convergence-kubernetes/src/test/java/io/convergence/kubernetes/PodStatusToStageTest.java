package io.convergence.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PodStatusToStageTest {

  private static Pod pod(String specJson, String statusJson) {
    return Serialization.unmarshal(
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":"
            + specJson
            + ",\"status\":"
            + statusJson
            + "}",
        Pod.class);
  }

  @Test
  @DisplayName("a pod moves through scheduled, running, network and probe")
  void stages() {
    assertThat(PodStatusToStage.observe(pod("{}", "{\"phase\":\"Pending\"}"), false))
        .isEqualTo(Observation.NOTHING);
    assertThat(
            PodStatusToStage.observe(
                pod(
                    "{\"nodeName\":\"n1\"}",
                    "{\"phase\":\"Pending\",\"conditions\":"
                        + "[{\"type\":\"PodScheduled\",\"status\":\"True\"}]}"),
                false))
        .isEqualTo(Observation.reached(Stage.SCHEDULED, "on n1"));
    String running =
        "\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{}}}]";
    assertThat(
            PodStatusToStage.observe(pod("{\"nodeName\":\"n1\"}", "{" + running + "}"), false)
                .reached())
        .isEqualTo(Stage.RUNNING);
    assertThat(
            PodStatusToStage.observe(
                pod("{\"nodeName\":\"n1\"}", "{" + running + ",\"podIP\":\"10.1.2.3\"}"), true))
        .isEqualTo(Observation.reached(Stage.NETWORK, "10.1.2.3"));
    assertThat(
            PodStatusToStage.observe(
                    pod(
                        "{\"nodeName\":\"n1\"}",
                        "{"
                            + running
                            + ",\"podIP\":\"10.1.2.3\","
                            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}"),
                    true)
                .reached())
        .isEqualTo(Stage.PROBE);
  }

  @Test
  @DisplayName(
      "unschedulable, image pull errors and exited containers fail fast with the pod's own words")
  void failures() {
    var unschedulable =
        PodStatusToStage.observe(
            pod(
                "{}",
                "{\"phase\":\"Pending\",\"conditions\":[{\"type\":"
                    + "\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are"
                    + " available: 3 Insufficient cpu.\"}]}"),
            false);
    assertThat(unschedulable.failure().stage()).isEqualTo(Stage.SCHEDULED);
    assertThat(unschedulable.failure().message())
        .isEqualTo("0/3 nodes are available: 3 Insufficient cpu.");

    var pull =
        PodStatusToStage.observe(
            pod(
                "{\"nodeName\":\"n1\"}",
                "{\"phase\":\"Pending\",\"containerStatuses\":"
                    + "[{\"name\":\"c\",\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\",\"message\":\"Back-off pulling"
                    + " image nope:1\"}}}]}"),
            false);
    assertThat(pull.failure().reason()).isEqualTo("ImagePullBackOff");
    assertThat(pull.failure().stage()).isEqualTo(Stage.RUNNING);

    var exited =
        PodStatusToStage.observe(
            pod(
                "{\"nodeName\":\"n1\"}",
                "{\"phase\":\"Failed\",\"containerStatuses\":"
                    + "[{\"name\":\"c\",\"state\":{\"terminated\":{\"exitCode\":2,\"reason\":\"Error\"}}}]}"),
            false);
    assertThat(exited.failure().message()).contains("exited with code 2");
  }

  @Test
  @DisplayName(
      "unschedulable for want of room fails fast; unschedulable until its claims bind is waited for")
  void unschedulable() {
    String unbound =
        "{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
            + "\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are available: 3 pod has unbound"
            + " immediate PersistentVolumeClaims.\"}]}";
    assertThat(PodStatusToStage.observe(pod("{}", unbound), false)).isEqualTo(Observation.NOTHING);
    String full =
        "{\"phase\":\"Pending\",\"conditions\":[{\"type\":\"PodScheduled\",\"status\":\"False\","
            + "\"reason\":\"Unschedulable\",\"message\":\"0/3 nodes are available: 3 Insufficient"
            + " cpu.\"}]}";
    Observation o = PodStatusToStage.observe(pod("{}", full), false);
    assertThat(o.failure()).isNotNull();
    assertThat(o.failure().stage()).isEqualTo(Stage.SCHEDULED);
    assertThat(o.failure().message()).contains("Insufficient cpu");
  }
}
