package io.convergence.testkit.vmoperator;

import io.convergence.testkit.vmoperator.internal.ApiVersions;
import java.util.ArrayList;
import java.util.List;

/**
 * The vm-operator API versions a VCF release's Supervisor serves, as the release branches of
 * vmware-tanzu/vm-operator define them. {@link EmbeddedVmOperator} registers CRDs serving {@code
 * v1alpha1} up to {@link #newestVersion()} (the storage version).
 *
 * <p>VirtualMachineSnapshot is registered only where the simulator handles it: {@code v1alpha5} and
 * newer ({@code spec.vmName}). VCF 9.0.1 serves it as {@code v1alpha4} ({@code spec.vmRef}); that
 * form is not simulated, so {@link #VCF_9_0_1} has no snapshot CRD here.
 *
 * @since 0.1.0
 */
public enum VcfRelease {
  /** VCF 9.0.0 (vCenter 9.0.0): {@code v1alpha1} to {@code v1alpha3}, no snapshots. */
  VCF_9_0("v1alpha3"),
  /** VCF 9.0.1: {@code v1alpha1} to {@code v1alpha4} (its {@code v1alpha4} snapshots excluded). */
  VCF_9_0_1("v1alpha4"),
  /** VCF 9.1.0 (vm-operator v1.10.0): {@code v1alpha1} to {@code v1alpha5}, snapshots. */
  VCF_9_1("v1alpha5"),
  /**
   * vm-operator's main branch, as the CRDs in {@code shared/data/vm-operator-crds}: {@code
   * v1alpha6}.
   */
  UPSTREAM_MAIN("v1alpha6");

  private final String newest;

  VcfRelease(String newest) {
    this.newest = newest;
  }

  /**
   * The newest version served, e.g. {@code v1alpha5}.
   *
   * @return the version
   */
  public String newestVersion() {
    return newest;
  }

  /**
   * The versions served by every vm-operator kind but VirtualMachineSnapshot, oldest first.
   *
   * @return the versions
   */
  public List<String> servedVersions() {
    List<String> out = new ArrayList<>(List.of("v1alpha1", "v1alpha2"));
    for (String v : ApiVersions.KNOWN) {
      out.add(v);
      if (v.equals(newest)) {
        break;
      }
    }
    return out;
  }

  /**
   * The VirtualMachineSnapshot versions registered, oldest first (empty when none).
   *
   * @return the versions
   */
  public List<String> snapshotVersions() {
    List<String> out = new ArrayList<>();
    for (String v : ApiVersions.KNOWN) {
      if (ApiVersions.snapshots(v)) {
        out.add(v);
      }
      if (v.equals(newest)) {
        break;
      }
    }
    return out;
  }
}
