package io.convergence.kubevirt.internal;

import io.convergence.kubernetes.Observation;
import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a VirtualMachine, its VirtualMachineInstance and its DataVolumes to readiness stages, the
 * way KubeVirt reports them: the VMI's phase Scheduled is scheduled (DataVolumes imported, launcher
 * pod running), Running is running, an IP on the first interface is network, {@code
 * AgentConnected=True} is guest, the VMI's {@code Ready=True} is probe (virt-handler ran the
 * readiness probe). The VM's {@code printableStatus} and the DataVolumes' phases give failures that
 * will not heal by waiting. Pure.
 */
public final class VirtualMachineStatusToStage {

  private static final Set<String> IMAGE_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff");
  private static final Set<String> SCHEDULING_ERRORS =
      Set.of("ErrorUnschedulable", "ErrorPvcNotFound", "ErrorDataVolumeNotFound");

  /**
   * How many importer restarts with an error count as a failed import (CDI itself keeps retrying).
   */
  static final int IMPORT_ATTEMPTS = 3;

  private VirtualMachineStatusToStage() {}

  /**
   * What KubeVirt's objects say about a VM.
   *
   * @param vm the VirtualMachine, or null when not yet seen
   * @param vmi its VirtualMachineInstance, or null
   * @param dataVolumes its DataVolumes
   * @param expectAgent whether the guest stage (AgentConnected) is planned
   * @param nativeProbe whether the probe stage waits for the VMI's Ready condition
   * @param agentProbe whether the probe stage also waits for the guest agent
   * @return the observation
   */
  public static Observation observe(
      @Nullable GenericKubernetesResource vm,
      @Nullable GenericKubernetesResource vmi,
      List<GenericKubernetesResource> dataVolumes,
      boolean expectAgent,
      boolean nativeProbe,
      boolean agentProbe) {
    for (GenericKubernetesResource dv : dataVolumes) {
      Object status = status(dv);
      Map<String, Object> running = Maps.condition(status, "Running").orElse(Map.of());
      boolean retriedError =
          "False".equals(String.valueOf(running.get("status")))
              && "Error".equals(String.valueOf(running.get("reason")))
              && Maps.at(status, "restartCount")
                  .map(n -> Integer.parseInt(n.toString()) >= IMPORT_ATTEMPTS)
                  .orElse(false);
      if ("Failed".equals(Maps.text(status, "phase").orElse("")) || retriedError) {
        return Observation.failed(
            Stage.SCHEDULED,
            String.valueOf(running.getOrDefault("reason", "DataVolumeFailed")),
            "DataVolume "
                + dv.getMetadata().getName()
                + " failed: "
                + running.getOrDefault("message", "no message"),
            "check the image source (URL reachable, DataSource and its PVC present, registry credentials)");
      }
    }
    Object vmStatus = vm == null ? Map.of() : status(vm);
    String printable = Maps.text(vmStatus, "printableStatus").orElse("");
    if (IMAGE_ERRORS.contains(printable)) {
      return Observation.failed(
          Stage.RUNNING,
          printable,
          vmMessage(vmStatus, vmi),
          "check the containerDisk image name and that the cluster can pull it");
    }
    if (SCHEDULING_ERRORS.contains(printable)) {
      return Observation.failed(
          Stage.SCHEDULED,
          printable,
          vmMessage(vmStatus, vmi),
          printable.equals("ErrorUnschedulable")
              ? "check that a node has room for the VM's CPUs and memory and can run KubeVirt (kvm or emulation)"
              : "check the VM's disks: DataVolumes, PVCs and their storage class");
    }
    if ("CrashLoopBackOff".equals(printable)) {
      return Observation.failed(
          Stage.RUNNING, printable, vmMessage(vmStatus, vmi), "read the virt-launcher pod's logs");
    }
    if (Maps.isTrue(vmStatus, "Failure")) {
      Map<String, Object> failure = Maps.condition(vmStatus, "Failure").orElseThrow();
      return Observation.failed(
          Stage.RUNNING,
          String.valueOf(failure.getOrDefault("reason", "Failure")),
          String.valueOf(failure.getOrDefault("message", "the VM failed")),
          "read the VM's events");
    }
    if (vmi == null) {
      return Observation.NOTHING;
    }
    Object status = status(vmi);
    String phase = Maps.text(status, "phase").orElse("");
    switch (phase) {
      case "Failed":
        return Observation.failed(
            Stage.RUNNING,
            "VMIFailed",
            vmMessage(vmStatus, vmi),
            "read the virt-launcher pod's logs and the VM's events");
      case "Succeeded":
        return Observation.failed(
            Stage.RUNNING,
            "GuestShutDown",
            "the guest shut down",
            "a lab VM must keep running; check its boot");
      case "Scheduled":
        return Observation.reached(
            Stage.SCHEDULED, "on " + Maps.text(status, "nodeName").orElse("a node"));
      case "Running":
        break;
      default:
        return Observation.NOTHING;
    }
    Optional<String> ip = ipAddress(status);
    if (ip.isEmpty()) {
      return Observation.reached(
          Stage.RUNNING, "on " + Maps.text(status, "nodeName").orElse("a node"));
    }
    boolean agent = Maps.isTrue(status, "AgentConnected");
    boolean ready = Maps.isTrue(status, "Ready");
    boolean probesPassed = (!nativeProbe || ready) && (!agentProbe || agent);
    if ((nativeProbe || agentProbe) && probesPassed && (!expectAgent || agent)) {
      return Observation.reached(Stage.PROBE, "ready");
    }
    if (expectAgent && agent) {
      return Observation.reached(Stage.GUEST, guestOs(status));
    }
    return Observation.reached(Stage.NETWORK, ip.get());
  }

  /** The first interface's IP address. */
  public static Optional<String> ipAddress(Object vmiStatus) {
    return Maps.list(vmiStatus, "interfaces").stream()
        .map(i -> i.get("ipAddress"))
        .filter(a -> a != null && !a.toString().isEmpty())
        .map(Object::toString)
        .findFirst();
  }

  private static String guestOs(Object vmiStatus) {
    return Maps.text(vmiStatus, "guestOSInfo", "prettyName")
        .or(() -> Maps.text(vmiStatus, "guestOSInfo", "name"))
        .map(n -> "agent connected: " + n)
        .orElse("agent connected");
  }

  private static String vmMessage(Object vmStatus, @Nullable GenericKubernetesResource vmi) {
    for (String type : List.of("Failure", "Ready")) {
      Optional<Map<String, Object>> c = Maps.condition(vmStatus, type);
      if (c.isPresent()
          && c.get().get("message") != null
          && !"True".equals(c.get().get("status"))) {
        return c.get().get("message").toString();
      }
    }
    if (vmi != null) {
      Optional<Map<String, Object>> c = Maps.condition(status(vmi), "Ready");
      if (c.isPresent() && c.get().get("message") != null) {
        return c.get().get("message").toString();
      }
    }
    return "printableStatus " + Maps.text(vmStatus, "printableStatus").orElse("unknown");
  }

  /** The {@code status} of a generic object, or an empty map. */
  public static Object status(GenericKubernetesResource o) {
    Object s = o.getAdditionalProperties().get("status");
    return s == null ? Map.of() : s;
  }
}
