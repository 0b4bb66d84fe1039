package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of {@link Vim25Client#cloneVm}.
 *
 * @param vm the new VM
 * @param linkedRequested whether a linked clone was asked for
 * @param linked whether the new VM is a linked clone according to its disks as vCenter reports them
 *     ({@link VirtualMachineInfo#linkedClone()}); {@code false} when a linked clone was requested
 *     but the server made a full copy (vcsim does that)
 * @since 0.1.0
 */
public record CloneResult(ManagedObjectReference vm, boolean linkedRequested, boolean linked) {
  /**
   * Checks the components.
   *
   * @param vm the new VM
   * @param linkedRequested whether a linked clone was asked for
   * @param linked whether it is one
   */
  public CloneResult {
    requireNonNull(vm, "vm");
  }
}
