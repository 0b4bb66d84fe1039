package io.convergence.vsphere.supervisor.internal;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.SmbFileServer;
import java.time.Duration;
import java.util.Optional;

/**
 * The Supervisor backend's settings, read once from {@code convergence.vsphere-supervisor.*}.
 *
 * @param namespace the vSphere Namespace every lab uses (required)
 * @param storageClass the StorageClass (vSphere storage policy) of VM disks and claims, if set
 * @param smbServerImage the in-lab Samba server's image
 * @param clusterDomain the cluster DNS domain guests resolve Service names in
 * @param execTimeout how long a command in a container may run
 * @param teardownTimeout how long teardown and sweep wait
 */
public record SupervisorSettings(
    String namespace,
    Optional<String> storageClass,
    String smbServerImage,
    String clusterDomain,
    Duration execTimeout,
    Duration teardownTimeout) {

  /**
   * Reads the settings.
   *
   * @param config the backend's scoped settings
   * @return the settings
   * @throws IllegalArgumentException naming the setting when {@code namespace} is missing
   */
  public static SupervisorSettings from(ConvergenceConfig config) {
    String namespace =
        config
            .get("namespace")
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        config.describe("namespace")
                            + " is not set: name the vSphere Namespace the labs run in (Supervisor"
                            + " namespaces are created by an administrator; Convergence does not"
                            + " create them)"));
    return new SupervisorSettings(
        namespace,
        config.get("storage-class").filter(s -> !s.isBlank()),
        config.get("smb-server-image").orElse(SmbFileServer.DEFAULT_IMAGE),
        config.get("cluster-domain").orElse("cluster.local"),
        config.getDuration("exec-timeout", Duration.ofMinutes(2)),
        config.getDuration("teardown-timeout", Duration.ofMinutes(5)));
  }
}
