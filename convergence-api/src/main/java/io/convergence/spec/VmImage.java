package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * Where a VM's boot disk comes from.
 *
 * <p>{@link Kind#NAMED} is the portable choice: a logical name that each backend resolves in its
 * own catalogue (a vSphere template or VirtualMachineImage, a Nutanix image, a KubeVirt DataSource
 * or PVC). The other kinds name a concrete source; a backend that cannot use one rejects the spec
 * when it plans the lab, naming the alternative.
 *
 * @param kind what {@code reference} is
 * @param reference the name, URL, registry reference or disk name
 * @since 0.1.0
 */
public record VmImage(Kind kind, String reference) {

  /**
   * What a {@link VmImage} reference is.
   *
   * @since 0.1.0
   */
  public enum Kind {
    /** A logical image or template name, resolved by the backend. */
    NAMED,
    /** An HTTP(S) URL of a disk image (qcow2, raw, vmdk) that the platform imports. */
    URL,
    /** An OCI registry reference of a disk image, e.g. a KubeVirt containerDisk. */
    REGISTRY,
    /** An existing disk (a PVC, a vSphere disk, a Nutanix vDisk) that is cloned for the VM. */
    DISK
  }

  /**
   * Checks the components.
   *
   * @param kind what {@code reference} is
   * @param reference the name, URL, registry reference or disk name
   */
  public VmImage {
    requireNonNull(kind, "kind");
    requireNonNull(reference, "reference");
  }

  /**
   * A logical image or template name, resolved by the backend, e.g. {@code win2019-tester}.
   *
   * @param name the name
   * @return the image
   */
  public static VmImage named(String name) {
    return new VmImage(Kind.NAMED, name);
  }

  /**
   * A disk image imported from an HTTP(S) URL.
   *
   * @param url the URL
   * @return the image
   */
  public static VmImage url(String url) {
    return new VmImage(Kind.URL, url);
  }

  /**
   * A disk image in an OCI registry, e.g. {@code quay.io/containerdisks/fedora:41}.
   *
   * @param reference the image reference
   * @return the image
   */
  public static VmImage registry(String reference) {
    return new VmImage(Kind.REGISTRY, reference);
  }

  /**
   * An existing disk that is cloned for the VM.
   *
   * @param name the disk's name on the platform
   * @return the image
   */
  public static VmImage disk(String name) {
    return new VmImage(Kind.DISK, name);
  }
}
