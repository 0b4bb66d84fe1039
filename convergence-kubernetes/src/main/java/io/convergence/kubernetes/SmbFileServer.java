package io.convergence.kubernetes;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;

/**
 * The in-lab Samba file server through which VMs reach a shared volume when the platform cannot
 * mount the volume's ReadWriteMany claim into a guest: an unprivileged container that mounts the
 * claim at {@code /share} and shares it as {@code //<server>/<volume>} to one user. Guests mount it
 * with {@link GuestMountInjector}.
 *
 * @since 0.1.0
 */
public final class SmbFileServer {

  /** The SMB port. */
  public static final int PORT = 445;

  /** The one SMB user of a share. */
  public static final String USER = "lab";

  /**
   * The default server image (dperson/samba, configured through {@code USER} and {@code SHARE}).
   */
  public static final String DEFAULT_IMAGE = "dperson/samba";

  private SmbFileServer() {}

  /**
   * The name of the file server workload of a volume.
   *
   * @param volume the shared volume
   * @return e.g. {@code results-smb}
   */
  public static String workloadName(String volume) {
    return volume + "-smb";
  }

  /**
   * The container that shares a volume over SMB.
   *
   * @param volume the shared volume
   * @param image the Samba server image
   * @param password the share's password (delivered through the platform's secret store)
   * @return the container spec, probed on port 445
   */
  public static ContainerSpec spec(String volume, String image, String password) {
    return ContainerSpec.builder()
        .image(image)
        .secretEnv("USER", SecretValue.of(USER + ";" + password))
        .env("SHARE", volume + ";/share;yes;no;no;" + USER)
        .expose(PortSpec.tcp(445, "smb"))
        .mount(volume, "/share")
        .probe(Probe.tcp(445))
        .build();
  }
}
