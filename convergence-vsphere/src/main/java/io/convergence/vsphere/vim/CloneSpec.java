package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A {@code CloneVM_Task} request: the new VM's name and folder, and the parts of a {@code
 * VirtualMachineCloneSpec} a lab needs (placement, linked clone, template flag, power-on, a {@link
 * ConfigSpec}).
 *
 * <p>A linked clone ({@link Builder#linkedClone}) sets {@code diskMoveType} to {@code
 * createNewChildDiskBacking} and names the source snapshot whose disks become the parents, as
 * vCenter requires. Whether vCenter really made a linked clone is read back from the clone's disks
 * (see {@link CloneResult#linked()}).
 *
 * @since 0.1.0
 */
public final class CloneSpec {
  /** The {@code diskMoveType} of a linked clone: {@value}. */
  public static final String CREATE_NEW_CHILD_DISK_BACKING = "createNewChildDiskBacking";

  private final String name;
  private final ManagedObjectReference folder;
  private final @Nullable ManagedObjectReference pool;
  private final @Nullable ManagedObjectReference datastore;
  private final @Nullable ManagedObjectReference host;
  private final @Nullable String diskMoveType;
  private final @Nullable ManagedObjectReference snapshot;
  private final boolean template;
  private final boolean powerOn;
  private final @Nullable ConfigSpec config;
  private final @Nullable String sysprepText;
  private final int dhcpNics;

  private CloneSpec(Builder b) {
    this.name = b.name;
    this.folder = b.folder;
    this.pool = b.pool;
    this.datastore = b.datastore;
    this.host = b.host;
    this.diskMoveType = b.diskMoveType;
    this.snapshot = b.snapshot;
    this.template = b.template;
    this.powerOn = b.powerOn;
    this.config = b.config == null || b.config.isEmpty() ? null : b.config;
    this.sysprepText = b.sysprepText;
    this.dhcpNics = b.dhcpNics;
  }

  /**
   * Starts a clone request.
   *
   * @param name the new VM's name (unique in its folder)
   * @param folder the folder the new VM goes into
   * @return a builder
   */
  public static Builder builder(String name, ManagedObjectReference folder) {
    return new Builder(name, folder);
  }

  /**
   * The new VM's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The folder the new VM goes into.
   *
   * @return the folder
   */
  public ManagedObjectReference folder() {
    return folder;
  }

  /**
   * The resource pool ({@code location.pool}); required when cloning from a template into a VM.
   *
   * @return the pool, if set
   */
  public Optional<ManagedObjectReference> pool() {
    return Optional.ofNullable(pool);
  }

  /**
   * The datastore ({@code location.datastore}).
   *
   * @return the datastore, if set
   */
  public Optional<ManagedObjectReference> datastore() {
    return Optional.ofNullable(datastore);
  }

  /**
   * The host ({@code location.host}).
   *
   * @return the host, if set
   */
  public Optional<ManagedObjectReference> host() {
    return Optional.ofNullable(host);
  }

  /**
   * The {@code location.diskMoveType}.
   *
   * @return the type, if set
   */
  public Optional<String> diskMoveType() {
    return Optional.ofNullable(diskMoveType);
  }

  /**
   * The source snapshot ({@code spec.snapshot}).
   *
   * @return the snapshot, if set
   */
  public Optional<ManagedObjectReference> snapshot() {
    return Optional.ofNullable(snapshot);
  }

  /**
   * Whether a linked clone is requested.
   *
   * @return whether {@code diskMoveType} is {@value #CREATE_NEW_CHILD_DISK_BACKING}
   */
  public boolean linkedCloneRequested() {
    return CREATE_NEW_CHILD_DISK_BACKING.equals(diskMoveType);
  }

  /**
   * Whether the clone is marked as a template ({@code spec.template}).
   *
   * @return whether it is
   */
  public boolean template() {
    return template;
  }

  /**
   * Whether vCenter powers the clone on ({@code spec.powerOn}).
   *
   * @return whether it does
   */
  public boolean powerOn() {
    return powerOn;
  }

  /**
   * The configuration changes applied to the clone ({@code spec.config}).
   *
   * @return the changes, if any
   */
  public Optional<ConfigSpec> config() {
    return Optional.ofNullable(config);
  }

  /**
   * The Windows answer file of the guest customization ({@code spec.customization.identity}, a
   * {@code CustomizationSysprepText}). A secret: not in {@link #toString()}.
   *
   * @return the unattend.xml, if the clone is customized
   */
  public Optional<String> sysprepText() {
    return Optional.ofNullable(sysprepText);
  }

  /**
   * The number of network adapters the customization sets to DHCP ({@code nicSettingMap}; vCenter
   * requires one entry per adapter of the VM).
   *
   * @return the count
   */
  public int dhcpNics() {
    return dhcpNics;
  }

  /** {@return the request, without extraConfig values or the answer file} */
  @Override
  public String toString() {
    return "CloneSpec{name="
        + name
        + ", folder="
        + folder
        + ", pool="
        + pool
        + ", datastore="
        + datastore
        + ", host="
        + host
        + ", diskMoveType="
        + diskMoveType
        + ", snapshot="
        + snapshot
        + ", template="
        + template
        + ", powerOn="
        + powerOn
        + ", config="
        + config
        + (sysprepText == null ? "" : ", customization=sysprep(<redacted>), nics=" + dhcpNics)
        + "}";
  }

  /** Builds a {@link CloneSpec}. */
  public static final class Builder {
    private final String name;
    private final ManagedObjectReference folder;
    private @Nullable ManagedObjectReference pool;
    private @Nullable ManagedObjectReference datastore;
    private @Nullable ManagedObjectReference host;
    private @Nullable String diskMoveType;
    private @Nullable ManagedObjectReference snapshot;
    private boolean template;
    private boolean powerOn;
    private @Nullable ConfigSpec config;
    private @Nullable String sysprepText;
    private int dhcpNics;

    private Builder(String name, ManagedObjectReference folder) {
      this.name = requireNonNull(name, "name");
      this.folder = requireNonNull(folder, "folder");
      if (name.isEmpty() || name.length() > 80) {
        throw new IllegalArgumentException("a VM name has 1 to 80 characters: '" + name + "'");
      }
    }

    /**
     * Sets the resource pool.
     *
     * @param value a {@code ResourcePool}
     * @return this builder
     */
    public Builder pool(ManagedObjectReference value) {
      this.pool = requireNonNull(value, "pool");
      return this;
    }

    /**
     * Sets the datastore.
     *
     * @param value a {@code Datastore}
     * @return this builder
     */
    public Builder datastore(ManagedObjectReference value) {
      this.datastore = requireNonNull(value, "datastore");
      return this;
    }

    /**
     * Sets the host.
     *
     * @param value a {@code HostSystem}
     * @return this builder
     */
    public Builder host(ManagedObjectReference value) {
      this.host = requireNonNull(value, "host");
      return this;
    }

    /**
     * Requests a linked clone: child disks on top of the given snapshot's disks ({@code
     * diskMoveType} {@value #CREATE_NEW_CHILD_DISK_BACKING} and {@code spec.snapshot}).
     *
     * @param sourceSnapshot a snapshot of the source VM (usually its current one)
     * @return this builder
     */
    public Builder linkedClone(ManagedObjectReference sourceSnapshot) {
      this.snapshot = requireNonNull(sourceSnapshot, "sourceSnapshot");
      this.diskMoveType = CREATE_NEW_CHILD_DISK_BACKING;
      return this;
    }

    /**
     * Sets another {@code diskMoveType}, e.g. {@code moveAllDiskBackingsAndDisallowSharing}.
     *
     * @param value the VirtualMachineRelocateDiskMoveOptions value
     * @return this builder
     */
    public Builder diskMoveType(String value) {
      this.diskMoveType = requireNonNull(value, "diskMoveType");
      return this;
    }

    /**
     * Clones from a snapshot of the source rather than its current state.
     *
     * @param value a {@code VirtualMachineSnapshot} of the source
     * @return this builder
     */
    public Builder snapshot(ManagedObjectReference value) {
      this.snapshot = requireNonNull(value, "snapshot");
      return this;
    }

    /**
     * Marks the clone as a template (default false).
     *
     * @param value whether it is a template
     * @return this builder
     */
    public Builder template(boolean value) {
      this.template = value;
      return this;
    }

    /**
     * Lets vCenter power the clone on (default false). Labs power on explicitly instead, after
     * setting things up.
     *
     * @param value whether to power on
     * @return this builder
     */
    public Builder powerOn(boolean value) {
      this.powerOn = value;
      return this;
    }

    /**
     * Sets configuration changes for the clone.
     *
     * @param value the changes
     * @return this builder
     */
    public Builder config(ConfigSpec value) {
      this.config = requireNonNull(value, "config");
      return this;
    }

    /**
     * Customizes a Windows clone with a sysprep answer file ({@code CustomizationSysprepText}),
     * every network adapter on DHCP. vCenter runs sysprep in the guest at first boot; the guest
     * needs VMware Tools.
     *
     * @param unattendXml the unattend.xml
     * @param nics the number of network adapters of the source (one {@code nicSettingMap} entry
     *     each)
     * @return this builder
     */
    public Builder sysprep(String unattendXml, int nics) {
      this.sysprepText = requireNonNull(unattendXml, "unattendXml");
      if (nics < 0) {
        throw new IllegalArgumentException("nics must not be negative: " + nics);
      }
      this.dhcpNics = nics;
      return this;
    }

    /**
     * Builds the request.
     *
     * @return the request
     * @throws IllegalArgumentException when a linked clone is requested without a source snapshot
     */
    public CloneSpec build() {
      if (CREATE_NEW_CHILD_DISK_BACKING.equals(diskMoveType) && snapshot == null) {
        throw new IllegalArgumentException(
            "a linked clone (createNewChildDiskBacking) needs the source snapshot");
      }
      return new CloneSpec(this);
    }
  }
}
