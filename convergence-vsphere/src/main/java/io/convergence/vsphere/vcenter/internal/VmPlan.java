package io.convergence.vsphere.vcenter.internal;

import io.convergence.Ownership;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.GuestMountInjector;
import io.convergence.plan.NativeObject;
import io.convergence.spec.GuestOs;
import io.convergence.spec.MemorySize;
import io.convergence.spec.VmSpec;
import io.convergence.vsphere.vcenter.VCenterOptions;
import io.convergence.vsphere.vim.ConfigSpec;
import java.util.List;
import java.util.Map;

/**
 * What the backend sends for a VM, as the plan shows it (a YAML summary of the CloneVM_Task,
 * ReconfigVM_Task and SetField calls, secrets redacted) and as the driver sends it ({@link
 * #config}).
 */
final class VmPlan {

  private VmPlan() {}

  /** The memory in MiB (validated at plan time). */
  static long memoryMb(VmSpec vm) {
    return MemorySize.parse(vm.memory()).toMiB();
  }

  /** Whether a linked clone is asked for through {@link VCenterOptions}. */
  static boolean linked(VmSpec vm) {
    return vm.options(VCenterOptions.class).map(VCenterOptions::linked).orElse(false);
  }

  /** The cloud-init meta-data of a VM. */
  static String metaData(String vmName, String workload) {
    return "instance-id: " + vmName + "\nlocal-hostname: " + workload + "\n";
  }

  /**
   * The ReconfigVM_Task spec: size, cloud-init, annotation.
   *
   * @param vmName the VM's name
   * @param workload the workload
   * @param vm the spec
   * @param extraConfig the {@code extra-config} setting's entries
   * @param mounts the shared volumes the guest mounts, servers resolved
   * @return the spec; reveals the cloud-init secret
   */
  static ConfigSpec config(
      String vmName,
      String workload,
      VmSpec vm,
      Map<String, String> extraConfig,
      List<GuestMount> mounts) {
    ConfigSpec.Builder b =
        ConfigSpec.builder()
            .numCpus(vm.cpus())
            .memoryMb(memoryMb(vm))
            .annotation("Convergence lab workload " + workload);
    extraConfig.forEach(b::extraConfig);
    if (hasUserData(vm, mounts)) {
      String userData =
          mounts.isEmpty()
              ? vm.cloudInit().orElseThrow().reveal()
              : GuestMountInjector.cloudInit(
                  vm.cloudInit().map(u -> u.reveal()).orElse(null), mounts);
      b.cloudInit(userData, metaData(vmName, workload));
    }
    return b.build();
  }

  /** Whether a Linux VM gets cloud-init user data: its own, or the mounts of shared volumes. */
  static boolean hasUserData(VmSpec vm, List<GuestMount> mounts) {
    return vm.guestOs() == GuestOs.LINUX && (vm.cloudInit().isPresent() || !mounts.isEmpty());
  }

  /** The VM's name in vCenter: the workload's name (unique in the lab's folder). */
  static String vmName(String workload) {
    return workload;
  }

  static NativeObject render(
      String workload,
      VmSpec vm,
      String labFolder,
      VCenterSettings settings,
      Ownership owner,
      List<GuestMount> mounts) {
    StringBuilder y = new StringBuilder();
    y.append("CloneVM_Task:\n");
    y.append("  template: ")
        .append(settings.vmPath(settings.templateFolder()))
        .append("/")
        .append(vm.image().orElseThrow().reference())
        .append('\n');
    y.append("  name: ").append(vmName(workload)).append('\n');
    y.append("  folder: ").append(labFolder).append('\n');
    y.append("  pool: ")
        .append(settings.resourcePool().map(p -> settings.datacenter() + "/host/" + p).orElse("?"))
        .append('\n');
    settings.datastore().ifPresent(d -> y.append("  datastore: ").append(d).append('\n'));
    y.append("  diskMoveType: ")
        .append(linked(vm) ? "createNewChildDiskBacking" : "moveAllDiskBackingsAndDisallowSharing")
        .append('\n');
    if (vm.sysprep().isPresent() && vm.guestOs() == GuestOs.WINDOWS) {
      y.append("  customization:\n");
      y.append("    identity: CustomizationSysprepText ")
          .append(NativeObject.REDACTED)
          .append('\n');
      y.append("    nicSettingMap: DHCP on every adapter of the template\n");
    }
    y.append("  powerOn: false\n");
    y.append("ReconfigVM_Task:\n");
    y.append("  numCPUs: ").append(vm.cpus()).append('\n');
    y.append("  memoryMB: ").append(memoryMb(vm)).append('\n');
    if (!settings.extraConfig().isEmpty() || hasUserData(vm, mounts)) {
      y.append("  extraConfig:\n");
      settings
          .extraConfig()
          .forEach((k, v) -> y.append("    ").append(k).append(": ").append(v).append('\n'));
    }
    if (hasUserData(vm, mounts)) {
      y.append("    guestinfo.userdata: ").append(NativeObject.REDACTED).append('\n');
      y.append("    guestinfo.userdata.encoding: base64\n");
      y.append("    guestinfo.metadata: ")
          .append(
              java.util.Base64.getEncoder()
                  .encodeToString(
                      metaData(vmName(workload), workload)
                          .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
          .append('\n');
      y.append("    guestinfo.metadata.encoding: base64\n");
    }
    if (!mounts.isEmpty()) {
      y.append("guestMounts:\n");
      for (GuestMount m : mounts) {
        y.append("  - volume: ").append(m.volume()).append('\n');
        y.append("    path: ").append(m.path()).append('\n');
        y.append("    source: //").append(m.server()).append('/').append(m.share()).append('\n');
        y.append("    via: cifs mount from the cloud-init user data\n");
      }
    }
    y.append("SetField:\n");
    for (Map.Entry<String, String> e : owner.labels().entrySet()) {
      y.append("  ").append(e.getKey()).append(": \"").append(e.getValue()).append("\"\n");
    }
    y.append("PowerOnVM_Task: {}\n");
    return new NativeObject(
        "VirtualMachine", vmName(workload), NativeObject.Format.YAML, y.toString());
  }

  static NativeObject folder(String path) {
    return new NativeObject(
        "Folder",
        path.substring(path.lastIndexOf('/') + 1),
        NativeObject.Format.YAML,
        "CreateFolder:\n  path: " + path + "\n");
  }
}
