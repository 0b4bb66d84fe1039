package io.convergence.kubernetes;

import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Maps a Pod's status to readiness stages: {@code PodScheduled=True} is scheduled, every container
 * running is running, a pod IP is network, {@code Ready=True} is the probe stage (the kubelet ran
 * the readiness probe). Failures that will not heal by waiting fail fast with the pod's own reason
 * and message: Unschedulable, image pull errors, bad configuration, a container that exited or
 * crash-loops, a Failed pod. Pure.
 *
 * @since 0.1.0
 */
public final class PodStatusToStage {

  private static final Set<String> IMAGE_ERRORS =
      Set.of(
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "ErrImageNeverPull",
          "RegistryUnavailable");
  private static final Set<String> CONFIG_ERRORS =
      Set.of("CreateContainerConfigError", "CreateContainerError", "RunContainerError");

  private PodStatusToStage() {}

  /**
   * Whether an Unschedulable message only says the pod's claims are not bound yet, which the
   * scheduler retries by itself once a provisioner binds them, e.g. {@code 0/3 nodes are available:
   * 3 pod has unbound immediate PersistentVolumeClaims.}
   *
   * @param message the PodScheduled condition's message
   * @return whether the pod waits for its volumes
   */
  static boolean waitsForVolumeBinding(String message) {
    return message.contains("unbound immediate PersistentVolumeClaims")
        || message.contains("waiting for first consumer")
        || message.contains("persistentvolumeclaim") && message.contains("not found");
  }

  /**
   * What a pod's status says.
   *
   * @param pod the pod
   * @param waitForReady whether the workload's last stage is the probe stage (the pod's Ready
   *     condition)
   * @return the observation
   */
  public static Observation observe(Pod pod, boolean waitForReady) {
    PodStatus status = pod.getStatus();
    if (status == null) {
      return Observation.NOTHING;
    }
    Optional<PodCondition> scheduled = condition(status, "PodScheduled");
    if (scheduled.isPresent()
        && "False".equals(scheduled.get().getStatus())
        && "Unschedulable".equals(scheduled.get().getReason())) {
      String message = String.valueOf(scheduled.get().getMessage());
      if (waitsForVolumeBinding(message)) {
        // The scheduler retries once the claims bind (a provisioner is still at work): not a
        // failure yet; the scheduled stage's timeout decides, with this message in the diagnostics.
        return Observation.NOTHING;
      }
      return Observation.failed(
          Stage.SCHEDULED,
          "Unschedulable",
          String.valueOf(scheduled.get().getMessage()),
          "check that the cluster has room for the workload's CPU and memory and that its volumes can bind");
    }
    for (ContainerStatus c : containers(status)) {
      if (c.getState() != null && c.getState().getWaiting() != null) {
        String reason = String.valueOf(c.getState().getWaiting().getReason());
        String message = String.valueOf(c.getState().getWaiting().getMessage());
        if (IMAGE_ERRORS.contains(reason)) {
          return Observation.failed(
              Stage.RUNNING,
              reason,
              message,
              "check the image name and that the cluster can pull it (registry reachable, imagePullSecrets)");
        }
        if (CONFIG_ERRORS.contains(reason)) {
          return Observation.failed(
              Stage.RUNNING, reason, message, "check the container's env, secrets and mounts");
        }
        if ("CrashLoopBackOff".equals(reason)) {
          return Observation.failed(
              Stage.RUNNING, reason, message, "the container keeps exiting; read its logs");
        }
      }
      if (c.getState() != null && c.getState().getTerminated() != null) {
        var t = c.getState().getTerminated();
        return Observation.failed(
            Stage.RUNNING,
            t.getReason() == null ? "Terminated" : t.getReason(),
            "container "
                + c.getName()
                + " exited with code "
                + t.getExitCode()
                + (t.getMessage() == null ? "" : ": " + t.getMessage()),
            "a lab container must keep running; read its logs");
      }
    }
    if ("Failed".equals(status.getPhase())) {
      return Observation.failed(
          Stage.RUNNING,
          status.getReason() == null ? "Failed" : status.getReason(),
          status.getMessage() == null ? "the pod failed" : status.getMessage(),
          "read the pod's events and logs");
    }
    boolean isScheduled =
        scheduled.map(s -> "True".equals(s.getStatus())).orElse(false)
            || pod.getSpec() != null && pod.getSpec().getNodeName() != null;
    if (!isScheduled) {
      return Observation.NOTHING;
    }
    List<ContainerStatus> containers = containers(status);
    boolean running =
        "Running".equals(status.getPhase())
            && !containers.isEmpty()
            && containers.stream()
                .allMatch(c -> c.getState() != null && c.getState().getRunning() != null);
    if (!running) {
      return Observation.reached(Stage.SCHEDULED, "on " + nodeName(pod));
    }
    if (status.getPodIP() == null || status.getPodIP().isEmpty()) {
      return Observation.reached(Stage.RUNNING, "");
    }
    boolean ready = condition(status, "Ready").map(r -> "True".equals(r.getStatus())).orElse(false);
    if (waitForReady && ready) {
      return Observation.reached(Stage.PROBE, "ready");
    }
    return Observation.reached(Stage.NETWORK, status.getPodIP());
  }

  private static String nodeName(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null
        ? pod.getSpec().getNodeName()
        : "a node";
  }

  private static List<ContainerStatus> containers(PodStatus status) {
    return status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
  }

  /**
   * A condition of a pod status.
   *
   * @param status the status
   * @param type the condition type
   * @return the condition
   */
  public static Optional<PodCondition> condition(PodStatus status, String type) {
    if (status.getConditions() == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
