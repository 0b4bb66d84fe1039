package io.convergence.nutanix.prism;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A VM as read back ({@code vmm.v4.ahv.config.Vm}), reduced to the fields a lab backend reads.
 *
 * @param extId the VM's extId
 * @param name its name
 * @param description its description
 * @param powerState its power state
 * @param memorySizeBytes its memory in bytes
 * @param numSockets its CPU sockets
 * @param numCoresPerSocket cores per socket
 * @param numThreadsPerCore threads per core
 * @param cluster the cluster it runs on
 * @param categories the categories it is tagged with
 * @param nics its network interfaces
 * @param guestTools the state of Nutanix Guest Tools
 * @param createTime when it was created (ISO-8601)
 * @param updateTime when it last changed (ISO-8601)
 * @param reserved holds the ETag read with it (see {@link #etag()})
 * @since 0.1.0
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Vm(
    String extId,
    @Nullable String name,
    @Nullable String description,
    @Nullable PowerState powerState,
    @Nullable Long memorySizeBytes,
    @Nullable Integer numSockets,
    @Nullable Integer numCoresPerSocket,
    @Nullable Integer numThreadsPerCore,
    @Nullable EntityRef cluster,
    List<EntityRef> categories,
    List<Nic> nics,
    @Nullable GuestTools guestTools,
    @Nullable String createTime,
    @Nullable String updateTime,
    @JsonProperty("$reserved") @Nullable Reserved reserved) {

  /**
   * Normalises missing lists to empty ones.
   *
   * @param extId the extId
   * @param name the name
   * @param description the description
   * @param powerState the power state
   * @param memorySizeBytes the memory
   * @param numSockets the sockets
   * @param numCoresPerSocket the cores per socket
   * @param numThreadsPerCore the threads per core
   * @param cluster the cluster
   * @param categories the categories, or {@code null}
   * @param nics the NICs, or {@code null}
   * @param guestTools the guest tools state
   * @param createTime the creation time
   * @param updateTime the last update time
   * @param reserved the reserved fields
   */
  public Vm {
    categories = categories == null ? List.of() : List.copyOf(categories);
    nics = nics == null ? List.of() : List.copyOf(nics);
  }

  /** A VM's power state. */
  public enum PowerState {
    /** Running. */
    ON,
    /** Stopped. */
    OFF,
    /** Paused. */
    PAUSED,
    /** Prism Central does not know. */
    UNDETERMINED,
    /** A value this client does not know. */
    @JsonEnumDefaultValue
    UNKNOWN
  }

  /**
   * Nutanix Guest Tools state.
   *
   * @param isEnabled whether NGT is enabled
   * @param isReachable whether the guest agent answers
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GuestTools(@Nullable Boolean isEnabled, @Nullable Boolean isReachable) {}

  /**
   * A network interface.
   *
   * @param extId the NIC's extId
   * @param backingInfo the emulated device (MAC address, connection)
   * @param networkInfo the network it is on and the addresses learned
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Nic(
      @Nullable String extId,
      @Nullable BackingInfo backingInfo,
      @Nullable NetworkInfo networkInfo) {

    /**
     * The emulated device.
     *
     * @param macAddress the MAC address
     * @param isConnected whether the NIC is connected
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BackingInfo(@Nullable String macAddress, @Nullable Boolean isConnected) {}

    /**
     * The network side.
     *
     * @param nicType e.g. {@code NORMAL_NIC}
     * @param subnet the subnet
     * @param ipv4Info the IPv4 addresses
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record NetworkInfo(
        @Nullable String nicType, @Nullable EntityRef subnet, @Nullable Ipv4Info ipv4Info) {}

    /**
     * IPv4 addresses.
     *
     * @param learnedIpAddresses the addresses learned from the guest's traffic (after boot)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ipv4Info(List<IpAddress> learnedIpAddresses) {
      /**
       * Normalises a missing list to an empty one.
       *
       * @param learnedIpAddresses the addresses, or {@code null}
       */
      public Ipv4Info {
        learnedIpAddresses =
            learnedIpAddresses == null ? List.of() : List.copyOf(learnedIpAddresses);
      }
    }

    /**
     * An IP address.
     *
     * @param value the address, e.g. {@code 10.23.129.96}
     * @param prefixLength the prefix length, e.g. {@code 32}
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record IpAddress(String value, @Nullable Integer prefixLength) {}

    /**
     * The MAC address.
     *
     * @return the address, if known
     */
    public Optional<String> macAddress() {
      return backingInfo == null ? Optional.empty() : Optional.ofNullable(backingInfo.macAddress());
    }

    /**
     * The subnet's extId.
     *
     * @return the extId, if known
     */
    public Optional<String> subnetExtId() {
      return networkInfo == null || networkInfo.subnet() == null
          ? Optional.empty()
          : Optional.ofNullable(networkInfo.subnet().extId());
    }

    /**
     * The learned IPv4 addresses.
     *
     * @return the addresses, empty until the guest has booted
     */
    public List<String> learnedIpAddresses() {
      if (networkInfo == null || networkInfo.ipv4Info() == null) {
        return List.of();
      }
      return networkInfo.ipv4Info().learnedIpAddresses().stream().map(IpAddress::value).toList();
    }
  }

  /**
   * The ETag read with this VM (the {@code ETag} response header, or {@code $reserved.ETag}).
   *
   * @return the ETag, if Prism Central sent one
   */
  public Optional<String> etag() {
    return reserved == null ? Optional.empty() : Optional.ofNullable(reserved.etag());
  }

  /**
   * The learned IPv4 addresses of every NIC, in NIC order.
   *
   * @return the addresses, empty until the guest has booted
   */
  public List<String> ipAddresses() {
    List<String> all = new ArrayList<>();
    for (Nic nic : nics) {
      all.addAll(nic.learnedIpAddresses());
    }
    return all;
  }

  /**
   * The extIds of the categories the VM is tagged with.
   *
   * @return the extIds
   */
  public List<String> categoryExtIds() {
    return categories.stream().map(EntityRef::extId).filter(java.util.Objects::nonNull).toList();
  }
}
