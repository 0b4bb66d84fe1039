package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A container of a lab.
 *
 * <pre>{@code
 * ContainerSpec.builder()
 *     .image("python:3.12-slim")
 *     .command("python", "-m", "http.server", "8000")
 *     .env("TESTER_HOST", ref("tester").host())
 *     .secretEnv("API_TOKEN", SecretValue.fromEnv("API_TOKEN"))
 *     .mount("results", "/data")
 *     .expose(8000).probe(Probe.http(8000, "/"))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ContainerSpec implements WorkloadSpec {

  private final String image;
  private final List<String> command;
  private final List<String> args;
  private final Map<String, EnvValue> env;
  private final ResourceSpec resources;
  private final List<PortSpec> ports;
  private final List<Mount> mounts;
  private final Readiness readiness;
  private final Set<String> dependsOn;
  private final Map<String, String> labels;
  private final List<BackendOptions> options;

  private ContainerSpec(Builder b) {
    this.image = b.image;
    this.command = List.copyOf(b.command);
    this.args = List.copyOf(b.args);
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(b.env));
    this.resources = b.resources;
    this.ports = List.copyOf(b.ports);
    this.mounts = List.copyOf(b.mounts);
    this.readiness = b.readiness;
    this.dependsOn = Collections.unmodifiableSet(new LinkedHashSet<>(b.dependsOn));
    this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(b.labels));
    this.options = List.copyOf(b.options);
  }

  /**
   * A new builder.
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
    b.command.addAll(command);
    b.args.addAll(args);
    b.env.putAll(env);
    b.resources = resources;
    return b;
  }

  @Override
  public WorkloadKind kind() {
    return WorkloadKind.CONTAINER;
  }

  /**
   * The OCI image reference, e.g. {@code python:3.12-slim}; empty only in an invalid spec.
   *
   * @return the image
   */
  public String image() {
    return image;
  }

  /**
   * The entrypoint override; empty for the image's own.
   *
   * @return the command
   */
  public List<String> command() {
    return command;
  }

  /**
   * Arguments to the entrypoint; empty for the image's own.
   *
   * @return the arguments
   */
  public List<String> args() {
    return args;
  }

  /**
   * Environment variables, in declaration order (later values may use earlier ones).
   *
   * @return name to value
   */
  public Map<String, EnvValue> env() {
    return env;
  }

  /**
   * CPU and memory.
   *
   * @return the resources
   */
  public ResourceSpec resources() {
    return resources;
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
    env.forEach(
        (name, value) -> {
          if (value instanceof EnvValue.Plain plain) {
            texts.put("env[" + name + "]", plain.value());
          } else if (value instanceof EnvValue.Secret secret
              && secret.value().source() == SecretValue.Source.LITERAL) {
            texts.put("env[" + name + "]", secret.value().reference());
          }
        });
    for (int i = 0; i < command.size(); i++) {
      texts.put("command[" + i + "]", command.get(i));
    }
    for (int i = 0; i < args.size(); i++) {
      texts.put("args[" + i + "]", args.get(i));
    }
    return texts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ContainerSpec c
        && image.equals(c.image)
        && command.equals(c.command)
        && args.equals(c.args)
        && env.equals(c.env)
        && resources.equals(c.resources)
        && ports.equals(c.ports)
        && mounts.equals(c.mounts)
        && readiness.equals(c.readiness)
        && dependsOn.equals(c.dependsOn)
        && labels.equals(c.labels)
        && options.equals(c.options);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        image, command, args, env, resources, ports, mounts, readiness, dependsOn, labels, options);
  }

  /** Describes the container; secret environment values show only where they come from. */
  @Override
  public String toString() {
    return "ContainerSpec{image="
        + image
        + ", command="
        + command
        + ", args="
        + args
        + ", env="
        + env
        + ", resources="
        + resources
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
   * Builds a {@link ContainerSpec}.
   *
   * @since 0.1.0
   */
  public static final class Builder extends WorkloadSpec.Builder<Builder> {
    private String image = "";
    private final List<String> command = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, EnvValue> env = new LinkedHashMap<>();
    private ResourceSpec resources = ResourceSpec.DEFAULT;

    private Builder() {}

    /**
     * Sets the OCI image.
     *
     * @param reference e.g. {@code python:3.12-slim}
     * @return this builder
     */
    public Builder image(String reference) {
      this.image = requireNonNull(reference, "reference");
      return this;
    }

    /**
     * Overrides the image's entrypoint.
     *
     * @param command the command and leading arguments
     * @return this builder
     */
    public Builder command(String... command) {
      this.command.clear();
      this.command.addAll(List.of(command));
      return this;
    }

    /**
     * Overrides the image's arguments.
     *
     * @param args the arguments
     * @return this builder
     */
    public Builder args(String... args) {
      this.args.clear();
      this.args.addAll(List.of(args));
      return this;
    }

    /**
     * Sets an environment variable, possibly with {@link Ref} placeholders.
     *
     * @param name the variable's name
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      env.put(requireNonNull(name, "name"), EnvValue.plain(value));
      return this;
    }

    /**
     * Sets an environment variable to a reference to another workload.
     *
     * @param name the variable's name
     * @param ref the reference
     * @return this builder
     */
    public Builder env(String name, Ref ref) {
      return env(name, ref.expression());
    }

    /**
     * Sets an environment variable to a secret, delivered through the platform's secret store.
     *
     * @param name the variable's name
     * @param value the secret
     * @return this builder
     */
    public Builder secretEnv(String name, SecretValue value) {
      env.put(requireNonNull(name, "name"), EnvValue.secret(value));
      return this;
    }

    /**
     * Sets CPU and memory, each both guaranteed and the limit.
     *
     * @param cpu e.g. {@code 500m}
     * @param memory e.g. {@code 512Mi}
     * @return this builder
     */
    public Builder resources(String cpu, String memory) {
      this.resources = new ResourceSpec(cpu, memory);
      return this;
    }

    /**
     * Sets CPU and memory.
     *
     * @param resources the resources
     * @return this builder
     */
    public Builder resources(ResourceSpec resources) {
      this.resources = requireNonNull(resources, "resources");
      return this;
    }

    /**
     * Builds the spec. Values are checked when the lab spec is validated.
     *
     * @return the spec
     */
    public ContainerSpec build() {
      return new ContainerSpec(this);
    }
  }
}
