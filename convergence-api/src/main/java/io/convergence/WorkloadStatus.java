package io.convergence;

/**
 * The portable state of a workload. The platform's own status is in {@link
 * Workload#backendStatus()}.
 *
 * @since 0.1.0
 */
public enum WorkloadStatus {
  /** Objects not created yet. */
  PENDING,
  /** Created and on its way through the readiness stages. */
  PROVISIONING,
  /** Every readiness stage reached. */
  READY,
  /** Failed, or stopped unexpectedly. */
  FAILED,
  /** Stopped on purpose (a VM powered off). */
  STOPPED,
  /** Being removed. */
  DELETING,
  /** Removed. */
  DELETED,
  /** A platform state Convergence does not map; see {@link Workload#backendStatus()}. */
  UNRECOGNIZED
}
