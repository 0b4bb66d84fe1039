package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import io.convergence.InvalidLabSpecException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A converged test lab: named VM and container workloads, the shared volumes they mount, labels and
 * a time-to-live after which anything left of the lab may be removed by a sweep.
 *
 * <pre>{@code
 * LabSpec spec = LabSpec.builder("wafer-analysis")
 *     .sharedVolume(SharedVolume.named("results").withSize("20Gi"))
 *     .vm("tester", VmSpec.builder().image("win2019-tester").guestOs(GuestOs.WINDOWS)
 *         .cpus(4).memory("8Gi").mount("results", "R:").expose(5985).build())
 *     .container("analysis", ContainerSpec.builder().image("python:3.12-slim")
 *         .env("TESTER_HOST", ref("tester").host()).mount("results", "/data").build())
 *     .ttl(Duration.ofHours(2))
 *     .build();
 * }</pre>
 *
 * <p>Building never fails for bad values: {@link #validate()} lists every problem with its field
 * path, and starting or planning a lab calls it before any backend is contacted.
 *
 * @since 0.1.0
 */
public final class LabSpec {

  /** The time-to-live of a lab unless set. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(2);

  /** The longest time-to-live a lab may have. */
  public static final Duration MAX_TTL = Duration.ofDays(7);

  /** The shortest time-to-live a lab may have. */
  public static final Duration MIN_TTL = Duration.ofMinutes(1);

  private final String name;
  private final List<NamedWorkload> workloads;
  private final List<SharedVolume> sharedVolumes;
  private final Map<String, String> labels;
  private final Duration ttl;

  private LabSpec(Builder b) {
    this.name = b.name;
    this.workloads = List.copyOf(b.workloads);
    this.sharedVolumes = List.copyOf(b.sharedVolumes);
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.ttl = b.ttl;
  }

  /**
   * A new builder for a lab named {@code name}.
   *
   * @param name the lab's name: a DNS label of at most 30 characters, e.g. {@code wafer-analysis}
   * @return the builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * A builder holding this spec.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.workloads.addAll(workloads);
    b.sharedVolumes.addAll(sharedVolumes);
    b.labels.putAll(labels);
    b.ttl = ttl;
    return b;
  }

  /**
   * The lab's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The workloads, in declaration order.
   *
   * @return the workloads
   */
  public List<NamedWorkload> workloads() {
    return workloads;
  }

  /**
   * The workload named {@code name}.
   *
   * @param name a workload's name
   * @return its spec, if the lab has it
   */
  public Optional<WorkloadSpec> workload(String name) {
    return workloads.stream()
        .filter(w -> w.name().equals(name))
        .map(NamedWorkload::spec)
        .findFirst();
  }

  /**
   * The names of the workloads, in declaration order.
   *
   * @return the names
   */
  public List<String> workloadNames() {
    return workloads.stream().map(NamedWorkload::name).toList();
  }

  /**
   * The shared volumes, in declaration order.
   *
   * @return the volumes
   */
  public List<SharedVolume> sharedVolumes() {
    return sharedVolumes;
  }

  /**
   * The shared volume named {@code name}.
   *
   * @param name a volume's name
   * @return the volume, if the lab has it
   */
  public Optional<SharedVolume> sharedVolume(String name) {
    return sharedVolumes.stream().filter(v -> v.name().equals(name)).findFirst();
  }

  /**
   * Labels added to every object of the lab, next to the ownership labels.
   *
   * @return the labels
   */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * How long the lab may live. After that, a sweep may remove whatever is left of it, even if its
   * JVM died.
   *
   * @return the time-to-live
   */
  public Duration ttl() {
    return ttl;
  }

  /**
   * Checks the whole spec.
   *
   * @return every problem with its field path; empty when the spec is valid
   */
  public List<SpecProblem> validate() {
    return LabSpecValidator.validate(this);
  }

  /**
   * Checks the whole spec and throws when it has problems.
   *
   * @return this spec
   * @throws InvalidLabSpecException listing every problem
   */
  public LabSpec requireValid() {
    List<SpecProblem> problems = validate();
    if (!problems.isEmpty()) {
      throw new InvalidLabSpecException(name, problems);
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabSpec s
        && name.equals(s.name)
        && workloads.equals(s.workloads)
        && sharedVolumes.equals(s.sharedVolumes)
        && labels.equals(s.labels)
        && ttl.equals(s.ttl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, workloads, sharedVolumes, labels, ttl);
  }

  /** Describes the lab; secrets show only where they come from. */
  @Override
  public String toString() {
    return "LabSpec{name="
        + name
        + ", workloads="
        + workloads
        + ", sharedVolumes="
        + sharedVolumes
        + ", labels="
        + labels
        + ", ttl="
        + ttl
        + "}";
  }

  /**
   * Builds a {@link LabSpec}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String name;
    private final List<NamedWorkload> workloads = new ArrayList<>();
    private final List<SharedVolume> sharedVolumes = new ArrayList<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Duration ttl = DEFAULT_TTL;

    private Builder(String name) {
      this.name = requireNonNull(name, "name");
    }

    /**
     * Adds a VM.
     *
     * @param name the workload's name
     * @param spec the VM
     * @return this builder
     */
    public Builder vm(String name, VmSpec spec) {
      return workload(name, spec);
    }

    /**
     * Adds a container.
     *
     * @param name the workload's name
     * @param spec the container
     * @return this builder
     */
    public Builder container(String name, ContainerSpec spec) {
      return workload(name, spec);
    }

    /**
     * Adds a workload.
     *
     * @param name the workload's name
     * @param spec the VM or container
     * @return this builder
     */
    public Builder workload(String name, WorkloadSpec spec) {
      workloads.add(new NamedWorkload(name, spec));
      return this;
    }

    /**
     * Removes the workload named {@code name}, if present.
     *
     * @param name the workload's name
     * @return this builder
     */
    public Builder withoutWorkload(String name) {
      workloads.removeIf(w -> w.name().equals(name));
      return this;
    }

    /**
     * Adds a shared volume.
     *
     * @param volume the volume
     * @return this builder
     */
    public Builder sharedVolume(SharedVolume volume) {
      sharedVolumes.add(requireNonNull(volume, "volume"));
      return this;
    }

    /**
     * Adds a label to every object of the lab.
     *
     * @param key the key (Kubernetes label syntax)
     * @param value the value (Kubernetes label syntax)
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return this;
    }

    /**
     * Sets the time-to-live.
     *
     * @param ttl between {@link #MIN_TTL} and {@link #MAX_TTL}
     * @return this builder
     */
    public Builder ttl(Duration ttl) {
      this.ttl = requireNonNull(ttl, "ttl");
      return this;
    }

    /**
     * Builds the spec. Values are checked by {@link LabSpec#validate()}.
     *
     * @return the spec
     */
    public LabSpec build() {
      return new LabSpec(this);
    }
  }
}
