package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.SecretValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link PrismClient#createVm(VmCreateSpec)} creates: CPU, memory, cluster, categories, a boot
 * disk cloned from an image, blank extra disks, NICs on subnets, and cloud-init user data or a
 * sysprep answer file. Immutable; {@link #toString()} never shows the guest customization payload.
 *
 * <p>The body sent is the contract's {@code vmm.v4.ahv.config.Vm}: disks on the SCSI bus (the boot
 * disk at index 0, blank disks after it), NICs as {@code NORMAL_NIC} in {@code ACCESS} mode, the
 * payload base64-encoded in a {@code CloudInit}/{@code Userdata} or {@code Sysprep}/{@code
 * Unattendxml} object, and {@code powerState: OFF} (power on with {@link
 * PrismClient#powerOnVm(String)}).
 *
 * <pre>{@code
 * VmCreateSpec spec = VmCreateSpec.builder("lab-tester-1a2b", cluster.extId())
 *     .description("convergence lab run-42")
 *     .cpu(2, 1, 1)
 *     .memoryMib(8192)
 *     .category(category.extId())
 *     .bootDiskFromImage(image.extId(), 40L << 30)
 *     .blankDisk(10L << 30)
 *     .nic(subnet.extId())
 *     .cloudInit(SecretValue.of("#cloud-config\n..."))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class VmCreateSpec {
  /**
   * The longest cloud-init user data accepted, base64-encoded: {@value} characters (Prism's {@code
   * user_data} limit).
   */
  public static final int MAX_USER_DATA_BASE64 = 128_000;

  /**
   * The longest sysprep answer file accepted, base64-encoded: {@value} characters (Prism's {@code
   * unattend_xml} limit).
   */
  public static final int MAX_UNATTEND_XML_BASE64 = 32_000;

  /** How a guest is customised on first boot. */
  public enum GuestCustomization {
    /** Linux: cloud-init user data. */
    CLOUD_INIT,
    /** Windows: a sysprep {@code unattend.xml}. */
    SYSPREP
  }

  /**
   * A disk on the SCSI bus.
   *
   * @param imageExtId the image the disk is cloned from, or {@code null} for a blank disk
   * @param sizeBytes the disk's size in bytes
   */
  public record Disk(@Nullable String imageExtId, long sizeBytes) {
    /**
     * Checks the size.
     *
     * @param imageExtId the image, or {@code null}
     * @param sizeBytes the size, positive
     */
    public Disk {
      if (sizeBytes <= 0) {
        throw new IllegalArgumentException("disk size must be positive: " + sizeBytes);
      }
      if (imageExtId != null && imageExtId.isBlank()) {
        throw new IllegalArgumentException("imageExtId is blank");
      }
    }
  }

  private final String name;
  private final @Nullable String description;
  private final String clusterExtId;
  private final int numSockets;
  private final int numCoresPerSocket;
  private final int numThreadsPerCore;
  private final long memorySizeBytes;
  private final List<String> categoryExtIds;
  private final @Nullable Disk bootDisk;
  private final List<Disk> blankDisks;
  private final List<String> subnetExtIds;
  private final @Nullable GuestCustomization guestCustomization;
  private final @Nullable SecretValue guestCustomizationPayload;

  private VmCreateSpec(Builder b) {
    this.name = b.name;
    this.description = b.description;
    this.clusterExtId = b.clusterExtId;
    this.numSockets = b.numSockets;
    this.numCoresPerSocket = b.numCoresPerSocket;
    this.numThreadsPerCore = b.numThreadsPerCore;
    this.memorySizeBytes = b.memorySizeBytes;
    this.categoryExtIds = List.copyOf(b.categoryExtIds);
    this.bootDisk = b.bootDisk;
    this.blankDisks = List.copyOf(b.blankDisks);
    this.subnetExtIds = List.copyOf(b.subnetExtIds);
    this.guestCustomization = b.guestCustomization;
    this.guestCustomizationPayload = b.guestCustomizationPayload;
  }

  /**
   * Starts a spec.
   *
   * @param name the VM's name
   * @param clusterExtId the extId of the cluster to create it on ({@link
   *     PrismClient#findCluster(String)})
   * @return a builder
   */
  public static Builder builder(String name, String clusterExtId) {
    return new Builder(name, clusterExtId);
  }

  /**
   * The VM's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The VM's description.
   *
   * @return the description, if set
   */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /**
   * The cluster's extId.
   *
   * @return the extId
   */
  public String clusterExtId() {
    return clusterExtId;
  }

  /**
   * CPU sockets.
   *
   * @return the number
   */
  public int numSockets() {
    return numSockets;
  }

  /**
   * Cores per socket.
   *
   * @return the number
   */
  public int numCoresPerSocket() {
    return numCoresPerSocket;
  }

  /**
   * Threads per core.
   *
   * @return the number
   */
  public int numThreadsPerCore() {
    return numThreadsPerCore;
  }

  /**
   * Memory in bytes.
   *
   * @return the size
   */
  public long memorySizeBytes() {
    return memorySizeBytes;
  }

  /**
   * The extIds of the categories to tag the VM with.
   *
   * @return the extIds
   */
  public List<String> categoryExtIds() {
    return categoryExtIds;
  }

  /**
   * The boot disk, cloned from an image.
   *
   * @return the disk, if set
   */
  public Optional<Disk> bootDisk() {
    return Optional.ofNullable(bootDisk);
  }

  /**
   * Blank extra disks, after the boot disk.
   *
   * @return the disks
   */
  public List<Disk> blankDisks() {
    return blankDisks;
  }

  /**
   * The extIds of the subnets of the NICs, one NIC each.
   *
   * @return the extIds
   */
  public List<String> subnetExtIds() {
    return subnetExtIds;
  }

  /**
   * How the guest is customised.
   *
   * @return the kind, if any
   */
  public Optional<GuestCustomization> guestCustomization() {
    return Optional.ofNullable(guestCustomization);
  }

  /**
   * The cloud-init user data or sysprep answer file, not yet encoded. Revealed only while the
   * create body is built.
   *
   * @return the payload, if any
   */
  public Optional<SecretValue> guestCustomizationPayload() {
    return Optional.ofNullable(guestCustomizationPayload);
  }

  /** {@return the shape of the VM, never the guest customization payload} */
  @Override
  public String toString() {
    return "VmCreateSpec{name="
        + name
        + ", cluster="
        + clusterExtId
        + ", cpu="
        + numSockets
        + "x"
        + numCoresPerSocket
        + "x"
        + numThreadsPerCore
        + ", memoryBytes="
        + memorySizeBytes
        + ", bootDisk="
        + bootDisk
        + ", blankDisks="
        + blankDisks
        + ", subnets="
        + subnetExtIds
        + ", categories="
        + categoryExtIds
        + ", guestCustomization="
        + (guestCustomization == null ? "none" : guestCustomization + "(***)")
        + "}";
  }

  /** Builds a {@link VmCreateSpec}. */
  public static final class Builder {
    private final String name;
    private final String clusterExtId;
    private @Nullable String description;
    private int numSockets = 1;
    private int numCoresPerSocket = 1;
    private int numThreadsPerCore = 1;
    private long memorySizeBytes;
    private final List<String> categoryExtIds = new ArrayList<>();
    private @Nullable Disk bootDisk;
    private final List<Disk> blankDisks = new ArrayList<>();
    private final List<String> subnetExtIds = new ArrayList<>();
    private @Nullable GuestCustomization guestCustomization;
    private @Nullable SecretValue guestCustomizationPayload;

    private Builder(String name, String clusterExtId) {
      this.name = nonBlank(name, "name");
      this.clusterExtId = nonBlank(clusterExtId, "clusterExtId");
    }

    /**
     * Sets the description.
     *
     * @param value the description
     * @return this builder
     */
    public Builder description(String value) {
      this.description = requireNonNull(value, "description");
      return this;
    }

    /**
     * Sets the CPU topology (default 1 × 1 × 1).
     *
     * @param sockets CPU sockets, at least 1
     * @param coresPerSocket cores per socket, at least 1
     * @param threadsPerCore threads per core, at least 1
     * @return this builder
     */
    public Builder cpu(int sockets, int coresPerSocket, int threadsPerCore) {
      if (sockets < 1 || coresPerSocket < 1 || threadsPerCore < 1) {
        throw new IllegalArgumentException(
            "sockets, cores per socket and threads per core must be at least 1: "
                + sockets
                + "x"
                + coresPerSocket
                + "x"
                + threadsPerCore);
      }
      this.numSockets = sockets;
      this.numCoresPerSocket = coresPerSocket;
      this.numThreadsPerCore = threadsPerCore;
      return this;
    }

    /**
     * Sets the memory in bytes (required).
     *
     * @param bytes the memory, positive
     * @return this builder
     */
    public Builder memoryBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("memory must be positive: " + bytes);
      }
      this.memorySizeBytes = bytes;
      return this;
    }

    /**
     * Sets the memory in MiB (required).
     *
     * @param mib the memory, positive
     * @return this builder
     */
    public Builder memoryMib(long mib) {
      if (mib <= 0 || mib > Long.MAX_VALUE >> 20) {
        throw new IllegalArgumentException("memory out of range: " + mib + " MiB");
      }
      return memoryBytes(mib << 20);
    }

    /**
     * Tags the VM with a category.
     *
     * @param categoryExtId the category's extId ({@link PrismClient#ensureCategory})
     * @return this builder
     */
    public Builder category(String categoryExtId) {
      String id = nonBlank(categoryExtId, "categoryExtId");
      if (!categoryExtIds.contains(id)) {
        categoryExtIds.add(id);
      }
      return this;
    }

    /**
     * Tags the VM with categories.
     *
     * @param extIds the categories' extIds
     * @return this builder
     */
    public Builder categories(Collection<String> extIds) {
      extIds.forEach(this::category);
      return this;
    }

    /**
     * Sets the boot disk (SCSI index 0), cloned from an image.
     *
     * @param imageExtId the image's extId ({@link PrismClient#findImage(String)})
     * @param sizeBytes the disk's size in bytes, at least the image's
     * @return this builder
     */
    public Builder bootDiskFromImage(String imageExtId, long sizeBytes) {
      this.bootDisk = new Disk(nonBlank(imageExtId, "imageExtId"), sizeBytes);
      return this;
    }

    /**
     * Adds a blank disk after the boot disk.
     *
     * @param sizeBytes the disk's size in bytes
     * @return this builder
     */
    public Builder blankDisk(long sizeBytes) {
      blankDisks.add(new Disk(null, sizeBytes));
      return this;
    }

    /**
     * Adds a NIC on a subnet.
     *
     * @param subnetExtId the subnet's extId ({@link PrismClient#findSubnet(String)})
     * @return this builder
     */
    public Builder nic(String subnetExtId) {
      subnetExtIds.add(nonBlank(subnetExtId, "subnetExtId"));
      return this;
    }

    /**
     * Customises a Linux guest with cloud-init user data (plain text; the client base64-encodes
     * it). Replaces a sysprep answer file set before.
     *
     * @param userData the user data, e.g. {@code #cloud-config ...}
     * @return this builder
     */
    public Builder cloudInit(SecretValue userData) {
      this.guestCustomization = GuestCustomization.CLOUD_INIT;
      this.guestCustomizationPayload = requireNonNull(userData, "userData");
      return this;
    }

    /**
     * Customises a Windows guest with a sysprep answer file (plain XML; the client base64-encodes
     * it). Replaces cloud-init user data set before.
     *
     * @param unattendXml the {@code unattend.xml}
     * @return this builder
     */
    public Builder sysprep(SecretValue unattendXml) {
      this.guestCustomization = GuestCustomization.SYSPREP;
      this.guestCustomizationPayload = requireNonNull(unattendXml, "unattendXml");
      return this;
    }

    /**
     * Builds the spec.
     *
     * @return the spec
     * @throws IllegalStateException when the memory is not set
     */
    public VmCreateSpec build() {
      if (memorySizeBytes <= 0) {
        throw new IllegalStateException("memory is not set: memoryBytes(...) or memoryMib(...)");
      }
      return new VmCreateSpec(this);
    }

    private static String nonBlank(String value, String what) {
      requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException(what + " is blank");
      }
      return value;
    }
  }
}
