package io.convergence.spec;

/**
 * What kind of workload a {@link WorkloadSpec} describes.
 *
 * @since 0.1.0
 */
public enum WorkloadKind {
  /** A virtual machine ({@link VmSpec}). */
  VM,
  /** A container ({@link ContainerSpec}). */
  CONTAINER
}
