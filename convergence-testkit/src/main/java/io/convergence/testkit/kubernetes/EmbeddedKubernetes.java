package io.convergence.testkit.kubernetes;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process Kubernetes API for tests and demos: fabric8's {@code kubernetes-server-mock} in
 * CRUD mode over plain HTTP on a free loopback port, with minimal CustomResourceDefinitions for the
 * KubeVirt and CDI kinds ({@code kubevirt.io/v1} VirtualMachine, VirtualMachineInstance, KubeVirt;
 * {@code snapshot.kubevirt.io/v1beta1} VirtualMachineSnapshot, VirtualMachineRestore; {@code
 * cdi.kubevirt.io/v1beta1} DataVolume, DataSource) so that discovery works and {@code status} is a
 * real subresource. Around the mock's dispatcher it adds:
 *
 * <ul>
 *   <li>fault injection: {@link #inject(RequestFault)} fails the next requests matching a method
 *       and a path with an HTTP status and a Kubernetes {@code Status} body; {@link
 *       #latency(Duration)} delays every answer (without blocking the server's threads);
 *   <li>request counting by {@code User-Agent} ({@link #requestCount(String)}) and a request log
 *       ({@link #requestLog()}), so a benchmark can tell the SDK's requests ({@code
 *       convergence/...}) from the simulators' ({@code convergence-simulator/...});
 *   <li>the pod {@code log} subresource ({@code GET
 *       /api/v1/namespaces/{namespace}/pods/{pod}/log?pretty=false[&container=c][&tailLines=n]},
 *       what fabric8's {@code getLog()} sends), answered from a {@link FakeKubelet}'s logs once one
 *       is {@linkplain #servePodLogs(FakeKubelet) attached}.
 * </ul>
 *
 * <p>It writes a kubeconfig ({@link #kubeconfig()}) so any client can connect, including one built
 * from {@code KUBECONFIG} or {@code Config.fromKubeconfig}.
 *
 * <p>What the mock does not do (a real API server does): schema validation and pruning, defaults,
 * admission, server-side apply and strategic merge patch (415), set-based label selectors ({@code
 * in}/{@code notin} are ignored), watch from a resourceVersion (a watch replays every object as
 * ADDED), pagination, graceful deletion of pods (deleted at once) and garbage collection of
 * dependents (the KubeVirt simulators delete what they own). Merge patches append to lists. Use
 * {@link KubeApiServer} where that matters. This server adds the namespace lifecycle the mock
 * lacks: a deleted namespace is {@code Terminating}, refuses new objects, has its objects deleted
 * (those with finalizers wait for their controllers) and disappears once empty.
 *
 * @since 0.1.0
 */
public final class EmbeddedKubernetes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKubernetes.class);

  /** The mock's own logger; kept strongly reachable so its level sticks. */
  private static final java.util.logging.Logger MOCK_WEB_SERVER_LOG =
      java.util.logging.Logger.getLogger(MockWebServer.class.getName());

  private static final String CRD_RESOURCE = "kubevirt-minimal-crds.yaml";
  private static final Pattern POD_LOG =
      Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(?:\\?(.*))?$");

  private final KubernetesMockServer server;
  private final InjectingDispatcher dispatcher;
  private final Path dir;
  private final Path kubeconfig;
  private final String url;
  private final KubernetesClient client;
  private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private EmbeddedKubernetes(Builder b) {
    MOCK_WEB_SERVER_LOG.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    MockWebServer web = new MockWebServer();
    this.dispatcher =
        new InjectingDispatcher(new KubernetesMixedDispatcher(responses), web, b.requestLogLimit);
    dispatcher.latency = b.latency;
    this.server = new KubernetesMockServer(new Context(), web, responses, dispatcher, false);
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    this.url = "http://" + server.getHostName() + ":" + server.getPort();
    try {
      this.dir = b.dir != null ? b.dir : Files.createTempDirectory("convergence-embedded-k8s-");
      Files.createDirectories(dir);
      this.kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, kubeconfigYaml(url));
    } catch (IOException e) {
      server.shutdown();
      throw new UncheckedIOException("cannot write the embedded server's kubeconfig", e);
    }
    this.client = newClient(null);
    try {
      for (String ns : List.of("default", "kube-system", "kube-public")) {
        client
            .namespaces()
            .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
            .create();
      }
      if (b.kubeVirtCrds) {
        for (CustomResourceDefinition crd : minimalKubeVirtCrds()) {
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    dispatcher.resetCounts();
    log.debug("embedded Kubernetes API at {}", url);
  }

  /**
   * Starts a server with the defaults: KubeVirt CRDs registered, no latency, kubeconfig in a new
   * temporary directory.
   *
   * @return the running server
   */
  public static EmbeddedKubernetes start() {
    return builder().start();
  }

  /**
   * A builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an {@link EmbeddedKubernetes}. */
  public static final class Builder {
    private @Nullable Path dir;
    private boolean kubeVirtCrds = true;
    private Duration latency = Duration.ZERO;
    private int requestLogLimit = 200_000;

    private Builder() {}

    /**
     * Writes the kubeconfig into this directory (default: a new temporary one, removed on close).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder directory(Path dir) {
      this.dir = requireNonNull(dir, "dir");
      return this;
    }

    /**
     * Whether to register the minimal KubeVirt and CDI CRDs (default true).
     *
     * @param register whether to
     * @return this builder
     */
    public Builder kubeVirtCrds(boolean register) {
      this.kubeVirtCrds = register;
      return this;
    }

    /**
     * Delays every answer by this much (default none).
     *
     * @param latency the delay
     * @return this builder
     */
    public Builder latency(Duration latency) {
      this.latency = requireNonNull(latency, "latency");
      return this;
    }

    /**
     * Keeps at most this many requests in the {@linkplain #requestLog() request log} (default
     * 200,000); counts are kept regardless.
     *
     * @param limit the limit
     * @return this builder
     */
    public Builder requestLogLimit(int limit) {
      this.requestLogLimit = Math.max(0, limit);
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server
     */
    public EmbeddedKubernetes start() {
      return new EmbeddedKubernetes(this);
    }
  }

  // ------------------------------------------------------------------ access

  /**
   * A client of the server (fabric8's default user agent, namespace {@code default}), closed with
   * the server.
   *
   * @return the client
   */
  public KubernetesClient client() {
    return client;
  }

  /**
   * A new client of the server with its own user agent, closed with the server (closing it earlier
   * is fine).
   *
   * @param userAgent the {@code User-Agent} header, e.g. {@code convergence-simulator/0.1.0}; null
   *     for fabric8's default
   * @return the client
   */
  public KubernetesClient newClient(@Nullable String userAgent) {
    KubernetesClient c = new KubernetesClientBuilder().withConfig(config(userAgent)).build();
    clients.add(c);
    return c;
  }

  /**
   * A client configuration for the server, as read from the kubeconfig.
   *
   * @param userAgent the user agent, or null for fabric8's default
   * @return the configuration
   */
  public Config config(@Nullable String userAgent) {
    Config config;
    try {
      config = Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.setHttp2Disable(true);
    if (userAgent != null) {
      config.setUserAgent(userAgent);
    }
    return config;
  }

  /**
   * The kubeconfig file for the server (context {@code embedded}, namespace {@code default}).
   *
   * @return the path
   */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * The server's URL, e.g. {@code http://localhost:41633}.
   *
   * @return the URL
   */
  public String url() {
    return url;
  }

  /**
   * The underlying fabric8 mock server, e.g. to record expectations ({@code server().expect()...}),
   * which are tried before the CRUD store.
   *
   * @return the server
   */
  public KubernetesMockServer server() {
    return server;
  }

  /**
   * Answers the pod {@code log} subresource from this kubelet's logs.
   *
   * @param kubelet the kubelet
   */
  public void servePodLogs(FakeKubelet kubelet) {
    dispatcher.kubelets.add(requireNonNull(kubelet, "kubelet"));
  }

  /**
   * Stops answering the log subresource from this kubelet.
   *
   * @param kubelet the kubelet
   */
  public void stopServingPodLogs(FakeKubelet kubelet) {
    dispatcher.kubelets.remove(kubelet);
  }

  // ------------------------------------------------------------------ faults

  /**
   * Injects a fault; faults are tried in the order injected.
   *
   * @param fault the fault
   * @return this server
   */
  public EmbeddedKubernetes inject(RequestFault fault) {
    dispatcher.faults.add(new ActiveFault(requireNonNull(fault, "fault")));
    return this;
  }

  /**
   * Fails the next {@code times} requests matching the method and path with the status and a {@code
   * Status} body.
   *
   * @param times how many
   * @param method the HTTP method, or {@code *}
   * @param pathRegex a regular expression the path (without query) must match
   * @param status the HTTP status
   * @param reason the {@code Status.reason}
   * @param message the {@code Status.message}
   * @return this server
   */
  public EmbeddedKubernetes failNext(
      int times, String method, String pathRegex, int status, String reason, String message) {
    return inject(RequestFault.next(times, method, pathRegex).withStatus(status, reason, message));
  }

  /**
   * How many times injected faults still fire, in total.
   *
   * @return the number of requests still to fail
   */
  public int pendingFaults() {
    return dispatcher.faults.stream().mapToInt(f -> Math.max(0, f.remaining.get())).sum();
  }

  /**
   * Delays every answer by this much from now on (zero for none).
   *
   * @param latency the delay
   * @return this server
   */
  public EmbeddedKubernetes latency(Duration latency) {
    dispatcher.latency = requireNonNull(latency, "latency");
    return this;
  }

  /** Removes every injected fault and the latency. */
  public void clearFaults() {
    dispatcher.faults.clear();
    dispatcher.latency = Duration.ZERO;
  }

  // ------------------------------------------------------------------ requests

  /**
   * Requests received since start (or the last {@link #resetRequests()}), minus those of the
   * server's own setup.
   *
   * @return the count
   */
  public long requestCount() {
    return dispatcher.byUserAgent.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * Requests received whose {@code User-Agent} starts with the prefix.
   *
   * @param userAgentPrefix e.g. {@code convergence/} for the SDK, {@code convergence-simulator} for
   *     the simulators
   * @return the count
   */
  public long requestCount(String userAgentPrefix) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : dispatcher.byUserAgent.entrySet()) {
      if (e.getKey().startsWith(userAgentPrefix)) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /**
   * Requests received, by user agent.
   *
   * @return user agent to count
   */
  public Map<String, Long> requestCountsByUserAgent() {
    Map<String, Long> out = new LinkedHashMap<>();
    dispatcher.byUserAgent.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /**
   * The requests received, oldest first (at most the builder's limit, the newest kept).
   *
   * @return the requests
   */
  public List<ApiRequest> requestLog() {
    synchronized (dispatcher.requestLog) {
      return List.copyOf(dispatcher.requestLog);
    }
  }

  /** Clears the counts and the request log. */
  public void resetRequests() {
    dispatcher.resetCounts();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (KubernetesClient c : clients) {
      try {
        c.close();
      } catch (RuntimeException e) {
        log.debug("closing a client failed", e);
      }
    }
    server.shutdown();
    dispatcher.namespaces.close();
    try {
      Files.deleteIfExists(kubeconfig);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.debug("could not remove {}", dir, e);
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKubernetes{" + url + "}";
  }

  // ------------------------------------------------------------------ internals

  /**
   * The minimal KubeVirt and CDI CRDs this server registers (and that the KubeVirt simulator
   * installs on a real API server when the KubeVirt CR's CRD is missing).
   *
   * @return the CRDs
   */
  public static List<CustomResourceDefinition> minimalKubeVirtCrds() {
    try (InputStream in = EmbeddedKubernetes.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + CRD_RESOURCE);
      }
      String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<CustomResourceDefinition> out = new ArrayList<>();
      for (String doc : all.split("(?m)^---\\s*$")) {
        if (doc.contains("kind: CustomResourceDefinition")) {
          HasMetadata o = Serialization.unmarshal(doc, CustomResourceDefinition.class);
          out.add((CustomResourceDefinition) o);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String kubeconfigYaml(String url) {
    return "apiVersion: v1\n"
        + "kind: Config\n"
        + "clusters:\n"
        + "- name: embedded\n"
        + "  cluster:\n"
        + "    server: \""
        + url
        + "\"\n"
        + "users:\n"
        + "- name: embedded\n"
        + "  user:\n"
        + "    token: \"embedded\"\n"
        + "contexts:\n"
        + "- name: embedded\n"
        + "  context:\n"
        + "    cluster: embedded\n"
        + "    user: embedded\n"
        + "    namespace: default\n"
        + "current-context: embedded\n";
  }

  /** A Kubernetes {@code Status} answer. */
  static MockResponse statusResponse(int code, String reason, String message) {
    return InjectingDispatcher.statusBody(code, reason, message);
  }

  private static final class ActiveFault {
    final RequestFault fault;
    final AtomicInteger remaining;

    ActiveFault(RequestFault fault) {
      this.fault = fault;
      this.remaining = new AtomicInteger(fault.times());
    }
  }

  private static final java.util.concurrent.ExecutorService WATCH_CLOSER =
      java.util.concurrent.Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "convergence-embedded-k8s-watch-closer");
            t.setDaemon(true);
            return t;
          });

  /**
   * The mock's watch listener waits, on the server's event-loop thread, for its sender thread to
   * finish when a watch is closed, while that sender may wait for the event loop: the server then
   * stalls for up to a minute whenever a client closes a watch during traffic. This runs the close
   * handling on another thread.
   */
  private static final class ClosesOffTheEventLoop extends WebSocketListener {
    private final WebSocketListener delegate;

    ClosesOffTheEventLoop(WebSocketListener delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
      delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
      delegate.onMessage(webSocket, text);
    }

    @Override
    public void onMessage(WebSocket webSocket, byte[] bytes) {
      delegate.onMessage(webSocket, bytes);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      WATCH_CLOSER.execute(() -> delegate.onClosed(webSocket, code, reason));
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      WATCH_CLOSER.execute(() -> delegate.onFailure(webSocket, t, response));
    }
  }

  /** Counts, injects faults and latency, serves pod logs, then hands over to the mock. */
  private static final class InjectingDispatcher extends Dispatcher {
    private final Dispatcher delegate;
    private final MockNamespaceController namespaces;
    private final MockWebServer web;
    private final int requestLogLimit;
    final List<ActiveFault> faults = new CopyOnWriteArrayList<>();
    final List<FakeKubelet> kubelets = new CopyOnWriteArrayList<>();
    final Map<String, LongAdder> byUserAgent = new ConcurrentHashMap<>();
    final Deque<ApiRequest> requestLog = new ArrayDeque<>();
    volatile Duration latency = Duration.ZERO;

    InjectingDispatcher(Dispatcher delegate, MockWebServer web, int requestLogLimit) {
      this.delegate = delegate;
      this.namespaces = new MockNamespaceController(delegate);
      this.web = web;
      this.requestLogLimit = requestLogLimit;
    }

    void resetCounts() {
      byUserAgent.clear();
      synchronized (requestLog) {
        requestLog.clear();
      }
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      try {
        // The mock web server queues every request for takeRequest(); nobody takes them here, so
        // drop one per request to keep memory flat over long benchmarks.
        web.takeRequest(0, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String method =
          request.getMethod() == null ? "" : request.getMethod().toUpperCase(Locale.ROOT);
      String path = request.getPath() == null ? "" : request.getPath();
      String userAgent = request.getHeader("User-Agent");
      String ua = userAgent == null ? "" : userAgent;
      MockResponse response = answer(request, method, path, ua);
      WebSocketListener watch = response.getWebSocketListener();
      if (watch != null) {
        response.withWebSocketUpgrade(new ClosesOffTheEventLoop(watch));
      }
      Duration delay = latency;
      if (!delay.isZero() && response.getWebSocketListener() == null) {
        response.setBodyDelay(delay);
      }
      int code = response.getWebSocketListener() != null ? 101 : response.code();
      byUserAgent.computeIfAbsent(ua, k -> new LongAdder()).increment();
      if (requestLogLimit > 0) {
        synchronized (requestLog) {
          requestLog.addLast(new ApiRequest(method, path, ua, code));
          while (requestLog.size() > requestLogLimit) {
            requestLog.removeFirst();
          }
        }
      }
      return response;
    }

    private MockResponse answer(RecordedRequest request, String method, String path, String ua) {
      for (Iterator<ActiveFault> it = faults.iterator(); it.hasNext(); ) {
        ActiveFault f = it.next();
        if (f.remaining.get() > 0 && f.fault.matches(method, path, ua)) {
          if (f.remaining.getAndDecrement() > 0) {
            if (f.remaining.get() <= 0) {
              faults.remove(f);
            }
            return status(f.fault);
          }
        }
      }
      MockResponse lifecycle = namespaces.intercept(method, path, request);
      if (lifecycle != null) {
        return lifecycle;
      }
      if (method.equals("GET") && !kubelets.isEmpty()) {
        Matcher m = POD_LOG.matcher(path);
        if (m.matches()) {
          return podLog(m.group(1), m.group(2), m.group(3));
        }
      }
      try {
        return delegate.dispatch(request);
      } catch (RuntimeException e) {
        // The mock lets exceptions escape (e.g. a JSON patch whose test fails, or that replaces a
        // missing member), and the request then never gets an answer. A real server answers 422.
        boolean patch = e.getClass().getName().contains("JsonPatch");
        log.debug("mock failed on {} {}", method, path, e);
        return statusBody(
            patch ? 422 : 500,
            patch ? "Invalid" : "InternalError",
            (patch ? "the JSON patch could not be applied: " : "the mock server failed: ")
                + e.getMessage());
      }
    }

    private MockResponse podLog(String namespace, String pod, @Nullable String query) {
      Map<String, String> params = new HashMap<>();
      if (query != null) {
        for (String kv : query.split("&")) {
          int eq = kv.indexOf('=');
          String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
          String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
          params.put(k, v);
        }
      }
      Integer tail = null;
      try {
        tail = params.containsKey("tailLines") ? Integer.valueOf(params.get("tailLines")) : null;
      } catch (NumberFormatException e) {
        return statusBody(400, "BadRequest", "invalid tailLines: " + params.get("tailLines"));
      }
      FakeKubelet.LogReply reply = null;
      for (FakeKubelet k : kubelets) {
        reply = k.readLog(namespace, pod, params.get("container"), tail);
        if (reply.code() != 404) {
          break;
        }
      }
      if (reply == null || reply.code() != 200) {
        int code = reply == null ? 404 : reply.code();
        return statusBody(
            code,
            code == 404 ? "NotFound" : "BadRequest",
            reply == null ? "pods \"" + pod + "\" not found" : reply.body());
      }
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "text/plain")
          .setBody(reply.body());
    }

    private static MockResponse status(RequestFault f) {
      Duration after = f.retryAfter();
      Long seconds = after == null ? null : Math.max(1, after.toSeconds());
      MockResponse r = statusBody(f.status(), f.reason(), f.message(), seconds);
      if (seconds != null) {
        r.setHeader("Retry-After", String.valueOf(seconds));
      }
      return r;
    }

    private static MockResponse statusBody(int code, String reason, String message) {
      return statusBody(code, reason, message, null);
    }

    private static MockResponse statusBody(
        int code, String reason, String message, @Nullable Long retryAfterSeconds) {
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("kind", "Status");
      status.put("apiVersion", "v1");
      status.put("metadata", Map.of());
      status.put("status", "Failure");
      status.put("message", message);
      status.put("reason", reason);
      if (retryAfterSeconds != null) {
        status.put("details", Map.of("retryAfterSeconds", retryAfterSeconds));
      }
      status.put("code", code);
      return new MockResponse()
          .setResponseCode(code)
          .setHeader("Content-Type", "application/json")
          .setBody(Serialization.asJson(status));
    }
  }
}
