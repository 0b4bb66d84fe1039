package io.convergence.testkit.kubevirt.internal;

/**
 * A VirtualMachine's {@code status.printableStatus}, by the precedence of KubeVirt v1.9's {@code
 * setPrintableStatus}: the first that applies wins, in the order of the fields below.
 */
public final class PrintableStatus {

  private PrintableStatus() {}

  /**
   * What the status is computed from.
   *
   * @param vmDeleting the VM has a deletionTimestamp
   * @param vmiExists a VMI of the VM exists
   * @param vmiFinal its phase is Succeeded or Failed
   * @param vmiDeleting it has a deletionTimestamp
   * @param stopRequested the run strategy says the VMI must not run (Halted)
   * @param vmiPhase its phase, empty when none yet
   * @param paused it has {@code Paused=True}
   * @param pvcNotFound a volume's claim (or DataVolume) does not exist
   * @param dataVolumeError a DataVolume failed or its importer errs
   * @param unschedulable the VMI has {@code PodScheduled=False} reason {@code Unschedulable}
   * @param provisioning a DataVolume is not done yet
   * @param waitingForVolumeBinding a claim is not bound yet
   * @param syncFailureReason the reason of a {@code Synchronized=False} VMI condition, e.g. {@code
   *     ErrImagePull}, empty when none
   * @param crashLoopBackOff the VM waits to restart a failed VMI
   */
  public record Facts(
      boolean vmDeleting,
      boolean vmiExists,
      boolean vmiFinal,
      boolean vmiDeleting,
      boolean stopRequested,
      String vmiPhase,
      boolean paused,
      boolean pvcNotFound,
      boolean dataVolumeError,
      boolean unschedulable,
      boolean provisioning,
      boolean waitingForVolumeBinding,
      String syncFailureReason,
      boolean crashLoopBackOff) {}

  /**
   * The printable status.
   *
   * @param f the facts
   * @return e.g. {@code Running}
   */
  public static String of(Facts f) {
    boolean active = f.vmiExists() && !f.vmiFinal();
    if (f.vmDeleting()) {
      return "Terminating";
    }
    if (active && (f.vmiDeleting() || f.stopRequested())) {
      return "Stopping";
    }
    if (active && f.paused()) {
      return "Paused";
    }
    if (active && f.vmiPhase().equals("Running")) {
      return "Running";
    }
    if (f.pvcNotFound()) {
      return "ErrorPvcNotFound";
    }
    if (f.dataVolumeError()) {
      return "DataVolumeError";
    }
    if (active && f.unschedulable()) {
      return "ErrorUnschedulable";
    }
    if (f.provisioning()) {
      return "Provisioning";
    }
    if (f.waitingForVolumeBinding()) {
      return "WaitingForVolumeBinding";
    }
    if (active && f.syncFailureReason().equals("ErrImagePull")) {
      return "ErrImagePull";
    }
    if (active && f.syncFailureReason().equals("ImagePullBackOff")) {
      return "ImagePullBackOff";
    }
    if (active) {
      return "Starting";
    }
    if (f.crashLoopBackOff()) {
      return "CrashLoopBackOff";
    }
    return "Stopped";
  }
}
