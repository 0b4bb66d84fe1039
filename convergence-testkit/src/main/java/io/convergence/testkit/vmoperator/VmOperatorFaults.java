package io.convergence.testkit.vmoperator;

import io.convergence.spec.Stage;
import io.convergence.testkit.kubernetes.Faults;

/**
 * Faults of the VM Service, written the way {@link FakeVmOperatorController} shows them, as
 * shortcuts for {@link Faults#failAt} and {@link Faults#hangBefore} with the reasons vm-operator
 * uses. Each takes the shared {@link Faults} and a workload (the {@value Faults#WORKLOAD_LABEL}
 * label of the VirtualMachine) and returns the faults.
 *
 * <pre>{@code
 * VmOperatorFaults.customizationFails(sim.faults(), "tester", "sysprep failed");
 * }</pre>
 *
 * <p>The messages of the defaults below are examples in the platform's style; vm-operator passes
 * the error of the failed vSphere call through, and those texts vary.
 *
 * @since 0.1.0
 */
public final class VmOperatorFaults {

  private VmOperatorFaults() {}

  /** The default message of a failed customization, as vm-operator writes it: {@value}. */
  public static final String CUSTOMIZATION_FAILED_MESSAGE =
      "vSphere VM Customization failed due to an unknown error.";

  /**
   * Placement finds no host: {@code VirtualMachineConditionPlacementReady=False}, reason {@code
   * NotReady}, with the message.
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the placement error
   * @return the faults
   */
  public static Faults placementFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.SCHEDULED, "NotReady", message);
  }

  /**
   * Creating the VM on vCenter fails: {@code VirtualMachineCreated=False}, reason {@code Error},
   * with the message.
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the vCenter error
   * @return the faults
   */
  public static Faults createFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.CREATED, "Error", message);
  }

  /**
   * Powering on fails: the VM stays {@code PoweredOff} and a Warning event {@code UpdateFailure}
   * carries the message, as vm-operator reports a failed power operation.
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the vCenter error
   * @return the faults
   */
  public static Faults powerOnFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.RUNNING, "UpdateFailure", message);
  }

  /**
   * The VM's network interfaces cannot be created: {@code VirtualMachineNetworkReady=False}, reason
   * {@code NotReady}; the VM is never created.
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the network provider's error
   * @return the faults
   */
  public static Faults networkFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.NETWORK, "NotReady", message);
  }

  /**
   * The VM powers on and VMware Tools runs, but the guest never reports an IP address: no {@code
   * status.network.primaryIP4}.
   *
   * @param faults the faults
   * @param workload the workload
   * @return the faults
   */
  public static Faults neverGetsIp(Faults faults, String workload) {
    return faults.hangBefore(workload, Stage.NETWORK);
  }

  /**
   * Guest customization fails: {@code GuestCustomization=False}, reason {@code
   * GuestCustomizationFailed}, with the message.
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the error inside the guest, e.g. {@value #CUSTOMIZATION_FAILED_MESSAGE}
   * @return the faults
   */
  public static Faults customizationFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.GUEST, "GuestCustomizationFailed", message);
  }

  /**
   * Guest customization never finishes: {@code GuestCustomization=False}, reason {@code
   * GuestCustomizationRunning}, forever.
   *
   * @param faults the faults
   * @param workload the workload
   * @return the faults
   */
  public static Faults customizationHangs(Faults faults, String workload) {
    return faults.hangBefore(workload, Stage.GUEST);
  }

  /**
   * The readiness probe fails: {@code Ready=False}, reason {@code NotReady}, with the message (for
   * VMs with a {@code spec.readinessProbe}).
   *
   * @param faults the faults
   * @param workload the workload
   * @param message the probe's error
   * @return the faults
   */
  public static Faults probeFails(Faults faults, String workload, String message) {
    return faults.failAt(workload, Stage.PROBE, "NotReady", message);
  }
}
