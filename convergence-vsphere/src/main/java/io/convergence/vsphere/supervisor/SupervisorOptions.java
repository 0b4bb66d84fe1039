package io.convergence.vsphere.supervisor;

import io.convergence.spec.BackendOptions;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Options of a VM on the {@code vsphere-supervisor} backend.
 *
 * <pre>{@code
 * VmSpec.builder().image("ubuntu-24.04")
 *     .options(SupervisorOptions.builder().className("best-effort-large").build())
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class SupervisorOptions implements BackendOptions {

  private final @Nullable String className;

  private SupervisorOptions(Builder b) {
    this.className = b.className;
  }

  /**
   * A new builder, with no option set.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String backendId() {
    return SupervisorBackendProvider.ID;
  }

  /**
   * The VirtualMachineClass the VM uses, instead of the smallest class that fits its CPUs and
   * memory.
   *
   * @return the class name, or empty
   */
  public Optional<String> className() {
    return Optional.ofNullable(className);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SupervisorOptions other && Objects.equals(className, other.className);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(className);
  }

  @Override
  public String toString() {
    return "SupervisorOptions{className=" + className + "}";
  }

  /**
   * Builds {@link SupervisorOptions}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private @Nullable String className;

    private Builder() {}

    /**
     * Names the VirtualMachineClass (it must be bound to the vSphere Namespace).
     *
     * @param className the class, e.g. {@code best-effort-large}
     * @return this builder
     */
    public Builder className(String className) {
      if (className == null || className.isBlank()) {
        throw new IllegalArgumentException("className must not be blank");
      }
      this.className = className;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public SupervisorOptions build() {
      return new SupervisorOptions(this);
    }
  }
}
