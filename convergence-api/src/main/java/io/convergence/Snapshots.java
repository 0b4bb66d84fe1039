package io.convergence;

import java.util.List;

/**
 * Snapshots and revert of a lab's VMs, where the backend supports them ({@link Feature#SNAPSHOTS}).
 * Get it with {@code lab.capability(Snapshots.class)}. Snapshots belong to the lab and are removed
 * with it.
 *
 * @since 0.1.0
 */
public interface Snapshots {
  /**
   * Takes a snapshot of a VM and waits until it is usable.
   *
   * @param workload the VM's name
   * @param snapshot the snapshot's name, a DNS label unique per VM
   * @throws IllegalArgumentException when the workload is not a VM of the lab
   * @throws BackendException when the platform fails the snapshot
   */
  void snapshot(String workload, String snapshot);

  /**
   * Reverts a VM to a snapshot and waits until the VM is ready again.
   *
   * @param workload the VM's name
   * @param snapshot a snapshot taken with {@link #snapshot(String, String)}
   * @throws IllegalArgumentException when the workload or snapshot does not exist
   * @throws BackendException when the platform fails the revert
   */
  void revert(String workload, String snapshot);

  /**
   * The snapshots of a VM.
   *
   * @param workload the VM's name
   * @return snapshot names, oldest first
   */
  List<String> list(String workload);
}
