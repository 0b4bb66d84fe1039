package io.convergence.kubernetes;

/**
 * How a shared volume appears inside a VM's guest.
 *
 * @param volume the shared volume
 * @param path where the guest mounts it ({@code /mnt/results}, {@code R:})
 * @param readOnly whether read-only
 * @param kind the realisation
 * @param server the file server's host (NFS, SMB), or the virtiofs tag
 * @param share the NFS export path or SMB share name
 * @param user the SMB user, or empty
 * @param password the SMB password, or empty
 * @param subPath a directory below the export or share that is the volume, created when missing (a
 *     lab's directory on a shared Nutanix Files share), or empty for the whole export or share
 * @since 0.1.0
 */
public record GuestMount(
    String volume,
    String path,
    boolean readOnly,
    Kind kind,
    String server,
    String share,
    String user,
    String password,
    String subPath) {

  /**
   * A mount of a whole export or share.
   *
   * @param volume the shared volume
   * @param path where the guest mounts it
   * @param readOnly whether read-only
   * @param kind the realisation
   * @param server the file server's host, or the virtiofs tag
   * @param share the NFS export path or SMB share name
   * @param user the SMB user, or empty
   * @param password the SMB password, or empty
   */
  public GuestMount(
      String volume,
      String path,
      boolean readOnly,
      Kind kind,
      String server,
      String share,
      String user,
      String password) {
    this(volume, path, readOnly, kind, server, share, user, password, "");
  }

  /** How the volume reaches the guest. */
  public enum Kind {
    /** The volume's PVC shared into the guest with virtiofs. */
    VIRTIOFS,
    /** NFS from the in-lab file server or a configured export. */
    NFS,
    /** SMB from the in-lab file server or a configured share. */
    SMB
  }

  /**
   * This mount with another server, for platforms that learn the file server's address only once it
   * runs (a load balancer's address).
   *
   * @param address the server's host name or address
   * @return the mount
   */
  public GuestMount withServer(String address) {
    return new GuestMount(volume, path, readOnly, kind, address, share, user, password, subPath);
  }

  @Override
  public String toString() {
    return "GuestMount["
        + volume
        + " at "
        + path
        + " via "
        + kind
        + " "
        + server
        + (subPath.isEmpty() ? "" : " (" + share + "/" + subPath + ")")
        + "]";
  }
}
