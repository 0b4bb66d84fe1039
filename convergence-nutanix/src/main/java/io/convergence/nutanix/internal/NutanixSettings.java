package io.convergence.nutanix.internal;

import io.convergence.config.ConvergenceConfig;
import io.convergence.kubernetes.SmbFileServer;
import io.convergence.nutanix.prism.PrismConfig;
import io.convergence.spec.SecretValue;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Nutanix backend's settings, read once from {@code convergence.nutanix.*}.
 *
 * @param url Prism Central, e.g. {@code https://pc.example.com:9440}
 * @param username the user of Basic auth, if set
 * @param password its password (a secret)
 * @param apiKey a service account's API key ({@code X-ntnx-api-key}), if set instead
 * @param caFile a PEM file of certificates to trust, if set
 * @param insecure whether to skip TLS verification (throwaway test servers only)
 * @param cluster the AHV cluster of new VMs, by name, if set
 * @param subnet the subnet of new VMs' NICs, by name, if set
 * @param hasKubeconfig whether a Kubernetes cluster for containers and shared volumes is configured
 * @param storageClass the StorageClass of shared volumes' ReadWriteMany claims, if set
 * @param smbServerImage the in-lab Samba server's image
 * @param fileServerAddressTimeout how long a VM waits for its file server's load-balancer address
 * @param taskTimeout how long a Prism task may take
 * @param teardownTimeout how long teardown and sweep wait
 * @param files the Nutanix Files share that holds shared volumes, if configured
 */
public record NutanixSettings(
    URI url,
    Optional<String> username,
    @Nullable SecretValue password,
    @Nullable SecretValue apiKey,
    Optional<Path> caFile,
    boolean insecure,
    Optional<String> cluster,
    Optional<String> subnet,
    boolean hasKubeconfig,
    Optional<String> storageClass,
    String smbServerImage,
    Duration fileServerAddressTimeout,
    Duration taskTimeout,
    Duration teardownTimeout,
    Optional<Files> files) {

  /**
   * A pre-provisioned Nutanix Files share that holds the labs' shared volumes, each in the
   * directory {@code <lab id>/<volume>}: pods mount it over NFS, Linux VMs over NFS, Windows VMs
   * over SMB (a multi-protocol share).
   *
   * @param server the Files server's FQDN (its client-facing name)
   * @param share the share's name: NFS export {@code /<share>}, SMB share {@code \\server\share}
   * @param smbUser the account Windows guests map the share with ({@code DOMAIN\\user}), if set
   * @param smbPassword its password
   */
  public record Files(
      String server, String share, Optional<String> smbUser, @Nullable SecretValue smbPassword) {

    /** The NFS export path: {@code /<share>}. */
    public String exportPath() {
      return "/" + share;
    }

    @Override
    public String toString() {
      return "Files{" + server + ":/" + share + smbUser.map(u -> ", smb " + u).orElse("") + "}";
    }
  }

  /**
   * Reads the settings.
   *
   * @param config the backend's scoped settings
   * @return the settings
   * @throws IllegalArgumentException naming the setting that is missing or wrong
   */
  public static NutanixSettings from(ConvergenceConfig config) {
    String raw =
        config
            .get("url")
            .filter(s -> !s.isBlank())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        config.describe("url")
                            + " is not set: Prism Central's URL, e.g."
                            + " https://pc.example.com:9440"));
    URI url;
    try {
      url = URI.create(raw.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(config.describe("url") + " is not a URL: " + raw, e);
    }
    if (url.getScheme() == null || url.getHost() == null) {
      throw new IllegalArgumentException(
          config.describe("url") + " is not an http(s) URL with a host: " + raw);
    }
    Optional<String> user = config.get("username").filter(s -> !s.isBlank()).map(String::trim);
    SecretValue password = config.getSecret("password").orElse(null);
    SecretValue apiKey = config.getSecret("api-key").orElse(null);
    if (apiKey == null && (user.isEmpty() || password == null)) {
      throw new IllegalArgumentException(
          "Prism Central credentials are not set: set "
              + config.describe("username")
              + " and "
              + config.describe("password")
              + ", or "
              + config.describe("api-key")
              + " (a service account's API key)");
    }
    return new NutanixSettings(
        url,
        user,
        password,
        apiKey,
        config.get("ca-file").filter(s -> !s.isBlank()).map(Path::of),
        config.getBoolean("insecure", false),
        config.get("cluster").filter(s -> !s.isBlank()).map(String::trim),
        config.get("subnet").filter(s -> !s.isBlank()).map(String::trim),
        config.get("kubeconfig").filter(s -> !s.isBlank()).isPresent(),
        config.get("storage-class").filter(s -> !s.isBlank()),
        config.get("smb-server-image").orElse(SmbFileServer.DEFAULT_IMAGE),
        config.getDuration("file-server-address-timeout", Duration.ofMinutes(5)),
        config.getDuration("task-timeout", Duration.ofMinutes(10)),
        config.getDuration("teardown-timeout", Duration.ofMinutes(5)),
        files(config));
  }

  private static Optional<Files> files(ConvergenceConfig config) {
    Optional<String> server =
        config.get("files.server").filter(s -> !s.isBlank()).map(String::trim);
    Optional<String> share =
        config
            .get("files.share")
            .filter(s -> !s.isBlank())
            .map(String::trim)
            .map(s -> s.replaceAll("^[/\\\\]+", "").replaceAll("[/\\\\]+$", ""));
    if (server.isEmpty() && share.isEmpty()) {
      return Optional.empty();
    }
    if (server.isEmpty() || share.isEmpty() || share.get().isEmpty()) {
      throw new IllegalArgumentException(
          "Nutanix Files needs both "
              + config.describe("files.server")
              + " (the Files server's FQDN, e.g. files01.lab.example) and "
              + config.describe("files.share")
              + " (a share on it, e.g. convergence); set both, or neither to use the in-lab file"
              + " server");
    }
    if (share.get().matches(".*[/\\\\].*")) {
      throw new IllegalArgumentException(
          config.describe("files.share") + " must name one share, not a path: " + share.get());
    }
    Optional<String> user =
        config.get("files.smb-user").filter(s -> !s.isBlank()).map(String::trim);
    SecretValue password = config.getSecret("files.smb-password").orElse(null);
    if (user.isPresent() != (password != null)) {
      throw new IllegalArgumentException(
          "Windows guests map the Files share with "
              + config.describe("files.smb-user")
              + " and "
              + config.describe("files.smb-password")
              + ": set both or neither");
    }
    return Optional.of(new Files(server.get(), share.get(), user, password));
  }

  /**
   * The Prism client configuration.
   *
   * @param requestListener told of every HTTP request the client sends
   * @return the configuration
   */
  public PrismConfig clientConfig(Consumer<String> requestListener) {
    PrismConfig.Builder b =
        PrismConfig.builder(url)
            .taskPolling(taskTimeout, Duration.ofMillis(200), Duration.ofSeconds(5))
            .requestListener(requestListener);
    if (apiKey != null) {
      b.apiKey(apiKey);
    } else {
      b.basicAuth(username.orElseThrow(), password);
    }
    caFile.ifPresent(b::trustCertificates);
    if (insecure) {
      b.insecureSkipTlsVerification();
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "NutanixSettings{url="
        + url
        + ", auth="
        + (apiKey != null ? "api-key" : "basic " + username.orElse("?"))
        + ", cluster="
        + cluster.orElse("-")
        + ", subnet="
        + subnet.orElse("-")
        + ", kubeconfig="
        + hasKubeconfig
        + files.map(f -> ", files=" + f).orElse("")
        + "}";
  }
}
