package io.convergence.kubevirt;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.BackendOptions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Options of a workload on KubeVirt, for what the portable model does not cover. Other backends
 * ignore them.
 *
 * <pre>{@code
 * VmSpec.builder().image("win2022")
 *     .options(KubeVirtOptions.builder()
 *         .nodeSelector(Map.of("kubevirt.io/schedulable", "true"))
 *         .diskBus("virtio")
 *         .modifyVirtualMachine(vm -> { vm.getMetadata().getAnnotations().put("x", "y"); return vm; })
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>In YAML: {@code options: {kubevirt: {nodeSelector: {...}, diskBus: virtio, interfaceModel:
 * e1000e, instancetype: u1.medium, preference: fedora, rootDiskSize: 40Gi, storageClass: ssd,
 * importRegistryImage: true}}}; the modifiers exist only in code.
 *
 * @since 0.1.0
 */
public final class KubeVirtOptions implements BackendOptions {

  private final Map<String, String> nodeSelector;
  private final @Nullable String diskBus;
  private final @Nullable String interfaceModel;
  private final @Nullable String instancetype;
  private final @Nullable String preference;
  private final @Nullable String rootDiskSize;
  private final @Nullable String storageClass;
  private final boolean importRegistryImage;
  private final @Nullable UnaryOperator<GenericKubernetesResource> virtualMachineModifier;
  private final @Nullable UnaryOperator<Pod> podModifier;

  private KubeVirtOptions(Builder b) {
    this.nodeSelector = Collections.unmodifiableMap(new LinkedHashMap<>(b.nodeSelector));
    this.diskBus = b.diskBus;
    this.interfaceModel = b.interfaceModel;
    this.instancetype = b.instancetype;
    this.preference = b.preference;
    this.rootDiskSize = b.rootDiskSize;
    this.storageClass = b.storageClass;
    this.importRegistryImage = b.importRegistryImage;
    this.virtualMachineModifier = b.virtualMachineModifier;
    this.podModifier = b.podModifier;
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String backendId() {
    return KubeVirtBackendProvider.ID;
  }

  /**
   * Node labels the VM's or container's pod must be scheduled on.
   *
   * @return the selector
   */
  public Map<String, String> nodeSelector() {
    return nodeSelector;
  }

  /**
   * The bus of the VM's disks ({@code virtio}, {@code sata}, {@code scsi}); default virtio for
   * Linux, sata for Windows (which boots without virtio drivers).
   *
   * @return the bus
   */
  public Optional<String> diskBus() {
    return Optional.ofNullable(diskBus);
  }

  /**
   * The model of the VM's network interface; default virtio for Linux, e1000e for Windows.
   *
   * @return the model
   */
  public Optional<String> interfaceModel() {
    return Optional.ofNullable(interfaceModel);
  }

  /**
   * A VirtualMachineClusterInstancetype replacing the spec's CPUs and memory, e.g. {@code
   * u1.medium}.
   *
   * @return the instancetype
   */
  public Optional<String> instancetype() {
    return Optional.ofNullable(instancetype);
  }

  /**
   * A VirtualMachineClusterPreference, e.g. {@code windows.2k22.virtio}.
   *
   * @return the preference
   */
  public Optional<String> preference() {
    return Optional.ofNullable(preference);
  }

  /**
   * The size of a root disk imported or cloned by CDI; default: the source's size for clones, 20Gi
   * for imports.
   *
   * @return the size
   */
  public Optional<String> rootDiskSize() {
    return Optional.ofNullable(rootDiskSize);
  }

  /**
   * The storage class of the root disk's DataVolume.
   *
   * @return the class
   */
  public Optional<String> storageClass() {
    return Optional.ofNullable(storageClass);
  }

  /**
   * Whether a registry image is imported into a persistent DataVolume instead of used as an
   * ephemeral containerDisk.
   *
   * @return true to import
   */
  public boolean importRegistryImage() {
    return importRegistryImage;
  }

  /**
   * The last-mile modifier of the VirtualMachine object.
   *
   * @return the modifier
   */
  public Optional<UnaryOperator<GenericKubernetesResource>> virtualMachineModifier() {
    return Optional.ofNullable(virtualMachineModifier);
  }

  /**
   * The last-mile modifier of a container's Pod.
   *
   * @return the modifier
   */
  public Optional<UnaryOperator<Pod>> podModifier() {
    return Optional.ofNullable(podModifier);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KubeVirtOptions k
        && nodeSelector.equals(k.nodeSelector)
        && Objects.equals(diskBus, k.diskBus)
        && Objects.equals(interfaceModel, k.interfaceModel)
        && Objects.equals(instancetype, k.instancetype)
        && Objects.equals(preference, k.preference)
        && Objects.equals(rootDiskSize, k.rootDiskSize)
        && Objects.equals(storageClass, k.storageClass)
        && importRegistryImage == k.importRegistryImage
        && virtualMachineModifier == k.virtualMachineModifier
        && podModifier == k.podModifier;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        nodeSelector,
        diskBus,
        interfaceModel,
        instancetype,
        preference,
        rootDiskSize,
        storageClass,
        importRegistryImage);
  }

  @Override
  public String toString() {
    return "KubeVirtOptions{nodeSelector="
        + nodeSelector
        + ", diskBus="
        + diskBus
        + ", interfaceModel="
        + interfaceModel
        + ", instancetype="
        + instancetype
        + ", preference="
        + preference
        + ", rootDiskSize="
        + rootDiskSize
        + ", storageClass="
        + storageClass
        + ", importRegistryImage="
        + importRegistryImage
        + (virtualMachineModifier != null ? ", virtualMachineModifier" : "")
        + (podModifier != null ? ", podModifier" : "")
        + "}";
  }

  /**
   * Builds {@link KubeVirtOptions}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final Map<String, String> nodeSelector = new LinkedHashMap<>();
    private @Nullable String diskBus;
    private @Nullable String interfaceModel;
    private @Nullable String instancetype;
    private @Nullable String preference;
    private @Nullable String rootDiskSize;
    private @Nullable String storageClass;
    private boolean importRegistryImage;
    private @Nullable UnaryOperator<GenericKubernetesResource> virtualMachineModifier;
    private @Nullable UnaryOperator<Pod> podModifier;

    private Builder() {}

    /**
     * Adds node labels the pod must be scheduled on.
     *
     * @param selector labels
     * @return this builder
     */
    public Builder nodeSelector(Map<String, String> selector) {
      nodeSelector.putAll(selector);
      return this;
    }

    /**
     * Sets the disk bus.
     *
     * @param bus {@code virtio}, {@code sata} or {@code scsi}
     * @return this builder
     */
    public Builder diskBus(String bus) {
      this.diskBus = requireNonNull(bus, "bus");
      return this;
    }

    /**
     * Sets the interface model.
     *
     * @param model e.g. {@code virtio} or {@code e1000e}
     * @return this builder
     */
    public Builder interfaceModel(String model) {
      this.interfaceModel = requireNonNull(model, "model");
      return this;
    }

    /**
     * Uses a cluster instancetype instead of the spec's CPUs and memory.
     *
     * @param name e.g. {@code u1.medium}
     * @return this builder
     */
    public Builder instancetype(String name) {
      this.instancetype = requireNonNull(name, "name");
      return this;
    }

    /**
     * Uses a cluster preference.
     *
     * @param name e.g. {@code fedora}
     * @return this builder
     */
    public Builder preference(String name) {
      this.preference = requireNonNull(name, "name");
      return this;
    }

    /**
     * Sets the root disk's size for imports and clones.
     *
     * @param size e.g. {@code 40Gi}
     * @return this builder
     */
    public Builder rootDiskSize(String size) {
      this.rootDiskSize = requireNonNull(size, "size");
      return this;
    }

    /**
     * Sets the root disk's storage class.
     *
     * @param name the class
     * @return this builder
     */
    public Builder storageClass(String name) {
      this.storageClass = requireNonNull(name, "name");
      return this;
    }

    /**
     * Imports a registry image into a persistent DataVolume instead of an ephemeral containerDisk.
     *
     * @param importImage true to import
     * @return this builder
     */
    public Builder importRegistryImage(boolean importImage) {
      this.importRegistryImage = importImage;
      return this;
    }

    /**
     * Changes the VirtualMachine object after Convergence built it. This exposes KubeVirt's API:
     * the spec is no longer portable, and a change that breaks what Convergence relies on (labels,
     * runStrategy) breaks the lab.
     *
     * @param modifier returns the object to send
     * @return this builder
     */
    public Builder modifyVirtualMachine(UnaryOperator<GenericKubernetesResource> modifier) {
      this.virtualMachineModifier = requireNonNull(modifier, "modifier");
      return this;
    }

    /**
     * Changes a container's Pod after Convergence built it. The same caveats as {@link
     * #modifyVirtualMachine(UnaryOperator)} apply.
     *
     * @param modifier returns the pod to send
     * @return this builder
     */
    public Builder modifyPod(UnaryOperator<Pod> modifier) {
      this.podModifier = requireNonNull(modifier, "modifier");
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public KubeVirtOptions build() {
      return new KubeVirtOptions(this);
    }
  }
}
