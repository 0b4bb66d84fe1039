package io.convergence.spec;

/**
 * The guest operating system family of a VM. It decides how the VM is customised (cloud-init for
 * Linux, sysprep/unattend for Windows) and how shared volumes are mounted in it (NFS or virtiofs
 * for Linux, SMB for Windows).
 *
 * @since 0.1.0
 */
public enum GuestOs {
  /** A Linux guest, customised through cloud-init. */
  LINUX,
  /** A Windows guest, customised through a sysprep answer file (autounattend.xml). */
  WINDOWS
}
