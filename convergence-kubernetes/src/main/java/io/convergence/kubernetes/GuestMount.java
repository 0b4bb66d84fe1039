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
    String password) {

  /** How the volume reaches the guest. */
  public enum Kind {
    /** The volume's PVC shared into the guest with virtiofs. */
    VIRTIOFS,
    /** NFS from the in-lab file server. */
    NFS,
    /** SMB from the in-lab file server. */
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
    return new GuestMount(volume, path, readOnly, kind, address, share, user, password);
  }

  @Override
  public String toString() {
    return "GuestMount[" + volume + " at " + path + " via " + kind + " " + server + "]";
  }
}
