package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * The part of a {@code VirtualMachineConfigSpec} a lab needs: CPU, memory, annotation and {@code
 * extraConfig} keys (such as the {@code guestinfo.*} keys cloud-init's VMware datasource reads).
 * Used by {@code ReconfigVM_Task} and in a {@link CloneSpec}. Unset fields are left out of the
 * request, so vCenter keeps their current values.
 *
 * <p>{@link #toString()} lists the extraConfig keys only: user-data often carries secrets.
 *
 * @since 0.1.0
 */
public final class ConfigSpec {
  /** The extraConfig key cloud-init reads user-data from: {@value}. */
  public static final String GUESTINFO_USERDATA = "guestinfo.userdata";

  /** The extraConfig key cloud-init reads meta-data from: {@value}. */
  public static final String GUESTINFO_METADATA = "guestinfo.metadata";

  private final @Nullable String annotation;
  private final @Nullable Integer numCpus;
  private final @Nullable Long memoryMb;
  private final Map<String, String> extraConfig;

  private ConfigSpec(Builder b) {
    this.annotation = b.annotation;
    this.numCpus = b.numCpus;
    this.memoryMb = b.memoryMb;
    this.extraConfig = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraConfig));
  }

  /**
   * Starts a spec.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The annotation (the VM's notes).
   *
   * @return the annotation, if set
   */
  public Optional<String> annotation() {
    return Optional.ofNullable(annotation);
  }

  /**
   * The number of virtual CPUs ({@code numCPUs}).
   *
   * @return the count, if set
   */
  public OptionalInt numCpus() {
    return numCpus == null ? OptionalInt.empty() : OptionalInt.of(numCpus);
  }

  /**
   * The memory in MB ({@code memoryMB}).
   *
   * @return the size, if set
   */
  public OptionalLong memoryMb() {
    return memoryMb == null ? OptionalLong.empty() : OptionalLong.of(memoryMb);
  }

  /**
   * The extraConfig entries, in the order they were added.
   *
   * @return key to value
   */
  public Map<String, String> extraConfig() {
    return extraConfig;
  }

  /**
   * Whether nothing is set (the spec would change nothing).
   *
   * @return whether it is empty
   */
  public boolean isEmpty() {
    return annotation == null && numCpus == null && memoryMb == null && extraConfig.isEmpty();
  }

  /** {@return the set fields, with extraConfig keys but not their values} */
  @Override
  public String toString() {
    return "ConfigSpec{numCpus="
        + numCpus
        + ", memoryMb="
        + memoryMb
        + ", annotation="
        + (annotation == null ? "null" : "set")
        + ", extraConfigKeys="
        + extraConfig.keySet()
        + "}";
  }

  /** Builds a {@link ConfigSpec}. */
  public static final class Builder {
    private @Nullable String annotation;
    private @Nullable Integer numCpus;
    private @Nullable Long memoryMb;
    private final Map<String, String> extraConfig = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Sets the annotation.
     *
     * @param value the notes
     * @return this builder
     */
    public Builder annotation(String value) {
      this.annotation = requireNonNull(value, "annotation");
      return this;
    }

    /**
     * Sets the number of virtual CPUs.
     *
     * @param value at least 1
     * @return this builder
     */
    public Builder numCpus(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("numCpus must be at least 1: " + value);
      }
      this.numCpus = value;
      return this;
    }

    /**
     * Sets the memory.
     *
     * @param value in MB, at least 4
     * @return this builder
     */
    public Builder memoryMb(long value) {
      if (value < 4) {
        throw new IllegalArgumentException("memoryMb must be at least 4: " + value);
      }
      this.memoryMb = value;
      return this;
    }

    /**
     * Adds (or replaces) an extraConfig entry. An empty value removes the key on vCenter.
     *
     * @param key e.g. {@code guestinfo.owner}
     * @param value the value
     * @return this builder
     */
    public Builder extraConfig(String key, String value) {
      requireNonNull(key, "key");
      requireNonNull(value, "value");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("extraConfig key must not be empty");
      }
      extraConfig.put(key, value);
      return this;
    }

    /**
     * Sets cloud-init's VMware guestinfo keys: {@code guestinfo.userdata} and, when given, {@code
     * guestinfo.metadata}, each base64-encoded with its {@code .encoding} key set to {@code
     * base64}.
     *
     * @param userData the user-data, e.g. a {@code #cloud-config} document
     * @param metaData the meta-data (instance-id, local-hostname, network), or {@code null}
     * @return this builder
     */
    public Builder cloudInit(String userData, @Nullable String metaData) {
      requireNonNull(userData, "userData");
      putEncoded(GUESTINFO_USERDATA, userData);
      if (metaData != null) {
        putEncoded(GUESTINFO_METADATA, metaData);
      }
      return this;
    }

    private void putEncoded(String key, String value) {
      extraConfig.put(
          key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
      extraConfig.put(key + ".encoding", "base64");
    }

    /**
     * Builds the spec.
     *
     * @return the spec
     */
    public ConfigSpec build() {
      return new ConfigSpec(this);
    }
  }
}
