package io.convergence.kubernetes;

import io.convergence.WorkloadStatus;
import io.convergence.plan.NativeObject;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.Stage;
import io.convergence.spi.PlannedWorkload;
import io.convergence.spi.StageObserver;
import io.convergence.spi.WorkloadDetails;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Containers of a lab as Pods: what to send (pod, secret, service), how to follow their progress
 * from the lab's pod informer, and what they currently look like.
 *
 * @since 0.1.0
 */
public final class ContainerPlane {

  private final KubernetesLab lab;
  private final Map<String, LogLineFollower> followers = new ConcurrentHashMap<>();

  /**
   * The containers of one lab.
   *
   * @param lab the lab
   */
  public ContainerPlane(KubernetesLab lab) {
    this.lab = lab;
  }

  /**
   * The stages a container goes through: the probe stage only when it has probes.
   *
   * @param spec the container
   * @return the stages
   */
  public static List<Stage> stages(ContainerSpec spec) {
    List<Stage> stages =
        new ArrayList<>(List.of(Stage.CREATED, Stage.SCHEDULED, Stage.RUNNING, Stage.NETWORK));
    if (!spec.readiness().probes().isEmpty()) {
      stages.add(Stage.PROBE);
    }
    return stages;
  }

  /**
   * The objects a container's creation sends, in order: its env Secret, its Pod, its Service.
   *
   * @param workload the workload
   * @param spec the container
   * @param names the lab's names
   * @param podModifier a backend's last-mile change of the pod (from its typed options)
   * @return the objects
   */
  public static List<HasMetadata> objects(
      String workload, ContainerSpec spec, LabNames names, UnaryOperator<Pod> podModifier) {
    List<HasMetadata> objects = new ArrayList<>();
    ContainerSpecToPod.envSecret(workload, spec, names).ifPresent(objects::add);
    objects.add(podModifier.apply(ContainerSpecToPod.pod(workload, spec, names)));
    if (!spec.ports().isEmpty()) {
      objects.add(PortsToService.service(workload, spec.ports(), names, spec.labels()));
    }
    return objects;
  }

  /**
   * The plan entries of a container.
   *
   * @param workload the workload
   * @param spec the container
   * @param names the lab's names
   * @param podModifier a backend's last-mile change of the pod
   * @return the rendered objects
   */
  public static List<NativeObject> render(
      String workload, ContainerSpec spec, LabNames names, UnaryOperator<Pod> podModifier) {
    return objects(workload, spec, names, podModifier).stream().map(NativeObjects::render).toList();
  }

  /**
   * Creates a container's objects; idempotent.
   *
   * @param workload the workload
   * @param spec the container, references resolved
   * @param podModifier a backend's last-mile change of the pod
   */
  public void create(String workload, ContainerSpec spec, UnaryOperator<Pod> podModifier) {
    for (HasMetadata o : objects(workload, spec, lab.names(), podModifier)) {
      lab.createIfAbsent(o);
    }
  }

  /**
   * Reports a container's progress from its pod's changes, and follows its output for log-line
   * probes.
   *
   * @param planned the planned workload
   * @param observer where to report
   */
  public void observe(PlannedWorkload planned, StageObserver observer) {
    ContainerSpec spec = (ContainerSpec) planned.spec();
    boolean nativeProbe = !ProbeToKubernetesProbe.natives(spec.readiness()).isEmpty();
    List<Probe.LogLine> logLines =
        spec.readiness().probes().stream()
            .filter(p -> p instanceof Probe.LogLine)
            .map(p -> (Probe.LogLine) p)
            .toList();
    String workload = planned.name();
    lab.onPods(
        workload,
        pod -> {
          if (pod.getMetadata().getDeletionTimestamp() != null) {
            return;
          }
          Observation o = PodStatusToStage.observe(pod, nativeProbe);
          if (logLines.isEmpty()
              || o.failure() != null
              || o.reached() == null
              || o.reached().compareTo(Stage.NETWORK) < 0) {
            o.reportTo(observer);
            return;
          }
          boolean nativePassed = !nativeProbe || o.reached() == Stage.PROBE;
          observer.reached(Stage.NETWORK, pod.getStatus().getPodIP());
          followers
              .computeIfAbsent(
                  workload,
                  w ->
                      new LogLineFollower(
                          lab,
                          pod.getMetadata().getName(),
                          workload,
                          logLines,
                          spec.readiness().probeInterval()))
              .nativeProbePassed(nativePassed, observer);
        });
  }

  /**
   * What a container currently looks like, from the informer's cache (no request).
   *
   * @param workload the workload
   * @param spec the container
   * @return the details
   */
  public WorkloadDetails describe(String workload, ContainerSpec spec) {
    List<Pod> pods = lab.cachedPods(workload);
    if (pods.isEmpty()) {
      return new WorkloadDetails(
          WorkloadStatus.PENDING, "NoPod", null, Map.of(), List.of("no pod yet"));
    }
    Pod pod = pods.get(0);
    Observation o =
        PodStatusToStage.observe(pod, !ProbeToKubernetesProbe.natives(spec.readiness()).isEmpty());
    String phase = pod.getStatus() == null ? "Unknown" : String.valueOf(pod.getStatus().getPhase());
    WorkloadStatus status;
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      status = WorkloadStatus.DELETING;
    } else if (o.failure() != null) {
      status = WorkloadStatus.FAILED;
    } else if (o.reached() != null && o.reached().compareTo(Stage.NETWORK) >= 0) {
      status = WorkloadStatus.READY;
    } else {
      status = WorkloadStatus.PROVISIONING;
    }
    String backendStatus = o.failure() != null ? o.failure().reason() : phase;
    String host =
        spec.ports().isEmpty()
            ? (pod.getStatus() == null ? null : pod.getStatus().getPodIP())
            : lab.names().serviceHost(workload);
    Map<Integer, Integer> ports = new LinkedHashMap<>();
    spec.ports().forEach(p -> ports.put(p.number(), p.number()));
    return new WorkloadDetails(status, backendStatus, host, ports, diagnostics(pod));
  }

  /**
   * A pod's conditions and container states, one line each, for failure messages.
   *
   * @param pod the pod
   * @return the lines
   */
  public static List<String> diagnostics(Pod pod) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "pod "
            + pod.getMetadata().getName()
            + " phase "
            + (pod.getStatus() == null ? "?" : pod.getStatus().getPhase()));
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      pod.getStatus()
          .getConditions()
          .forEach(
              c ->
                  lines.add(
                      "condition "
                          + c.getType()
                          + "="
                          + c.getStatus()
                          + (c.getReason() == null ? "" : " " + c.getReason())
                          + (c.getMessage() == null ? "" : ": " + c.getMessage())));
    }
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus c : pod.getStatus().getContainerStatuses()) {
        var s = c.getState();
        String state =
            s == null
                ? "unknown"
                : s.getRunning() != null
                    ? "running"
                    : s.getWaiting() != null
                        ? "waiting "
                            + s.getWaiting().getReason()
                            + ": "
                            + s.getWaiting().getMessage()
                        : s.getTerminated() != null
                            ? "terminated "
                                + s.getTerminated().getReason()
                                + " exit "
                                + s.getTerminated().getExitCode()
                            : "unknown";
        lines.add(
            "container "
                + c.getName()
                + " "
                + state
                + (Boolean.TRUE.equals(c.getReady()) ? " (ready)" : ""));
      }
    }
    return lines;
  }

  /** Stops following logs; called when the lab is torn down. */
  public void close() {
    followers.values().forEach(LogLineFollower::close);
    followers.clear();
  }
}
