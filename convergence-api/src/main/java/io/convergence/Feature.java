package io.convergence;

/**
 * What a backend can do. The runtime checks the features a spec needs before any remote call and
 * rejects the spec with the field path and an alternative when the backend lacks one.
 *
 * @since 0.1.0
 */
public enum Feature {
  /** Virtual machines. */
  VIRTUAL_MACHINES,
  /** Containers. */
  CONTAINERS,
  /** Linux guests. */
  LINUX_GUESTS,
  /** Windows guests. */
  WINDOWS_GUESTS,
  /** Cloud-init customisation of Linux guests. */
  CLOUD_INIT,
  /** Sysprep customisation of Windows guests. */
  SYSPREP,
  /** Waiting for a VM's guest agent. */
  GUEST_AGENT,
  /** Extra data disks on VMs. */
  EXTRA_DISKS,
  /** Shared volumes. */
  SHARED_VOLUMES,
  /** VM images by logical name. */
  IMAGE_NAMED,
  /** VM images imported from a URL. */
  IMAGE_URL,
  /** VM images from an OCI registry. */
  IMAGE_REGISTRY,
  /** VM images cloned from an existing disk. */
  IMAGE_DISK,
  /** Snapshots and revert of VMs ({@link Snapshots}). */
  SNAPSHOTS,
  /** Running commands in containers. */
  CONTAINER_EXEC,
  /** Container logs. */
  CONTAINER_LOGS,
  /** Endpoints of workload ports reachable from the test JVM. */
  HOST_ENDPOINTS
}
