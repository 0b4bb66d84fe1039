package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane for the integration tier: etcd, kube-apiserver and
 * kube-controller-manager 1.20 from the project's shared tool ({@code
 * shared/tools/kube-apiserver}), started on free loopback ports with the given CRDs installed.
 * Unlike {@link EmbeddedKubernetes} it validates and prunes custom resources against their schemas,
 * has a real status subresource, graceful pod deletion, garbage collection, the namespace and
 * service-account controllers, and set-based selectors. It has no scheduler, kubelet or node: run a
 * {@link FakeKubelet} (and the other simulators) against it.
 *
 * <pre>{@code
 * static KubeApiServer api;
 *
 * @BeforeAll static void start(@TempDir Path dir) {
 *   api = KubeApiServer.start(dir, crdDir).orSkip();   // skips outside CI when the tool is missing
 * }
 * @AfterAll static void stop() { api.close(); }
 * }</pre>
 *
 * <p>The shared folder is found through the system property {@value #SHARED_DIR_PROPERTY}, else by
 * walking up from the working directory to a folder with a sibling {@code
 * shared/tools/kube-apiserver/start.sh}. The first start builds the binaries (about six minutes);
 * later ones take seconds.
 *
 * @since 0.1.0
 */
public final class KubeApiServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KubeApiServer.class);

  /** The system property naming the shared folder: {@value}. */
  public static final String SHARED_DIR_PROPERTY = "convergence.shared.dir";

  /** How long a start may take by default, the first build included. */
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(20);

  private final Path toolDir;
  private final Path stateDir;
  private final Path kubeconfig;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private final Thread shutdownHook;
  private volatile boolean stopped;

  private KubeApiServer(Path toolDir, Path stateDir, Path kubeconfig) {
    this.toolDir = toolDir;
    this.stateDir = stateDir;
    this.kubeconfig = kubeconfig;
    this.shutdownHook = new Thread(this::runStop, "convergence-kube-apiserver-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    this.client = newClient(null);
  }

  /** The outcome of {@link #start}: a running server, or why the tool is unavailable. */
  public static final class Launch {
    private final @Nullable KubeApiServer server;
    private final String reason;

    private Launch(@Nullable KubeApiServer server, String reason) {
      this.server = server;
      this.reason = reason;
    }

    /**
     * The outcome when the tool cannot be built or started.
     *
     * @param reason what went wrong, for the skip message
     * @return the outcome
     */
    public static Launch toolUnavailable(String reason) {
      return new Launch(null, requireNonNull(reason, "reason"));
    }

    /**
     * Whether the server runs.
     *
     * @return whether it does
     */
    public boolean available() {
      return server != null;
    }

    /**
     * Why the tool is unavailable (empty when it runs).
     *
     * @return the reason
     */
    public String unavailableReason() {
      return reason;
    }

    /**
     * The running server.
     *
     * @return the server
     * @throws IllegalStateException when the tool is unavailable
     */
    public KubeApiServer server() {
      if (server == null) {
        throw new IllegalStateException("kube-apiserver unavailable: " + reason);
      }
      return server;
    }

    /**
     * The running server; when the tool is unavailable, skips the calling test (JUnit assumption)
     * with the reason, or fails when the environment variable {@code CI} is set, since CI must run
     * the integration tier.
     *
     * @return the server
     */
    public KubeApiServer orSkip() {
      String message = "kube-apiserver tool unavailable: " + reason;
      if (server == null && System.getenv("CI") != null) {
        throw new IllegalStateException(message + " (CI is set, so this is a failure)");
      }
      Assumptions.assumeTrue(server != null, message);
      return server();
    }

    @Override
    public String toString() {
      return server != null ? "Launch{" + server + "}" : "Launch{unavailable: " + reason + "}";
    }
  }

  /**
   * Starts a server with the default timeout.
   *
   * @param stateDir where the server keeps its data, logs and kubeconfig (created if missing)
   * @param crdPaths CRD files or folders of them to install; the call returns once they are
   *     established
   * @return the outcome
   */
  public static Launch start(Path stateDir, Path... crdPaths) {
    return start(stateDir, DEFAULT_START_TIMEOUT, List.of(crdPaths));
  }

  /**
   * Starts a server.
   *
   * @param stateDir where the server keeps its data, logs and kubeconfig (created if missing)
   * @param timeout how long the start (and a first build) may take
   * @param crdPaths CRD files or folders of them to install
   * @return the outcome
   */
  public static Launch start(Path stateDir, Duration timeout, List<Path> crdPaths) {
    Optional<Path> shared = sharedDir();
    if (shared.isEmpty()) {
      return Launch.toolUnavailable(
          "shared/tools/kube-apiserver/start.sh not found (set -D"
              + SHARED_DIR_PROPERTY
              + "=<folder holding tools/kube-apiserver>)");
    }
    Path tool = shared.get().resolve("tools/kube-apiserver");
    for (String command : List.of("etcd", "kubectl", "python3", "openssl")) {
      if (!onPath(command)) {
        return Launch.toolUnavailable(command + " is not installed (start.sh needs it)");
      }
    }
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(tool.resolve("start.sh").toString());
    Path state = stateDir.toAbsolutePath();
    cmd.add(state.toString());
    for (Path crd : crdPaths) {
      if (!Files.exists(crd)) {
        return Launch.toolUnavailable("CRD path " + crd + " does not exist");
      }
      cmd.add(crd.toAbsolutePath().toString());
    }
    try {
      Files.createDirectories(state);
      Path out = state.resolve("start.out");
      Path err = state.resolve("start.err");
      log.info("starting kube-apiserver in {} (a first build takes minutes)", state);
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        runStop(tool, state);
        return Launch.toolUnavailable("start.sh did not finish within " + timeout + "; see " + err);
      }
      if (p.exitValue() != 0) {
        runStop(tool, state);
        return Launch.toolUnavailable(
            "start.sh exited with " + p.exitValue() + ": " + tail(err, 15));
      }
      List<String> lines = Files.readAllLines(out);
      String last =
          lines.stream().map(String::trim).filter(l -> !l.isEmpty()).reduce((a, b) -> b).orElse("");
      Path kubeconfig = Path.of(last);
      if (!Files.isRegularFile(kubeconfig)) {
        runStop(tool, state);
        return Launch.toolUnavailable("start.sh printed no kubeconfig path: " + tail(err, 5));
      }
      KubeApiServer server = new KubeApiServer(tool, state, kubeconfig);
      log.info("kube-apiserver running, kubeconfig {}", kubeconfig);
      return new Launch(server, "");
    } catch (IOException e) {
      return Launch.toolUnavailable("cannot run start.sh: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      runStop(tool, state);
      return Launch.toolUnavailable("interrupted while starting");
    }
  }

  /**
   * The shared folder holding {@code tools/kube-apiserver}, if found.
   *
   * @return the folder
   */
  public static Optional<Path> sharedDir() {
    String prop = System.getProperty(SHARED_DIR_PROPERTY);
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).toAbsolutePath();
      return Files.isRegularFile(p.resolve("tools/kube-apiserver/start.sh"))
          ? Optional.of(p)
          : Optional.empty();
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared");
      if (Files.isRegularFile(candidate.resolve("tools/kube-apiserver/start.sh"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------ access

  /**
   * The admin kubeconfig (token auth, self-signed TLS with verification skipped).
   *
   * @return the path
   */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The folder holding the server's data and logs.
   *
   * @return the path
   */
  public Path stateDir() {
    return stateDir;
  }

  /**
   * An admin client (fabric8's default user agent), closed with the server.
   *
   * @return the client
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A new admin client with its own user agent, closed with the server.
   *
   * @param userAgent the {@code User-Agent}, or null for fabric8's default
   * @return the client
   */
  public KubernetesClient newClient(@Nullable String userAgent) {
    KubernetesClient c = new KubernetesClientBuilder().withConfig(config(userAgent)).build();
    clients.add(c);
    return c;
  }

  /**
   * A client configuration from the kubeconfig. It trusts the server's self-signed certificate, as
   * the kubeconfig says: for this local test server only.
   *
   * @param userAgent the {@code User-Agent}, or null for fabric8's default
   * @return the configuration
   */
  public Config config(@Nullable String userAgent) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setTrustCerts(true);
      if (userAgent != null) {
        config.setUserAgent(userAgent);
      }
      return config;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates a namespace and waits until its {@code default} service account exists (the API server
   * refuses pods before that, as on a real cluster).
   *
   * @param name the namespace
   * @return the namespace
   */
  public Namespace createNamespace(String name) {
    Namespace ns =
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
    client
        .serviceAccounts()
        .inNamespace(name)
        .withName("default")
        .waitUntilCondition(Objects::nonNull, 60, TimeUnit.SECONDS);
    return ns;
  }

  /** Stops the server (etcd, kube-apiserver, controller manager) and closes the clients. */
  public void stop() {
    if (stopped) {
      return;
    }
    for (KubernetesClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.debug("closing a client failed", e);
      }
    }
    runStop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // shutting down already
    }
  }

  @Override
  public void close() {
    stop();
  }

  private void runStop() {
    if (!stopped) {
      stopped = true;
      runStop(toolDir, stateDir);
    }
  }

  private static void runStop(Path tool, Path state) {
    try {
      Process p =
          new ProcessBuilder("bash", tool.resolve("stop.sh").toString(), state.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("stop.sh failed: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public String toString() {
    return "KubeApiServer{" + stateDir + "}";
  }
}
