package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The properties of a VM that a lab needs, read in one property collector call (see {@link
 * #PROPERTY_PATHS}).
 *
 * @param vm the VM
 * @param name the display name
 * @param template whether it is a template ({@code config.template})
 * @param powerState {@code runtime.powerState}
 * @param guestIpAddress {@code guest.ipAddress} (needs VMware Tools in the guest), or {@code null}
 * @param parent the folder the VM is in ({@code parent}), or {@code null}
 * @param resourcePool the resource pool ({@code resourcePool}; templates have none), or {@code
 *     null}
 * @param datastores the datastores holding its files
 * @param numCpus {@code config.hardware.numCPU} (0 if unknown)
 * @param memoryMb {@code config.hardware.memoryMB} (0 if unknown)
 * @param snapshot the snapshot tree ({@code snapshot}), or {@code null} when it has none
 * @param disks its virtual disks, from {@code config.hardware.device}
 * @param extraConfig {@code config.extraConfig} as key to value
 * @param customValues custom attribute values ({@code customValue}) by field key
 * @since 0.1.0
 */
public record VirtualMachineInfo(
    ManagedObjectReference vm,
    String name,
    boolean template,
    PowerState powerState,
    @Nullable String guestIpAddress,
    @Nullable ManagedObjectReference parent,
    @Nullable ManagedObjectReference resourcePool,
    List<ManagedObjectReference> datastores,
    int numCpus,
    long memoryMb,
    @Nullable SnapshotInfo snapshot,
    List<Disk> disks,
    Map<String, String> extraConfig,
    Map<Integer, String> customValues) {

  /** The property paths this view reads, in the order they are requested. */
  public static final List<String> PROPERTY_PATHS =
      List.of(
          "name",
          "config.template",
          "runtime.powerState",
          "guest.ipAddress",
          "snapshot",
          "parent",
          "resourcePool",
          "datastore",
          "config.hardware.numCPU",
          "config.hardware.memoryMB",
          "config.hardware.device",
          "config.extraConfig",
          "customValue");

  /**
   * Checks and copies the components.
   *
   * @param vm the VM
   * @param name the name
   * @param template whether it is a template
   * @param powerState the power state
   * @param guestIpAddress the guest IP, or {@code null}
   * @param parent the folder, or {@code null}
   * @param resourcePool the pool, or {@code null}
   * @param datastores the datastores
   * @param numCpus the CPU count
   * @param memoryMb the memory
   * @param snapshot the snapshots, or {@code null}
   * @param disks the disks
   * @param extraConfig the extra config
   * @param customValues the custom values
   */
  public VirtualMachineInfo {
    requireNonNull(vm, "vm");
    requireNonNull(name, "name");
    requireNonNull(powerState, "powerState");
    datastores = List.copyOf(datastores);
    disks = List.copyOf(disks);
    extraConfig = Collections.unmodifiableMap(new LinkedHashMap<>(extraConfig));
    customValues = Collections.unmodifiableMap(new LinkedHashMap<>(customValues));
  }

  /**
   * The guest's IP address.
   *
   * @return the address, once VMware Tools reports one
   */
  public Optional<String> guestIp() {
    return Optional.ofNullable(guestIpAddress).filter(s -> !s.isEmpty());
  }

  /**
   * The current snapshot.
   *
   * @return the snapshot, if the VM has one
   */
  public Optional<ManagedObjectReference> currentSnapshot() {
    return snapshot == null ? Optional.empty() : Optional.ofNullable(snapshot.current());
  }

  /**
   * Whether this VM is a linked clone, judged from what vCenter reports, never from how it was
   * requested: it has at least one disk, and every disk's backing has a parent (a delta disk on top
   * of the source's disk).
   *
   * @return whether every disk is a child disk
   */
  public boolean linkedClone() {
    return !disks.isEmpty() && disks.stream().allMatch(d -> d.parentFileName() != null);
  }

  /** A VM's power state ({@code VirtualMachinePowerState}). */
  public enum PowerState {
    /** Running. */
    POWERED_ON("poweredOn"),
    /** Off. */
    POWERED_OFF("poweredOff"),
    /** Suspended. */
    SUSPENDED("suspended");

    private final String wireName;

    PowerState(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The name on the wire, e.g. {@code poweredOn}.
     *
     * @return the name
     */
    public String wireName() {
      return wireName;
    }

    /**
     * Parses a wire name.
     *
     * @param wire e.g. {@code poweredOff}
     * @return the state
     * @throws IllegalArgumentException for an unknown name
     */
    public static PowerState fromWire(String wire) {
      for (PowerState s : values()) {
        if (s.wireName.equals(wire)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown VirtualMachinePowerState: " + wire);
    }
  }

  /**
   * A VM's snapshots ({@code VirtualMachineSnapshotInfo}).
   *
   * @param current the current snapshot, or {@code null}
   * @param roots the root snapshots, each with its children
   */
  public record SnapshotInfo(@Nullable ManagedObjectReference current, List<SnapshotNode> roots) {
    /**
     * Copies the roots.
     *
     * @param current the current snapshot, or {@code null}
     * @param roots the root snapshots
     */
    public SnapshotInfo {
      roots = List.copyOf(roots);
    }

    /**
     * Finds a snapshot by name anywhere in the tree (depth first).
     *
     * @param snapshotName the name
     * @return the first snapshot with that name
     */
    public Optional<SnapshotNode> find(String snapshotName) {
      for (SnapshotNode n : roots) {
        Optional<SnapshotNode> found = n.find(snapshotName);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
  }

  /**
   * One snapshot in the tree ({@code VirtualMachineSnapshotTree}).
   *
   * @param snapshot the snapshot object
   * @param name its name
   * @param description its description
   * @param children the snapshots taken on top of it
   */
  public record SnapshotNode(
      ManagedObjectReference snapshot,
      String name,
      String description,
      List<SnapshotNode> children) {
    /**
     * Checks the components.
     *
     * @param snapshot the snapshot
     * @param name the name
     * @param description the description
     * @param children the children
     */
    public SnapshotNode {
      requireNonNull(snapshot, "snapshot");
      requireNonNull(name, "name");
      requireNonNull(description, "description");
      children = List.copyOf(children);
    }

    Optional<SnapshotNode> find(String snapshotName) {
      if (name.equals(snapshotName)) {
        return Optional.of(this);
      }
      for (SnapshotNode c : children) {
        Optional<SnapshotNode> found = c.find(snapshotName);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    }
  }

  /**
   * A virtual disk ({@code VirtualDisk} in {@code config.hardware.device}).
   *
   * @param key the device key
   * @param fileName the backing file, e.g. {@code [ds1] lab-vm-1/lab-vm-1.vmdk}
   * @param parentFileName the backing's parent file (set for a linked clone's delta disk), or
   *     {@code null}
   * @param capacityKb the capacity in KB (0 if unknown)
   */
  public record Disk(int key, String fileName, @Nullable String parentFileName, long capacityKb) {
    /**
     * Checks the components.
     *
     * @param key the device key
     * @param fileName the backing file
     * @param parentFileName the parent file, or {@code null}
     * @param capacityKb the capacity
     */
    public Disk {
      requireNonNull(fileName, "fileName");
    }
  }
}
