package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a workload of a lab is: a {@link VmSpec} or a {@link ContainerSpec}. Both share the members
 * declared here: ports exposed to the lab, shared volume mounts, readiness, explicit dependencies,
 * labels and per-backend options.
 *
 * @since 0.1.0
 */
public sealed interface WorkloadSpec permits VmSpec, ContainerSpec {

  /**
   * Whether this is a VM or a container.
   *
   * @return the kind
   */
  WorkloadKind kind();

  /**
   * The ports exposed to the rest of the lab and to the test.
   *
   * @return the ports, in declaration order
   */
  List<PortSpec> ports();

  /**
   * The shared volumes mounted into the workload.
   *
   * @return the mounts, in declaration order
   */
  List<Mount> mounts();

  /**
   * When the workload counts as ready.
   *
   * @return the readiness
   */
  Readiness readiness();

  /**
   * Workloads that must be ready before this one is created, in addition to those it references
   * through {@link Ref} placeholders.
   *
   * @return the names, in declaration order
   */
  Set<String> dependsOn();

  /**
   * Labels added to the workload's objects, next to the ownership labels.
   *
   * @return the labels, in declaration order
   */
  Map<String, String> labels();

  /**
   * Per-backend options, at most one per backend.
   *
   * @return the options, in declaration order
   */
  List<BackendOptions> options();

  /**
   * The options of type {@code type}, if present.
   *
   * @param type the options class of a backend
   * @param <T> the options type
   * @return the options
   */
  default <T extends BackendOptions> Optional<T> options(Class<T> type) {
    return options().stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  /**
   * Every text of the workload that may hold {@link Ref} placeholders, by field path relative to
   * the workload (e.g. {@code env[TESTER_HOST]}). Secret values appear only when they are literals.
   *
   * @return path to text
   */
  Map<String, String> templatedText();

  /**
   * The workloads this one references through placeholders (well-formed ones only).
   *
   * @return referenced workload names, in order of first appearance
   */
  default Set<String> referencedWorkloads() {
    Set<String> names = new LinkedHashSet<>();
    for (String text : templatedText().values()) {
      for (Ref ref : Ref.parse(text).refs()) {
        names.add(ref.workload());
      }
    }
    return names;
  }

  /**
   * Every workload that must be ready before this one: {@link #dependsOn()} and {@link
   * #referencedWorkloads()}.
   *
   * @return names in order
   */
  default Set<String> prerequisites() {
    Set<String> all = new LinkedHashSet<>(dependsOn());
    all.addAll(referencedWorkloads());
    return all;
  }

  /**
   * Exposed port {@code number}, if the workload declares it.
   *
   * @param number the port number
   * @return the port
   */
  default Optional<PortSpec> port(int number) {
    return ports().stream().filter(p -> p.number() == number).findFirst();
  }

  /**
   * The members every workload builder shares.
   *
   * @param <B> the concrete builder
   * @since 0.1.0
   */
  abstract class Builder<B extends Builder<B>> {
    final List<PortSpec> ports = new ArrayList<>();
    final List<Mount> mounts = new ArrayList<>();
    Readiness readiness = Readiness.DEFAULT;
    final Set<String> dependsOn = new LinkedHashSet<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    final List<BackendOptions> options = new ArrayList<>();

    Builder() {}

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }

    void copyCommon(WorkloadSpec spec) {
      ports.addAll(spec.ports());
      mounts.addAll(spec.mounts());
      readiness = spec.readiness();
      dependsOn.addAll(spec.dependsOn());
      labels.putAll(spec.labels());
      options.addAll(spec.options());
    }

    /**
     * Exposes TCP ports to the lab and the test.
     *
     * @param numbers port numbers
     * @return this builder
     */
    public B expose(int... numbers) {
      for (int number : numbers) {
        ports.add(PortSpec.tcp(number));
      }
      return self();
    }

    /**
     * Exposes a port to the lab and the test.
     *
     * @param port the port
     * @return this builder
     */
    public B expose(PortSpec port) {
      ports.add(requireNonNull(port, "port"));
      return self();
    }

    /**
     * Mounts a shared volume read-write.
     *
     * @param volume the shared volume's name
     * @param path where it appears, e.g. {@code /data} or {@code R:}
     * @return this builder
     */
    public B mount(String volume, String path) {
      mounts.add(new Mount(volume, path, false));
      return self();
    }

    /**
     * Mounts a shared volume read-only.
     *
     * @param volume the shared volume's name
     * @param path where it appears
     * @return this builder
     */
    public B mountReadOnly(String volume, String path) {
      mounts.add(new Mount(volume, path, true));
      return self();
    }

    /**
     * Adds a mount.
     *
     * @param mount the mount
     * @return this builder
     */
    public B mount(Mount mount) {
      mounts.add(requireNonNull(mount, "mount"));
      return self();
    }

    /**
     * Sets the readiness, replacing probes and timeouts set so far.
     *
     * @param readiness the readiness
     * @return this builder
     */
    public B readiness(Readiness readiness) {
      this.readiness = requireNonNull(readiness, "readiness");
      return self();
    }

    /**
     * Adds a readiness probe.
     *
     * @param probe the probe
     * @return this builder
     */
    public B probe(Probe probe) {
      this.readiness = readiness.toBuilder().probe(probe).build();
      return self();
    }

    /**
     * Sets the timeout of one readiness stage.
     *
     * @param stage the stage
     * @param timeout the time it may take after the previous stage
     * @return this builder
     */
    public B timeout(Stage stage, Duration timeout) {
      this.readiness = readiness.toBuilder().timeout(stage, timeout).build();
      return self();
    }

    /**
     * Makes this workload wait until the named workloads are ready.
     *
     * @param workloads names of workloads of the same lab
     * @return this builder
     */
    public B dependsOn(String... workloads) {
      for (String w : workloads) {
        dependsOn.add(requireNonNull(w, "workload"));
      }
      return self();
    }

    /**
     * Adds a label to the workload's objects.
     *
     * @param key the key (Kubernetes label syntax)
     * @param value the value (Kubernetes label syntax)
     * @return this builder
     */
    public B label(String key, String value) {
      labels.put(requireNonNull(key, "key"), requireNonNull(value, "value"));
      return self();
    }

    /**
     * Attaches options of one backend.
     *
     * @param backendOptions the options
     * @return this builder
     */
    public B options(BackendOptions backendOptions) {
      options.add(requireNonNull(backendOptions, "backendOptions"));
      return self();
    }
  }
}
