package io.convergence.kubevirt.internal;

import io.convergence.config.ConvergenceConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The backend's settings, read once. */
public record KubeVirtSettings(
    Optional<String> fixedNamespace,
    Optional<String> storageClass,
    String goldenImageNamespace,
    SharedVolumeMode sharedVolumeMode,
    String nfsServerImage,
    String smbServerImage,
    FileProtocol linuxFileProtocol,
    String clusterDomain,
    String defaultImportSize,
    Duration execTimeout,
    Duration teardownTimeout) {

  /** How the in-lab file server serves Linux guests. */
  public enum FileProtocol {
    /** SMB from an unprivileged Samba server; Linux guests mount it with cifs. */
    SMB,
    /** NFS from a kernel NFS server, which needs a privileged pod (many clusters refuse those). */
    NFS
  }

  /** How shared volumes reach VMs. */
  public enum SharedVolumeMode {
    /** virtiofs for Linux guests when the cluster enables it, else a file server. */
    AUTO,
    /** virtiofs for Linux guests; a plan error when the cluster does not enable it. */
    VIRTIOFS,
    /** always an in-lab file server. */
    FILE_SERVER
  }

  private static FileProtocol protocol(ConvergenceConfig config) {
    String p = config.get("linux-file-protocol").orElse("smb");
    try {
      return FileProtocol.valueOf(p.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          config.describe("linux-file-protocol") + ": \"" + p + "\" is not valid; use smb or nfs",
          e);
    }
  }

  /** Reads the settings under {@code convergence.kubevirt.}. */
  public static KubeVirtSettings from(ConvergenceConfig config) {
    String mode =
        config.get("shared-volumes").orElse("auto").toUpperCase(Locale.ROOT).replace('-', '_');
    SharedVolumeMode m;
    try {
      m = SharedVolumeMode.valueOf(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          config.describe("shared-volumes")
              + ": \""
              + mode.toLowerCase(Locale.ROOT)
              + "\" is not valid; use auto, virtiofs or file-server",
          e);
    }
    return new KubeVirtSettings(
        config.get("namespace"),
        config.get("storage-class"),
        config.get("golden-image-namespace").orElse("kubevirt-os-images"),
        m,
        config.get("nfs-server-image").orElse("registry.k8s.io/volume-nfs:0.8"),
        config.get("smb-server-image").orElse("dperson/samba"),
        protocol(config),
        config.get("cluster-domain").orElse("cluster.local"),
        config.get("import-size").orElse("20Gi"),
        config.getDuration("exec-timeout", Duration.ofMinutes(2)),
        config.getDuration("teardown-timeout", Duration.ofMinutes(5)));
  }
}
