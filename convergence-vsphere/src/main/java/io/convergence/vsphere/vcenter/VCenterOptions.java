package io.convergence.vsphere.vcenter;

import io.convergence.spec.BackendOptions;
import java.util.Objects;

/**
 * Options of a VM on the {@code vsphere-vcenter} backend.
 *
 * <pre>{@code
 * VmSpec.builder().image("ubuntu-24.04")
 *     .options(VCenterOptions.linkedClone())
 *     .build();
 * }</pre>
 *
 * <p>A linked clone is made only when asked for here and the template has a current snapshot; a
 * template without one fails the VM's creation (no silent full copy). Whether the server really
 * made a linked clone is read back from the new VM's disks and reported in the workload's details
 * (vcsim, for one, makes a full copy).
 *
 * @since 0.1.0
 */
public final class VCenterOptions implements BackendOptions {

  private static final VCenterOptions LINKED = new VCenterOptions(true);
  private static final VCenterOptions FULL = new VCenterOptions(false);

  private final boolean linkedClone;

  private VCenterOptions(boolean linkedClone) {
    this.linkedClone = linkedClone;
  }

  /**
   * Asks for a linked clone from the template's current snapshot.
   *
   * @return the options
   */
  public static VCenterOptions linkedClone() {
    return LINKED;
  }

  /**
   * Asks for a full clone (the default without options).
   *
   * @return the options
   */
  public static VCenterOptions fullClone() {
    return FULL;
  }

  /**
   * Whether a linked clone is asked for.
   *
   * @return whether to clone linked
   */
  public boolean linked() {
    return linkedClone;
  }

  @Override
  public String backendId() {
    return VCenterBackendProvider.ID;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VCenterOptions other && other.linkedClone == linkedClone;
  }

  @Override
  public int hashCode() {
    return Objects.hash(linkedClone);
  }

  @Override
  public String toString() {
    return "VCenterOptions{" + (linkedClone ? "linked clone" : "full clone") + "}";
  }
}
