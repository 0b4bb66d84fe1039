package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A virtual machine of a lab.
 *
 * <pre>{@code
 * VmSpec.builder()
 *     .image("win2019-tester").guestOs(GuestOs.WINDOWS).cpus(4).memory("8Gi")
 *     .sysprep(SecretValue.fromFile(Path.of("unattend.xml")))
 *     .guestAgent(true)
 *     .mount("results", "R:")
 *     .expose(5985).probe(Probe.winRm())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class VmSpec implements WorkloadSpec {

  /** CPUs of a VM unless set. */
  public static final int DEFAULT_CPUS = 1;

  /** Memory of a VM unless set. */
  public static final String DEFAULT_MEMORY = "2Gi";

  private final @Nullable VmImage image;
  private final GuestOs guestOs;
  private final int cpus;
  private final String memory;
  private final List<DiskSpec> disks;
  private final @Nullable SecretValue cloudInit;
  private final @Nullable SecretValue sysprep;
  private final boolean guestAgent;
  private final List<PortSpec> ports;
  private final List<Mount> mounts;
  private final Readiness readiness;
  private final Set<String> dependsOn;
  private final Map<String, String> labels;
  private final List<BackendOptions> options;

  private VmSpec(Builder b) {
    this.image = b.image;
    this.guestOs = b.guestOs;
    this.cpus = b.cpus;
    this.memory = b.memory;
    this.disks = List.copyOf(b.disks);
    this.cloudInit = b.cloudInit;
    this.sysprep = b.sysprep;
    this.guestAgent = b.guestAgent;
    this.ports = List.copyOf(b.ports);
    this.mounts = List.copyOf(b.mounts);
    this.readiness = b.readiness;
    this.dependsOn = Collections.unmodifiableSet(new LinkedHashSet<>(b.dependsOn));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.options = List.copyOf(b.options);
  }

  /**
   * A new builder: Linux, {@value #DEFAULT_CPUS} CPU, {@value #DEFAULT_MEMORY}, no guest agent
   * expected.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this spec.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.copyCommon(this);
    b.image = image;
    b.guestOs = guestOs;
    b.cpus = cpus;
    b.memory = memory;
    b.disks.addAll(disks);
    b.cloudInit = cloudInit;
    b.sysprep = sysprep;
    b.guestAgent = guestAgent;
    return b;
  }

  @Override
  public WorkloadKind kind() {
    return WorkloadKind.VM;
  }

  /**
   * Where the boot disk comes from; empty only in an invalid spec.
   *
   * @return the image
   */
  public Optional<VmImage> image() {
    return Optional.ofNullable(image);
  }

  /**
   * The guest operating system family.
   *
   * @return the family
   */
  public GuestOs guestOs() {
    return guestOs;
  }

  /**
   * Virtual CPUs.
   *
   * @return the count
   */
  public int cpus() {
    return cpus;
  }

  /**
   * Memory as written, a quantity such as {@code 8Gi}; parse it with {@link
   * MemorySize#parse(String)}.
   *
   * @return the quantity text
   */
  public String memory() {
    return memory;
  }

  /**
   * Extra empty data disks.
   *
   * @return the disks
   */
  public List<DiskSpec> disks() {
    return disks;
  }

  /**
   * Cloud-init user data for a Linux guest.
   *
   * @return the user data
   */
  public Optional<SecretValue> cloudInit() {
    return Optional.ofNullable(cloudInit);
  }

  /**
   * The sysprep answer file (autounattend.xml) for a Windows guest.
   *
   * @return the answer file
   */
  public Optional<SecretValue> sysprep() {
    return Optional.ofNullable(sysprep);
  }

  /**
   * Whether the image has a guest agent (qemu-guest-agent, VMware Tools, Nutanix Guest Tools) whose
   * connection the {@link Stage#GUEST} stage waits for.
   *
   * @return true when an agent is expected
   */
  public boolean guestAgent() {
    return guestAgent;
  }

  @Override
  public List<PortSpec> ports() {
    return ports;
  }

  @Override
  public List<Mount> mounts() {
    return mounts;
  }

  @Override
  public Readiness readiness() {
    return readiness;
  }

  @Override
  public Set<String> dependsOn() {
    return dependsOn;
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public List<BackendOptions> options() {
    return options;
  }

  @Override
  public Map<String, String> templatedText() {
    Map<String, String> texts = new LinkedHashMap<>();
    if (cloudInit != null && cloudInit.source() == SecretValue.Source.LITERAL) {
      texts.put("cloudInit", cloudInit.reference());
    }
    if (sysprep != null && sysprep.source() == SecretValue.Source.LITERAL) {
      texts.put("sysprep", sysprep.reference());
    }
    return texts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VmSpec v
        && Objects.equals(image, v.image)
        && guestOs == v.guestOs
        && cpus == v.cpus
        && memory.equals(v.memory)
        && disks.equals(v.disks)
        && Objects.equals(cloudInit, v.cloudInit)
        && Objects.equals(sysprep, v.sysprep)
        && guestAgent == v.guestAgent
        && ports.equals(v.ports)
        && mounts.equals(v.mounts)
        && readiness.equals(v.readiness)
        && dependsOn.equals(v.dependsOn)
        && labels.equals(v.labels)
        && options.equals(v.options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        image,
        guestOs,
        cpus,
        memory,
        disks,
        cloudInit,
        sysprep,
        guestAgent,
        ports,
        mounts,
        readiness,
        dependsOn,
        labels,
        options);
  }

  /** Describes the VM; user data shows only where it comes from, never its content. */
  @Override
  public String toString() {
    return "VmSpec{image="
        + image
        + ", guestOs="
        + guestOs
        + ", cpus="
        + cpus
        + ", memory="
        + memory
        + ", disks="
        + disks
        + ", cloudInit="
        + cloudInit
        + ", sysprep="
        + sysprep
        + ", guestAgent="
        + guestAgent
        + ", ports="
        + ports
        + ", mounts="
        + mounts
        + ", readiness="
        + readiness
        + ", dependsOn="
        + dependsOn
        + ", labels="
        + labels
        + ", options="
        + options
        + "}";
  }

  /**
   * Builds a {@link VmSpec}.
   *
   * @since 0.1.0
   */
  public static final class Builder extends WorkloadSpec.Builder<Builder> {
    private @Nullable VmImage image;
    private GuestOs guestOs = GuestOs.LINUX;
    private int cpus = DEFAULT_CPUS;
    private String memory = DEFAULT_MEMORY;
    private final List<DiskSpec> disks = new ArrayList<>();
    private @Nullable SecretValue cloudInit;
    private @Nullable SecretValue sysprep;
    private boolean guestAgent;

    private Builder() {}

    /**
     * Boots from the image or template of this logical name, resolved by the backend.
     *
     * @param name e.g. {@code win2019-tester}
     * @return this builder
     */
    public Builder image(String name) {
      this.image = VmImage.named(name);
      return this;
    }

    /**
     * Boots from {@code image}.
     *
     * @param image the image
     * @return this builder
     */
    public Builder image(VmImage image) {
      this.image = requireNonNull(image, "image");
      return this;
    }

    /**
     * Sets the guest operating system family.
     *
     * @param guestOs the family
     * @return this builder
     */
    public Builder guestOs(GuestOs guestOs) {
      this.guestOs = requireNonNull(guestOs, "guestOs");
      return this;
    }

    /**
     * Sets the number of virtual CPUs.
     *
     * @param cpus the count
     * @return this builder
     */
    public Builder cpus(int cpus) {
      this.cpus = cpus;
      return this;
    }

    /**
     * Sets the memory.
     *
     * @param quantity e.g. {@code 8Gi}
     * @return this builder
     */
    public Builder memory(String quantity) {
      this.memory = requireNonNull(quantity, "quantity");
      return this;
    }

    /**
     * Sets the memory.
     *
     * @param size the size
     * @return this builder
     */
    public Builder memory(MemorySize size) {
      return memory(size.toString());
    }

    /**
     * Adds an extra empty data disk.
     *
     * @param name the disk's name
     * @param size its size, e.g. {@code 50Gi}
     * @return this builder
     */
    public Builder disk(String name, String size) {
      disks.add(new DiskSpec(name, size));
      return this;
    }

    /**
     * Sets cloud-init user data (Linux guests). It may hold {@link Ref} placeholders.
     *
     * @param userData the user data, starting with {@code #cloud-config} or another cloud-init
     *     header
     * @return this builder
     */
    public Builder cloudInit(String userData) {
      return cloudInit(SecretValue.of(userData));
    }

    /**
     * Sets cloud-init user data (Linux guests) from a secret source.
     *
     * @param userData the user data
     * @return this builder
     */
    public Builder cloudInit(SecretValue userData) {
      this.cloudInit = requireNonNull(userData, "userData");
      return this;
    }

    /**
     * Sets the sysprep answer file (Windows guests). It may hold {@link Ref} placeholders.
     *
     * @param unattendXml the autounattend.xml content
     * @return this builder
     */
    public Builder sysprep(String unattendXml) {
      return sysprep(SecretValue.of(unattendXml));
    }

    /**
     * Sets the sysprep answer file (Windows guests) from a secret source.
     *
     * @param unattendXml the autounattend.xml content
     * @return this builder
     */
    public Builder sysprep(SecretValue unattendXml) {
      this.sysprep = requireNonNull(unattendXml, "unattendXml");
      return this;
    }

    /**
     * Says whether the image has a guest agent whose connection readiness waits for.
     *
     * @param expected true when an agent is expected
     * @return this builder
     */
    public Builder guestAgent(boolean expected) {
      this.guestAgent = expected;
      return this;
    }

    /**
     * Builds the spec. Values are checked when the lab spec is validated.
     *
     * @return the spec
     */
    public VmSpec build() {
      return new VmSpec(this);
    }
  }
}
