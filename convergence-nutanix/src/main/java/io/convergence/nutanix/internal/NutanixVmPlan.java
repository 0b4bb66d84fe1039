package io.convergence.nutanix.internal;

import io.convergence.Ownership;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.GuestMountInjector;
import io.convergence.kubernetes.LabNames;
import io.convergence.nutanix.prism.VmCreateSpec;
import io.convergence.plan.NativeObject;
import io.convergence.spec.GuestOs;
import io.convergence.spec.MemorySize;
import io.convergence.spec.SecretValue;
import io.convergence.spec.VmSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the backend sends for a VM: the v4 create body (through {@link VmCreateSpec}) and its plan
 * rendering (secrets redacted), and the ownership written into and read from the VM's description.
 */
final class NutanixVmPlan {

  /** The first line of a lab VM's description. */
  static final String DESCRIPTION_HEAD = "Convergence lab VM";

  /** The default boot disk size when the image's size is unknown: 40 GiB. */
  static final long DEFAULT_BOOT_DISK = 40L << 30;

  private NutanixVmPlan() {}

  /** The description: a head line, then the ownership labels and the workload as key=value. */
  static String description(Ownership owner, String workload) {
    StringBuilder d = new StringBuilder(DESCRIPTION_HEAD).append('\n');
    Map<String, String> labels = new LinkedHashMap<>(owner.labels());
    labels.put(Ownership.WORKLOAD_KEY, workload);
    labels.forEach((k, v) -> d.append(k).append('=').append(v).append('\n'));
    return d.toString();
  }

  /** The first line of a lab category's description. */
  static final String CATEGORY_HEAD = "Convergence lab";

  /**
   * The description of the lab's category: a head line, then the ownership labels as key=value (so
   * a sweep finds the owner of a lab whose VMs were never created). At most 1000 characters, as
   * Prism allows.
   */
  static String categoryDescription(Ownership owner) {
    StringBuilder d = new StringBuilder(CATEGORY_HEAD).append('\n');
    owner.labels().forEach((k, v) -> d.append(k).append('=').append(v).append('\n'));
    if (d.length() > 1000) {
      throw new IllegalArgumentException(
          "the lab's ownership does not fit a category description (1000 characters): "
              + d.length());
    }
    return d.toString();
  }

  /**
   * The ownership in a description written by {@link #description} or {@link #categoryDescription}.
   */
  static Optional<Ownership> ownership(@Nullable String description) {
    if (description == null || !description.startsWith(CATEGORY_HEAD)) {
      return Optional.empty();
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (String line : description.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        labels.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return Ownership.fromLabels(labels);
  }

  /** The user data of a Linux VM: its own plus the mounts, or empty. */
  static Optional<String> userData(VmSpec vm, List<GuestMount> mounts) {
    if (vm.guestOs() != GuestOs.LINUX || (vm.cloudInit().isEmpty() && mounts.isEmpty())) {
      return Optional.empty();
    }
    String own = vm.cloudInit().map(SecretValue::reveal).orElse(null);
    return Optional.of(mounts.isEmpty() ? own : GuestMountInjector.cloudInit(own, mounts));
  }

  /** The answer file of a Windows VM, with the drive mappings, or empty. */
  static Optional<String> unattend(VmSpec vm, List<GuestMount> mounts) {
    if (vm.guestOs() != GuestOs.WINDOWS || vm.sysprep().isEmpty()) {
      return Optional.empty();
    }
    String xml = vm.sysprep().orElseThrow().reveal();
    return Optional.of(mounts.isEmpty() ? xml : GuestMountInjector.sysprep(xml, mounts));
  }

  /**
   * The create request.
   *
   * @param name the VM's name
   * @param vm the spec
   * @param owner the lab's ownership
   * @param workload the workload
   * @param placement cluster and subnet
   * @param categoryExtId the lab's category
   * @param imageExtId the boot image
   * @param imageSize the image's size, or {@code null}
   * @param mounts the guest mounts, servers resolved
   * @return the request; reveals the guest customization secret into it
   */
  static VmCreateSpec create(
      String name,
      VmSpec vm,
      Ownership owner,
      String workload,
      NutanixBackend.Placement placement,
      String categoryExtId,
      String imageExtId,
      @Nullable Long imageSize,
      List<GuestMount> mounts) {
    VmCreateSpec.Builder b =
        VmCreateSpec.builder(name, placement.clusterExtId())
            .description(description(owner, workload))
            .cpu(vm.cpus(), 1, 1)
            .memoryBytes(MemorySize.parse(vm.memory()).bytes())
            .category(categoryExtId)
            .bootDiskFromImage(
                imageExtId, imageSize == null || imageSize <= 0 ? DEFAULT_BOOT_DISK : imageSize)
            .nic(placement.subnetExtId());
    vm.disks().forEach(d -> b.blankDisk(MemorySize.parse(d.size()).bytes()));
    userData(vm, mounts).ifPresent(u -> b.cloudInit(SecretValue.of(u)));
    unattend(vm, mounts).ifPresent(x -> b.sysprep(SecretValue.of(x)));
    return b.build();
  }

  static NativeObject render(
      String workload,
      VmSpec vm,
      LabNames names,
      NutanixSettings settings,
      List<GuestMount> mounts) {
    StringBuilder y = new StringBuilder();
    y.append("POST /api/vmm/v4.0/ahv/config/vms:\n");
    y.append("  name: ").append(names.objectName(workload)).append('\n');
    y.append("  cluster: ").append(settings.cluster().orElse("?")).append('\n');
    y.append("  numSockets: ").append(vm.cpus()).append('\n');
    y.append("  numCoresPerSocket: 1\n");
    y.append("  memorySizeBytes: ").append(MemorySize.parse(vm.memory()).bytes()).append('\n');
    y.append("  categories: [")
        .append(NutanixBackend.LAB_CATEGORY)
        .append('=')
        .append(names.ownership().labId())
        .append("]\n");
    y.append("  disks:\n");
    y.append("  - image: ").append(vm.image().orElseThrow().reference()).append('\n');
    for (var d : vm.disks()) {
      y.append("  - blank: ").append(d.size()).append(" (").append(d.name()).append(")\n");
    }
    y.append("  nics: [subnet ").append(settings.subnet().orElse("?")).append("]\n");
    if (userData(vm, List.of()).isPresent()
        || (vm.guestOs() == GuestOs.LINUX && !mounts.isEmpty())) {
      y.append("  guestCustomization: CloudInit ").append(NativeObject.REDACTED).append('\n');
    }
    if (vm.guestOs() == GuestOs.WINDOWS && vm.sysprep().isPresent()) {
      y.append("  guestCustomization: Sysprep ").append(NativeObject.REDACTED).append('\n');
    }
    for (GuestMount m : mounts) {
      y.append("  # mounts ")
          .append(m.volume())
          .append(" at ")
          .append(m.path())
          .append(" from //")
          .append(m.server())
          .append('/')
          .append(m.share())
          .append('\n');
    }
    y.append("POST /api/vmm/v4.0/ahv/config/vms/{extId}/$actions/power-on: {}\n");
    return new NativeObject(
        "VirtualMachine", names.objectName(workload), NativeObject.Format.YAML, y.toString());
  }
}
