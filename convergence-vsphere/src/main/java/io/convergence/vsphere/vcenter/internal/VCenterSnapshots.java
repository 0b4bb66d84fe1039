package io.convergence.vsphere.vcenter.internal;

import io.convergence.BackendException;
import io.convergence.Snapshots;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import io.convergence.spi.BackendPlan;
import io.convergence.spi.PlannedWorkload;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.Vim25Client;
import io.convergence.vsphere.vim.VimFaultException;
import io.convergence.vsphere.vim.VirtualMachineInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Snapshots of a lab's VMs as vSphere snapshots ({@code CreateSnapshot_Task} without memory and
 * without quiescing, so they work with or without VMware Tools), found again by name in the VM's
 * snapshot tree. A revert ({@code RevertToSnapshot_Task}) of a snapshot taken without memory leaves
 * the VM powered off; it is powered on again and waited for until it is on and, if the lab waits
 * for the network, has a guest IP.
 */
final class VCenterSnapshots implements Snapshots {

  private final Vim25Client vim;
  private final BackendPlan plan;
  private final Function<String, ManagedObjectReference> vms;
  private final Duration timeout;

  /**
   * The snapshots of one lab.
   *
   * @param vim the client
   * @param plan the lab's plan
   * @param vms a workload's VM, or an {@link IllegalArgumentException} when it has none yet
   * @param timeout how long a snapshot or revert may take
   */
  VCenterSnapshots(
      Vim25Client vim,
      BackendPlan plan,
      Function<String, ManagedObjectReference> vms,
      Duration timeout) {
    this.vim = vim;
    this.plan = plan;
    this.vms = vms;
    this.timeout = timeout;
  }

  private PlannedWorkload vm(String workload) {
    PlannedWorkload planned =
        plan.workload(workload)
            .orElseThrow(() -> new IllegalArgumentException("the lab has no workload " + workload));
    if (!(planned.spec() instanceof VmSpec)) {
      throw new IllegalArgumentException(workload + " is not a VM; only VMs have snapshots");
    }
    return planned;
  }

  @Override
  public void snapshot(String workload, String snapshot) {
    vm(workload);
    ManagedObjectReference vm = vms.apply(workload);
    if (tree(vm).find(snapshot).isPresent()) {
      throw new IllegalArgumentException(
          workload + " already has a snapshot named " + snapshot + "; names are unique per VM");
    }
    run(
        "CreateSnapshot_Task " + workload + "/" + snapshot,
        () ->
            vim.createSnapshot(vm, snapshot, "Convergence snapshot of " + workload, false, false)
                .await());
  }

  @Override
  public void revert(String workload, String snapshot) {
    PlannedWorkload planned = vm(workload);
    ManagedObjectReference vm = vms.apply(workload);
    ManagedObjectReference target =
        tree(vm)
            .find(snapshot)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        workload + " has no snapshot " + snapshot + " (it has " + list(workload)))
            .snapshot();
    run(
        "RevertToSnapshot_Task " + workload + "/" + snapshot,
        () -> vim.revertToSnapshot(target).await());
    VirtualMachineInfo info = vim.virtualMachine(vm);
    if (info.powerState() != VirtualMachineInfo.PowerState.POWERED_ON) {
      run("PowerOnVM_Task " + workload, () -> vim.powerOn(vm).await());
    }
    boolean network = planned.stages().contains(Stage.NETWORK);
    long deadline = System.nanoTime() + timeout.toNanos();
    long pause = 200;
    while (true) {
      info = vim.virtualMachine(vm);
      if (info.powerState() == VirtualMachineInfo.PowerState.POWERED_ON
          && (!network || info.guestIp().isPresent())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new BackendException(
            io.convergence.vsphere.vcenter.VCenterBackendProvider.ID,
            "revert " + workload + " to " + snapshot,
            -1,
            "NotReadyAfterRevert",
            workload
                + " is "
                + info.powerState().wireName()
                + (network ? " without a guest IP" : "")
                + " "
                + timeout.toSeconds()
                + "s after the revert",
            "check the VM's console and VMware Tools in the vSphere Client",
            null);
      }
      VCenterBackend.pause(Duration.ofMillis(pause));
      pause = Math.min(5000, pause + pause / 2);
    }
  }

  @Override
  public List<String> list(String workload) {
    vm(workload);
    List<String> out = new ArrayList<>();
    for (VirtualMachineInfo.SnapshotNode n : tree(vms.apply(workload)).roots()) {
      collect(n, out);
    }
    return out;
  }

  private static void collect(VirtualMachineInfo.SnapshotNode n, List<String> out) {
    out.add(n.name());
    n.children().forEach(c -> collect(c, out));
  }

  private VirtualMachineInfo.SnapshotInfo tree(ManagedObjectReference vm) {
    VirtualMachineInfo.SnapshotInfo s = vim.virtualMachine(vm).snapshot();
    return s == null ? new VirtualMachineInfo.SnapshotInfo(null, List.of()) : s;
  }

  private void run(String operation, Runnable call) {
    try {
      call.run();
    } catch (VimFaultException e) {
      throw new BackendException(
          io.convergence.vsphere.vcenter.VCenterBackendProvider.ID,
          operation,
          -1,
          e.faultName(),
          e.faultString(),
          e.is("SnapshotDisabled") || e.is("NotSupported")
              ? "snapshots are disabled for this VM (e.g. independent disks, or a policy)"
              : "check the VM's tasks in the vSphere Client",
          e);
    }
  }
}
