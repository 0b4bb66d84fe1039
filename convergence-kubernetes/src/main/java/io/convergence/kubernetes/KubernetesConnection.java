package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.convergence.config.ConvergenceConfig;
import io.convergence.spi.Availability;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one fabric8 client a backend instance shares among its labs, from the backend's
 * settings:
 *
 * <ul>
 *   <li>{@code kubeconfig}: a kubeconfig file (default: {@code KUBECONFIG}, then {@code
 *       ~/.kube/config}, then the in-cluster service account);
 *   <li>{@code context}: a context of that file (default: its current context);
 *   <li>{@code insecure-skip-tls-verify}: {@code true} turns TLS verification off, with a warning;
 *   <li>{@code request-timeout}: per request (default 30s);
 *   <li>{@code request-retries}: how often a request answered with 429 or 5xx is retried, with
 *       exponential backoff from {@code request-retry-interval} (default 3 and 250ms) and honouring
 *       {@code Retry-After}.
 * </ul>
 *
 * <p>The client sends the User-Agent {@code convergence/<version> (<backend>)} and counts its
 * requests in a {@link RequestCounter}.
 *
 * @since 0.1.0
 */
public final class KubernetesConnection {
  private static final Logger log = LoggerFactory.getLogger(KubernetesConnection.class);

  /**
   * How often a request answered with 429 or 5xx is retried unless {@code request-retries} says
   * otherwise.
   */
  public static final int DEFAULT_RETRIES = 3;

  /** The User-Agent prefix of every request the SDK sends. */
  public static final String USER_AGENT = "convergence/0.1.0";

  private KubernetesConnection() {}

  /**
   * The fabric8 configuration the settings describe, without contacting the cluster.
   *
   * @param config the backend's settings
   * @return the configuration
   * @throws IllegalStateException naming the setting when the kubeconfig cannot be read
   */
  public static Config config(ConvergenceConfig config) {
    Optional<String> context = config.get("context");
    Config base;
    Optional<String> file = config.get("kubeconfig");
    if (file.isPresent()) {
      try {
        String yaml = Files.readString(Path.of(file.get()), StandardCharsets.UTF_8);
        base = Config.fromKubeconfig(context.orElse(null), yaml, file.get());
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the kubeconfig "
                + file.get()
                + " named by "
                + config.describe("kubeconfig"),
            e);
      }
    } else {
      base = Config.autoConfigure(context.orElse(null));
    }
    ConfigBuilder b = new ConfigBuilder(base);
    b.withUserAgent(USER_AGENT);
    b.withRequestTimeout(
        (int) config.getDuration("request-timeout", Duration.ofSeconds(30)).toMillis());
    if (config.getBoolean("insecure-skip-tls-verify", false)) {
      log.warn(
          "TLS verification of the Kubernetes API server {} is OFF ({}); use this only with test clusters",
          base.getMasterUrl(),
          config.describe("insecure-skip-tls-verify"));
      b.withTrustCerts(true);
    }
    Config built = b.build();
    // Set after build: the builder's copy of a loaded kubeconfig does not carry these over.
    built.setRequestRetryBackoffLimit(config.getInt("request-retries", DEFAULT_RETRIES));
    built.setRequestRetryBackoffInterval(
        (int) config.getDuration("request-retry-interval", Duration.ofMillis(250)).toMillis());
    return built;
  }

  /**
   * Connects: a client with a {@link RequestCounter} installed.
   *
   * @param config the backend's settings
   * @param backendId the backend, for the User-Agent
   * @param counter where to count requests
   * @return the client; close it with the backend
   */
  public static KubernetesClient connect(
      ConvergenceConfig config, String backendId, RequestCounter counter) {
    Config c = config(config);
    c.setUserAgent(USER_AGENT + " (" + backendId + ")");
    return new KubernetesClientBuilder()
        .withConfig(c)
        .withHttpClientBuilderConsumer(
            b -> b.addOrReplaceInterceptor("convergence-requests", counter))
        .build();
  }

  /**
   * Whether the cluster the settings describe answers, within a few seconds.
   *
   * @param config the backend's settings
   * @return the availability, with what to check when not
   */
  public static Availability probe(ConvergenceConfig config) {
    Config c;
    try {
      c = config(config);
    } catch (RuntimeException e) {
      return Availability.no(e.getMessage());
    }
    if (c.getMasterUrl() == null
        || c.getMasterUrl().contains("kubernetes.default.svc") && !inCluster()) {
      return Availability.no(
          "no Kubernetes cluster configured; set "
              + config.describe("kubeconfig")
              + " or KUBECONFIG");
    }
    c.setRequestTimeout(5000);
    c.setConnectionTimeout(3000);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(c).build()) {
      client.getKubernetesVersion();
      return Availability.yes();
    } catch (KubernetesClientException e) {
      return Availability.no(
          "the API server " + c.getMasterUrl() + " did not answer: " + e.getMessage());
    }
  }

  private static boolean inCluster() {
    return System.getenv("KUBERNETES_SERVICE_HOST") != null;
  }

  /**
   * Turns a fabric8 failure into a {@link BackendException} with the API server's status and
   * message.
   *
   * @param backendId the backend
   * @param operation what was being done, e.g. {@code create Pod lab-x/analysis}
   * @param e the failure
   * @return the exception to throw
   */
  public static BackendException error(
      String backendId, String operation, KubernetesClientException e) {
    String reason =
        e.getStatus() != null && e.getStatus().getReason() != null
            ? e.getStatus().getReason()
            : null;
    String message =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    String hint =
        switch (e.getCode()) {
          case 401 -> "the credentials in the kubeconfig were refused";
          case 403 ->
              "the kubeconfig's user lacks RBAC permission for this; ask for a role that allows it";
          case 404 ->
              "the kind is not served: is the operator (KubeVirt, CDI, vm-operator) installed?";
          case 409 -> "an object of that name exists already";
          case 422 -> "the API server's schema refused the object";
          default -> "";
        };
    return new BackendException(
        backendId, operation, e.getCode() == 0 ? -1 : e.getCode(), reason, message, hint, e);
  }
}
