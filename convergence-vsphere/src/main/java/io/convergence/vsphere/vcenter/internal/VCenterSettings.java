package io.convergence.vsphere.vcenter.internal;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.SmbFileServer;
import io.convergence.spec.SecretValue;
import io.convergence.vsphere.vim.Vim25Config;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The vCenter backend's settings, read once from {@code convergence.vsphere-vcenter.*}. Inventory
 * names are relative to the datacenter: {@code folder} and {@code template-folder} below its VM
 * folder ({@code <datacenter>/vm/...}), {@code resource-pool} below its host folder ({@code
 * <datacenter>/host/...}), {@code datastore} below its datastore folder.
 *
 * @param url the SDK URL, e.g. {@code https://vc.example.com/sdk}
 * @param username the user
 * @param password the password (a secret: never logged, never in {@code toString()})
 * @param datacenter the datacenter's name
 * @param folder the parent folder of the per-lab folders, relative to the VM folder ({@code ""} =
 *     the VM folder itself)
 * @param resourcePool the resource pool path relative to the host folder, e.g. {@code
 *     Cluster1/Resources}, if set
 * @param datastore the datastore's name, if set (else the template's)
 * @param templateFolder the folder holding the templates, relative to the VM folder ({@code ""} =
 *     the VM folder)
 * @param caFile a PEM file of certificates to trust, if set
 * @param insecure whether to skip TLS verification (test setups only)
 * @param connectTimeout the connect and login timeout
 * @param taskTimeout how long a vim25 task may take
 * @param teardownTimeout how long teardown and sweep wait
 * @param hasKubeconfig whether a Kubernetes cluster for containers is configured
 * @param extraConfig extraConfig entries every VM gets ({@code extra-config}: {@code
 *     key=value,key=value}), e.g. {@code SET.guest.ipAddress=127.0.0.1} on vcsim
 * @param storageClass the StorageClass of shared volumes' ReadWriteMany claims ({@code
 *     storage-class}), if set (else the cluster's default)
 * @param smbServerImage the in-lab Samba server's image ({@code smb-server-image})
 * @param fileServerAddressTimeout how long a VM waits for its file server's load-balancer address
 *     ({@code file-server-address-timeout})
 */
public record VCenterSettings(
    URI url,
    String username,
    SecretValue password,
    String datacenter,
    String folder,
    Optional<String> resourcePool,
    Optional<String> datastore,
    String templateFolder,
    Optional<Path> caFile,
    boolean insecure,
    Duration connectTimeout,
    Duration taskTimeout,
    Duration teardownTimeout,
    boolean hasKubeconfig,
    Map<String, String> extraConfig,
    Optional<String> storageClass,
    String smbServerImage,
    Duration fileServerAddressTimeout) {

  /**
   * Reads the settings.
   *
   * @param config the backend's scoped settings
   * @return the settings
   * @throws IllegalArgumentException naming the setting that is missing or wrong
   */
  public static VCenterSettings from(ConvergenceConfig config) {
    String url = required(config, "url", "the vCenter SDK URL, e.g. https://vc.example.com/sdk");
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(config.describe("url") + " is not a URL: " + url, e);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException(
          config.describe("url") + " is not an http(s) URL with a host: " + url);
    }
    if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
      uri = uri.resolve("/sdk");
    }
    String user = required(config, "username", "the vCenter user, e.g. lab@vsphere.local");
    SecretValue password =
        config
            .getSecret("password")
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        config.describe("password")
                            + " is not set: the password of "
                            + user
                            + " (e.g. from the environment)"));
    String datacenter = required(config, "datacenter", "the datacenter's name, e.g. DC1");
    return new VCenterSettings(
        uri,
        user,
        password,
        datacenter,
        path(config, "folder").orElse("convergence"),
        path(config, "resource-pool"),
        path(config, "datastore"),
        path(config, "template-folder").orElse(""),
        config.get("ca-file").filter(s -> !s.isBlank()).map(Path::of),
        config.getBoolean("insecure", false),
        config.getDuration("connect-timeout", Duration.ofSeconds(10)),
        config.getDuration("task-timeout", Duration.ofMinutes(10)),
        config.getDuration("teardown-timeout", Duration.ofMinutes(5)),
        config.get("kubeconfig").filter(s -> !s.isBlank()).isPresent(),
        extraConfig(config),
        config.get("storage-class").filter(s -> !s.isBlank()),
        config.get("smb-server-image").orElse(SmbFileServer.DEFAULT_IMAGE),
        config.getDuration("file-server-address-timeout", Duration.ofMinutes(5)));
  }

  private static Map<String, String> extraConfig(ConvergenceConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = config.get("extra-config").orElse("");
    for (String entry : raw.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            config.describe("extra-config")
                + " must be key=value pairs separated by commas, not: "
                + entry.trim());
      }
      out.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return Map.copyOf(out);
  }

  private static String required(ConvergenceConfig config, String key, String what) {
    return config
        .get(key)
        .filter(s -> !s.isBlank())
        .map(String::trim)
        .orElseThrow(
            () -> new IllegalArgumentException(config.describe(key) + " is not set: " + what));
  }

  private static Optional<String> path(ConvergenceConfig config, String key) {
    return config
        .get(key)
        .map(String::trim)
        .map(s -> s.replaceAll("^/+|/+$", ""))
        .filter(s -> !s.isEmpty());
  }

  /**
   * The vim25 client configuration.
   *
   * @return the configuration, with the password revealed only into it
   */
  public Vim25Config clientConfig() {
    return clientBuilder().build();
  }

  /**
   * A builder of the vim25 client configuration, to adjust before building.
   *
   * @return the builder
   * @throws IllegalArgumentException when {@code ca-file} cannot be read
   */
  public Vim25Config.Builder clientBuilder() {
    Vim25Config.Builder b =
        Vim25Config.builder(url)
            .credentials(username, password.reveal())
            .connectTimeout(connectTimeout)
            .taskPolling(taskTimeout, Duration.ofMillis(100), Duration.ofSeconds(2));
    caFile.ifPresent(b::trustCertificates);
    if (insecure) {
      b.insecureSkipTlsVerification();
    }
    return b;
  }

  /**
   * An inventory path below the datacenter's VM folder.
   *
   * @param relative a path relative to it, or empty
   * @return {@code <datacenter>/vm[/relative]}
   */
  public String vmPath(String relative) {
    return datacenter + "/vm" + (relative.isEmpty() ? "" : "/" + relative);
  }

  /** {@return the settings without the password} */
  @Override
  public String toString() {
    return "VCenterSettings{"
        + url
        + ", user "
        + username
        + ", datacenter "
        + datacenter
        + ", folder "
        + vmPath(folder)
        + resourcePool.map(p -> ", pool " + p).orElse("")
        + datastore.map(d -> ", datastore " + d).orElse("")
        + ", templates "
        + vmPath(templateFolder)
        + (insecure ? ", TLS unverified" : "")
        + "}";
  }
}
