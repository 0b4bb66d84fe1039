package io.convergence.vsphere.supervisor.internal;

import io.convergence.kubernetes.Observation;
import io.convergence.spec.Stage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a vm-operator VirtualMachine's status to readiness stages: placement ({@code
 * VirtualMachineConditionPlacementReady}) or creation ({@code VirtualMachineCreated}) is scheduled,
 * {@code status.powerState: PoweredOn} is running, {@code status.network.primaryIP4} is network,
 * {@code GuestCustomization=True} is guest, and the {@code Ready} condition (vm-operator's
 * readiness probe) or VMware Tools running (a guest-agent probe) is probe. A prerequisite condition
 * that is False (class, image, storage, bootstrap, network), a failed placement or creation, and a
 * failed guest customization fail the workload with the condition's reason and message. Pure.
 */
public final class VmOperatorStatusToStage {

  /** Prerequisite conditions, each with what to check when it is False. */
  static final Map<String, String> PREREQUISITES =
      Map.of(
          "VirtualMachineClassReady",
          "check that the VirtualMachineClass exists and is bound to the vSphere Namespace",
          "VirtualMachineImageReady",
          "check that the image exists for the namespace (a content library associated with it)"
              + " and is ready",
          "VirtualMachineStorageReady",
          "check convergence.vsphere-supervisor.storage-class names a storage policy assigned to the"
              + " namespace",
          "VirtualMachineBootstrapReady",
          "check the VM's bootstrap Secret (cloud-init user data or sysprep answer file)",
          "VirtualMachineNetworkReady",
          "check the namespace's network (NSX or VDS) and the VM's network interfaces");

  /** Condition reasons of a customization still under way. */
  static final Set<String> CUSTOMIZATION_PENDING =
      Set.of(
          "GuestCustomizationRunning",
          "GuestCustomizationPending",
          "GuestCustomizationIdle",
          "NoGuestInfo");

  private VmOperatorStatusToStage() {}

  /**
   * What a VirtualMachine's status says.
   *
   * @param vm the VirtualMachine, or null when not yet seen
   * @param expectGuest whether the guest stage (customization done) is planned
   * @param nativeProbe whether the probe stage waits for the Ready condition
   * @param toolsProbe whether the probe stage waits for VMware Tools
   * @return the observation
   */
  public static Observation observe(
      @Nullable GenericKubernetesResource vm,
      boolean expectGuest,
      boolean nativeProbe,
      boolean toolsProbe) {
    if (vm == null) {
      return Observation.NOTHING;
    }
    Object status = status(vm);
    for (Map.Entry<String, String> p : PREREQUISITES.entrySet()) {
      Optional<Map<String, Object>> c = condition(status, p.getKey());
      if (c.isPresent() && "False".equals(c.get().get("status"))) {
        return failed(Stage.SCHEDULED, c.get(), p.getKey(), p.getValue());
      }
    }
    for (String type : List.of("VirtualMachineConditionPlacementReady", "VirtualMachineCreated")) {
      Optional<Map<String, Object>> c = condition(status, type);
      if (c.isPresent() && "False".equals(c.get().get("status"))) {
        return failed(
            Stage.SCHEDULED,
            c.get(),
            type,
            "check the namespace's capacity and zones, and the vSphere tasks of the VM");
      }
    }
    boolean planned = isTrue(status, "VirtualMachineCreated");
    boolean placed = planned || isTrue(status, "VirtualMachineConditionPlacementReady");
    Optional<Map<String, Object>> customization = condition(status, "GuestCustomization");
    if ((expectGuest || nativeProbe || toolsProbe)
        && customization.isPresent()
        && "False".equals(customization.get().get("status"))
        && !CUSTOMIZATION_PENDING.contains(String.valueOf(customization.get().get("reason")))) {
      return failed(
          expectGuest ? Stage.GUEST : Stage.PROBE,
          customization.get(),
          "GuestCustomization",
          "read the guest's customization log (cloud-init or sysprep) and check the bootstrap data");
    }
    if (!placed) {
      return Observation.NOTHING;
    }
    String power = text(status, "powerState").orElse("");
    if (!"PoweredOn".equals(power)) {
      return Observation.reached(
          Stage.SCHEDULED,
          text(status, "zone").map(z -> "in zone " + z).orElse("placed")
              + (planned ? ", created" : ""));
    }
    Optional<String> ip = ipAddress(status);
    if (ip.isEmpty()) {
      return Observation.reached(Stage.RUNNING, "powered on");
    }
    boolean customized = isTrue(status, "GuestCustomization");
    boolean tools = isTrue(status, "VirtualMachineTools");
    boolean ready = isTrue(status, "Ready");
    if ((nativeProbe || toolsProbe)
        && (!nativeProbe || ready)
        && (!toolsProbe || tools)
        && (!expectGuest || customized)) {
      return Observation.reached(Stage.PROBE, "ready");
    }
    if (expectGuest && customized) {
      return Observation.reached(Stage.GUEST, "guest customization done");
    }
    return Observation.reached(Stage.NETWORK, ip.get());
  }

  private static Observation failed(
      Stage stage, Map<String, Object> condition, String type, String hint) {
    String reason = String.valueOf(condition.getOrDefault("reason", type));
    Object message = condition.get("message");
    return Observation.failed(
        stage,
        reason,
        type
            + " is False"
            + (message == null || message.toString().isBlank() ? "" : ": " + message),
        hint);
  }

  /**
   * The VM's primary IPv4 address ({@code status.network.primaryIP4}).
   *
   * @param status the VM's status
   * @return the address
   */
  public static Optional<String> ipAddress(Object status) {
    return text(status, "network", "primaryIP4").filter(s -> !s.isBlank());
  }

  /**
   * The {@code status} of an object, or an empty map.
   *
   * @param o the object
   * @return the status
   */
  public static Object status(GenericKubernetesResource o) {
    Object s = o.getAdditionalProperties().get("status");
    return s == null ? Map.of() : s;
  }

  /**
   * The conditions of a status.
   *
   * @param status the status
   * @return the conditions
   */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> conditions(Object status) {
    Object c = Catalog.Maps.at(status, "conditions");
    return c instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  static Optional<Map<String, Object>> condition(Object status, String type) {
    return conditions(status).stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }

  static boolean isTrue(Object status, String type) {
    return condition(status, type).map(c -> "True".equals(c.get("status"))).orElse(false);
  }

  static Optional<String> text(Object status, String... path) {
    return Optional.ofNullable(Catalog.Maps.at(status, path)).map(Object::toString);
  }
}
