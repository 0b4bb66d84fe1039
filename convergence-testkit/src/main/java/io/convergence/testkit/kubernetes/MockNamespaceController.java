package io.convergence.testkit.kubernetes;

import io.convergence.testkit.kubernetes.internal.Controller;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the API server's namespace lifecycle does, for the CRUD mock (which has none): a new
 * namespace is {@code Active} with the {@code kubernetes} finalizer; deleting it makes it {@code
 * Terminating} (deletionTimestamp set), refuses new objects in it (403), deletes everything in it
 * (objects with finalizers wait for their controllers), and removes the namespace once it is empty.
 * Runs in-process against the mock's dispatcher, as the real one runs inside the server.
 *
 * <p>Unlike a real server, the mock keeps the terminating namespace through a {@code kubernetes}
 * entry in {@code metadata.finalizers} (a real one uses {@code spec.finalizers} only).
 */
final class MockNamespaceController {

  private static final Logger log = LoggerFactory.getLogger(MockNamespaceController.class);
  private static final Pattern NAMESPACE =
      Pattern.compile("^/api/v1/namespaces/([^/?]+)(?:\\?.*)?$");
  private static final Pattern NAMESPACED_CREATE =
      Pattern.compile("^/apis?/(?:[^/]+/)?[^/]+/namespaces/([^/?]+)/[^/?]+(?:\\?.*)?$");

  /** Namespaced kinds a lab may hold, besides the registered custom resources. */
  private static final List<String> COLLECTIONS =
      List.of(
          "/api/v1/namespaces/%s/pods",
          "/api/v1/namespaces/%s/services",
          "/api/v1/namespaces/%s/endpoints",
          "/api/v1/namespaces/%s/configmaps",
          "/api/v1/namespaces/%s/secrets",
          "/api/v1/namespaces/%s/serviceaccounts",
          "/api/v1/namespaces/%s/persistentvolumeclaims",
          "/api/v1/namespaces/%s/replicationcontrollers",
          "/api/v1/namespaces/%s/limitranges",
          "/api/v1/namespaces/%s/resourcequotas",
          "/api/v1/namespaces/%s/podtemplates",
          "/api/v1/namespaces/%s/events",
          "/apis/apps/v1/namespaces/%s/deployments",
          "/apis/apps/v1/namespaces/%s/replicasets",
          "/apis/apps/v1/namespaces/%s/statefulsets",
          "/apis/apps/v1/namespaces/%s/daemonsets",
          "/apis/apps/v1/namespaces/%s/controllerrevisions",
          "/apis/batch/v1/namespaces/%s/jobs",
          "/apis/batch/v1/namespaces/%s/cronjobs",
          "/apis/networking.k8s.io/v1/namespaces/%s/networkpolicies",
          "/apis/networking.k8s.io/v1/namespaces/%s/ingresses",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/roles",
          "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/rolebindings",
          "/apis/policy/v1/namespaces/%s/poddisruptionbudgets",
          "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices",
          "/apis/coordination.k8s.io/v1/namespaces/%s/leases",
          "/apis/autoscaling/v2/namespaces/%s/horizontalpodautoscalers",
          "/apis/k8s.cni.cncf.io/v1/namespaces/%s/network-attachment-definitions");

  private final Dispatcher store;
  private final KubernetesSerialization json = new KubernetesSerialization();
  private final Set<String> terminating = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService worker =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "convergence-embedded-k8s-namespace-controller");
            t.setDaemon(true);
            return t;
          });

  MockNamespaceController(Dispatcher store) {
    this.store = store;
  }

  /** Answers the request if it is the namespace lifecycle's business, else null. */
  @Nullable MockResponse intercept(String method, String path, RecordedRequest request) {
    Matcher ns = NAMESPACE.matcher(path);
    if (method.equals("DELETE") && ns.matches()) {
      return delete(ns.group(1));
    }
    if (method.equals("POST")
        && (path.equals("/api/v1/namespaces") || path.startsWith("/api/v1/namespaces?"))) {
      return create(request);
    }
    if (method.equals("POST")) {
      Matcher m = NAMESPACED_CREATE.matcher(path);
      if (m.matches() && terminating.contains(m.group(1))) {
        return EmbeddedKubernetes.statusResponse(
            403,
            "Forbidden",
            "unable to create new content in namespace "
                + m.group(1)
                + " because it is being terminated");
      }
    }
    return null;
  }

  private MockResponse create(RecordedRequest request) {
    Map<String, Object> ns = readMap(request.getUtf8Body());
    Map<String, Object> spec = new java.util.LinkedHashMap<>(Json.map(ns, "spec"));
    spec.putIfAbsent("finalizers", List.of("kubernetes"));
    ns.put("spec", spec);
    ns.put("status", Map.of("phase", "Active"));
    return store.dispatch(request(HttpMethod.POST, request.getPath(), json.asJson(ns)));
  }

  private MockResponse delete(String name) {
    String path = "/api/v1/namespaces/" + name;
    MockResponse current = store.dispatch(request(HttpMethod.GET, path, null));
    if (current.code() != 200) {
      return current;
    }
    Map<String, Object> ns = readMap(body(current));
    if (Json.str(ns, "metadata", "deletionTimestamp") != null) {
      return current;
    }
    Map<String, Object> metadata = Json.copy(Json.map(ns, "metadata"));
    metadata.put("deletionTimestamp", Controller.now());
    metadata.put("deletionGracePeriodSeconds", 0);
    List<String> finalizers = new ArrayList<>(Json.strings(metadata, "finalizers"));
    if (!finalizers.contains("kubernetes")) {
      finalizers.add("kubernetes");
    }
    metadata.put("finalizers", finalizers);
    ns.put("metadata", metadata);
    ns.put("status", Map.of("phase", "Terminating"));
    MockResponse updated = store.dispatch(request(HttpMethod.PUT, path, json.asJson(ns)));
    if (updated.code() == 200) {
      terminating.add(name);
      worker.execute(() -> cleanUp(name, 1));
    }
    return updated;
  }

  private void cleanUp(String name, int attempt) {
    try {
      boolean empty = true;
      for (String collection : collections(name)) {
        MockResponse list = store.dispatch(request(HttpMethod.GET, collection, null));
        if (list.code() != 200 || Json.maps(readMap(body(list)), "items").isEmpty()) {
          continue;
        }
        empty = false;
        store.dispatch(request(HttpMethod.DELETE, collection, null));
      }
      if (empty) {
        finish(name);
        return;
      }
    } catch (RuntimeException e) {
      log.debug("cleaning up namespace {} failed, retrying", name, e);
    }
    long delay = Math.min(1000, 10L * attempt);
    worker.schedule(() -> cleanUp(name, attempt + 1), delay, TimeUnit.MILLISECONDS);
  }

  private List<String> collections(String name) {
    List<String> out = new ArrayList<>();
    for (String c : COLLECTIONS) {
      out.add(c.formatted(name));
    }
    MockResponse crds =
        store.dispatch(
            request(
                HttpMethod.GET, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", null));
    if (crds.code() == 200) {
      for (Map<String, Object> crd : Json.maps(readMap(body(crds)), "items")) {
        if (!"Namespaced".equals(Json.str(crd, "spec", "scope"))) {
          continue;
        }
        String group = Json.strOr(crd, "", "spec", "group");
        String plural = Json.strOr(crd, "", "spec", "names", "plural");
        for (Map<String, Object> v : Json.maps(crd, "spec", "versions")) {
          if (Boolean.TRUE.equals(v.get("storage"))) {
            out.add("/apis/" + group + "/" + v.get("name") + "/namespaces/" + name + "/" + plural);
          }
        }
      }
    }
    return out;
  }

  private void finish(String name) {
    String path = "/api/v1/namespaces/" + name;
    MockResponse current = store.dispatch(request(HttpMethod.GET, path, null));
    if (current.code() == 200) {
      Map<String, Object> ns = readMap(body(current));
      Map<String, Object> metadata = Json.copy(Json.map(ns, "metadata"));
      List<String> finalizers = new ArrayList<>(Json.strings(metadata, "finalizers"));
      finalizers.remove("kubernetes");
      metadata.put("finalizers", finalizers);
      ns.put("metadata", metadata);
      // marked for deletion without finalizers: the mock removes it (DELETED event)
      store.dispatch(request(HttpMethod.PUT, path, json.asJson(ns)));
    }
    terminating.remove(name);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> readMap(String body) {
    return (Map<String, Object>) json.unmarshal(body, Map.class);
  }

  void close() {
    worker.shutdownNow();
  }

  private static RecordedRequest request(HttpMethod method, String path, @Nullable String body) {
    Headers.Builder headers =
        Headers.builder().add("User-Agent", "convergence-simulator/namespace-controller");
    Buffer buffer = new Buffer();
    if (body != null) {
      headers.add("Content-Type", "application/json");
      buffer.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return new RecordedRequest("HTTP/1.1", method, path, headers.build(), buffer);
  }

  private static String body(MockResponse response) {
    Buffer b = response.getBody();
    return b == null ? "{}" : new String(b.getBytes(), StandardCharsets.UTF_8);
  }
}
