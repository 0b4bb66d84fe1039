package io.convergence.vsphere.supervisor.internal;

import io.convergence.spec.GuestOs;
import io.convergence.spec.MemorySize;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a vSphere Namespace offers VMs: its VirtualMachineClasses and the images it can use
 * (VirtualMachineImages in the namespace, ClusterVirtualMachineImages). Chooses the class and image
 * of a VM. Pure once built.
 *
 * @param classes the classes, smallest first
 * @param images the images
 */
public record Catalog(List<VmClass> classes, List<Image> images) {

  /**
   * A VirtualMachineClass.
   *
   * @param name its name
   * @param cpus {@code spec.hardware.cpus}
   * @param memoryBytes {@code spec.hardware.memory} in bytes
   */
  public record VmClass(String name, int cpus, long memoryBytes) {
    @Override
    public String toString() {
      return name + " (" + cpus + " vCPU, " + MemorySize.ofMiB(memoryBytes / (1024 * 1024)) + ")";
    }
  }

  /**
   * A VirtualMachineImage or ClusterVirtualMachineImage.
   *
   * @param kind {@code VirtualMachineImage} or {@code ClusterVirtualMachineImage}
   * @param objectName the object name ({@code vmi-...})
   * @param displayName {@code status.name}, or null
   * @param osType {@code status.osInfo.type} ({@code Linux}, {@code Windows}), or null
   */
  public record Image(
      String kind, String objectName, @Nullable String displayName, @Nullable String osType) {
    @Override
    public String toString() {
      return (displayName == null ? objectName : displayName + " (" + objectName + ")")
          + (kind.startsWith("Cluster") ? " cluster-wide" : "");
    }
  }

  /**
   * Reads a catalog from the objects.
   *
   * @param classes the VirtualMachineClasses
   * @param images the VirtualMachineImages and ClusterVirtualMachineImages
   * @return the catalog
   */
  public static Catalog of(
      List<GenericKubernetesResource> classes, List<GenericKubernetesResource> images) {
    List<VmClass> cs = new ArrayList<>();
    for (GenericKubernetesResource c : classes) {
      Object cpus = Maps.at(c.getAdditionalProperties().get("spec"), "hardware", "cpus");
      Object memory = Maps.at(c.getAdditionalProperties().get("spec"), "hardware", "memory");
      if (cpus == null || memory == null) {
        continue; // a class without hardware sizing cannot be matched to a spec
      }
      BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(memory.toString()));
      cs.add(
          new VmClass(
              c.getMetadata().getName(), Integer.parseInt(cpus.toString()), bytes.longValue()));
    }
    cs.sort(
        Comparator.comparingLong(VmClass::memoryBytes)
            .thenComparingInt(VmClass::cpus)
            .thenComparing(VmClass::name));
    List<Image> is = new ArrayList<>();
    for (GenericKubernetesResource i : images) {
      Object status = i.getAdditionalProperties().get("status");
      Object name = Maps.at(status, "name");
      Object os = Maps.at(status, "osInfo", "type");
      is.add(
          new Image(
              i.getKind(),
              i.getMetadata().getName(),
              name == null ? null : name.toString(),
              os == null ? null : os.toString()));
    }
    return new Catalog(List.copyOf(cs), List.copyOf(is));
  }

  /**
   * The class of a VM: the one named, else the smallest with at least the spec's CPUs and memory.
   *
   * @param path the VM's field path, for problems
   * @param vm the VM
   * @param explicit a class named in the options, or null
   * @param problems where problems go
   * @return the class name, or null after a problem
   */
  public @Nullable String chooseClass(
      String path, VmSpec vm, @Nullable String explicit, List<SpecProblem> problems) {
    if (explicit != null) {
      if (classes.stream().noneMatch(c -> c.name().equals(explicit))) {
        problems.add(
            new SpecProblem(
                path + ".options.vsphere-supervisor.className",
                "no VirtualMachineClass \""
                    + explicit
                    + "\" in the namespace (classes there: "
                    + list(classes)
                    + "); ask the administrator to bind the class to the vSphere Namespace"));
        return null;
      }
      return explicit;
    }
    long memory = MemorySize.parse(vm.memory()).bytes();
    Optional<VmClass> fit =
        classes.stream()
            .filter(c -> c.cpus() >= vm.cpus() && c.memoryBytes() >= memory)
            .findFirst();
    if (fit.isEmpty()) {
      problems.add(
          new SpecProblem(
              path + ".cpus",
              "no VirtualMachineClass in the namespace has at least "
                  + vm.cpus()
                  + " vCPU and "
                  + vm.memory()
                  + " memory (classes there: "
                  + list(classes)
                  + "); ask for fewer resources, bind a larger class to the namespace, or name one"
                  + " with SupervisorOptions.className"));
      return null;
    }
    return fit.get().name();
  }

  /**
   * The image a VM boots: by object name, else by display name ({@code status.name}).
   *
   * @param path the VM's field path, for problems
   * @param reference the image name in the spec
   * @param guestOs the spec's guest OS, checked against the image's OS type
   * @param problems where problems go
   * @return the image, or null after a problem
   */
  public @Nullable Image chooseImage(
      String path, String reference, GuestOs guestOs, List<SpecProblem> problems) {
    List<Image> byObject = images.stream().filter(i -> i.objectName().equals(reference)).toList();
    List<Image> matches =
        byObject.isEmpty()
            ? images.stream().filter(i -> reference.equals(i.displayName())).toList()
            : byObject;
    if (matches.isEmpty()) {
      problems.add(
          new SpecProblem(
              path + ".image",
              "no VirtualMachineImage or ClusterVirtualMachineImage \""
                  + reference
                  + "\" (by name or display name) for the namespace (images: "
                  + list(images)
                  + "); publish it to a content library associated with the namespace"));
      return null;
    }
    if (matches.size() > 1) {
      problems.add(
          new SpecProblem(
              path + ".image",
              "the image name \""
                  + reference
                  + "\" is ambiguous: "
                  + list(matches)
                  + "; use the object name (vmi-...) of the one you mean"));
      return null;
    }
    Image image = matches.get(0);
    if (image.osType() != null) {
      boolean windows = image.osType().toLowerCase(Locale.ROOT).contains("windows");
      if (windows != (guestOs == GuestOs.WINDOWS)) {
        problems.add(
            new SpecProblem(
                path + ".guestOs",
                "image "
                    + image
                    + " is a "
                    + image.osType()
                    + " image, but the VM's guestOs is "
                    + guestOs.name().toLowerCase(Locale.ROOT)));
        return null;
      }
    }
    return image;
  }

  private static String list(List<?> items) {
    return items.isEmpty()
        ? "none"
        : String.join(", ", items.stream().map(Object::toString).toList());
  }

  /** Small helpers for untyped JSON trees. */
  static final class Maps {
    private Maps() {}

    static @Nullable Object at(@Nullable Object tree, String... path) {
      Object cur = tree;
      for (String p : path) {
        if (!(cur instanceof Map<?, ?> m)) {
          return null;
        }
        cur = m.get(p);
      }
      return cur;
    }
  }
}
