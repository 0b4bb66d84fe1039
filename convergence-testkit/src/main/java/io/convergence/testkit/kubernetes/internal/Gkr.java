package io.convergence.testkit.kubernetes.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes {@link GenericKubernetesResource}s the ways that behave alike on the mock and a
 * real server.
 */
public final class Gkr {

  private Gkr() {}

  /** The object's {@code spec}, or an empty map. */
  public static Map<String, Object> spec(GenericKubernetesResource o) {
    return Json.map(o.getAdditionalProperties(), "spec");
  }

  /** The object's {@code status}, or an empty map. */
  public static Map<String, Object> status(GenericKubernetesResource o) {
    return Json.map(o.getAdditionalProperties(), "status");
  }

  /** The object's labels, never null. */
  public static Map<String, String> labels(HasMetadata o) {
    Map<String, String> l = o.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  /** Whether the object has a deletionTimestamp. */
  public static boolean deleting(HasMetadata o) {
    return o.getMetadata().getDeletionTimestamp() != null;
  }

  /** The object's finalizers, never null. */
  public static List<String> finalizers(HasMetadata o) {
    List<String> f = o.getMetadata().getFinalizers();
    return f == null ? List.of() : f;
  }

  /**
   * Replaces the object's status through the {@code /status} subresource, with the cached object's
   * resourceVersion (409 when it is stale). Does nothing when the status is unchanged.
   *
   * @return whether a write was sent
   */
  public static boolean writeStatus(
      KubernetesClient client,
      ResourceDefinitionContext ctx,
      GenericKubernetesResource cached,
      Map<String, Object> status) {
    if (Objects.equals(status(cached), status)) {
      return false;
    }
    GenericKubernetesResource copy = client.getKubernetesSerialization().clone(cached);
    copy.setAdditionalProperty("status", status);
    GenericKubernetesResource written =
        client
            .genericKubernetesResources(ctx)
            .inNamespace(cached.getMetadata().getNamespace())
            .resource(copy)
            .updateStatus();
    checkNotPruned(
        ctx.getKind() + " " + cached.getMetadata().getName() + " status", status, status(written));
    return true;
  }

  private static final java.util.Queue<String> PRUNED =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  /**
   * Fields a server dropped from what a simulator wrote (a real API server prunes fields its schema
   * does not know), as {@code "<what>: <path>"}; empty when every write was kept whole.
   */
  public static List<String> prunedFields() {
    return List.copyOf(PRUNED);
  }

  /** Records (and logs) every path of {@code sent} missing or different in {@code kept}. */
  public static void checkNotPruned(String what, @Nullable Object sent, @Nullable Object kept) {
    List<String> missing = new ArrayList<>();
    diff("", sent, kept, missing);
    for (String path : missing) {
      PRUNED.add(what + ": " + path);
      org.slf4j.LoggerFactory.getLogger(Gkr.class)
          .warn("the server did not keep {} of {} as written", path, what);
    }
  }

  private static void diff(
      String path, @Nullable Object sent, @Nullable Object kept, List<String> out) {
    if (sent instanceof Map<?, ?> s) {
      if (!(kept instanceof Map<?, ?> k)) {
        out.add(path.isEmpty() ? "/" : path);
        return;
      }
      s.forEach((key, v) -> diff(path + "/" + key, v, k.get(key), out));
    } else if (sent instanceof List<?> s) {
      if (!(kept instanceof List<?> k) || k.size() != s.size()) {
        out.add(path);
        return;
      }
      for (int i = 0; i < s.size(); i++) {
        diff(path + "/" + i, s.get(i), k.get(i), out);
      }
    } else if (sent instanceof Number a && kept instanceof Number b) {
      if (a.doubleValue() != b.doubleValue()) {
        out.add(path);
      }
    } else if (!Objects.equals(sent, kept)) {
      out.add(path);
    }
  }

  /** Applies a JSON patch (RFC 6902) to the object. */
  public static GenericKubernetesResource jsonPatch(
      KubernetesClient client,
      ResourceDefinitionContext ctx,
      String namespace,
      String name,
      List<Map<String, Object>> ops) {
    return client
        .genericKubernetesResources(ctx)
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(ops));
  }

  /** A JSON patch operation. */
  public static Map<String, Object> op(String op, String path, @Nullable Object value) {
    return value == null
        ? Json.obj("op", op, "path", path)
        : Json.obj("op", op, "path", path, "value", value);
  }

  /** Escapes a key for a JSON pointer ({@code ~} and {@code /}). */
  public static String pointer(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  /** Adds finalizers the object lacks. */
  public static void addFinalizers(
      KubernetesClient client, ResourceDefinitionContext ctx, HasMetadata o, List<String> add) {
    List<String> current = finalizers(o);
    List<String> wanted = new ArrayList<>(current);
    for (String f : add) {
      if (!wanted.contains(f)) {
        wanted.add(f);
      }
    }
    if (wanted.equals(current)) {
      return;
    }
    setFinalizers(client, ctx, o, wanted);
  }

  /** Removes finalizers. */
  public static void removeFinalizers(
      KubernetesClient client, ResourceDefinitionContext ctx, HasMetadata o, List<String> remove) {
    List<String> current = finalizers(o);
    List<String> wanted = new ArrayList<>(current);
    wanted.removeAll(remove);
    if (wanted.equals(current)) {
      return;
    }
    setFinalizers(client, ctx, o, wanted);
  }

  /**
   * Sets the finalizer list with a JSON patch {@code add} (which replaces an existing member). No
   * {@code test} of the resourceVersion: the CRUD mock answers a failed test (or a {@code replace}
   * of a missing member) by never answering at all, so the request times out.
   */
  private static void setFinalizers(
      KubernetesClient client, ResourceDefinitionContext ctx, HasMetadata o, List<String> wanted) {
    jsonPatch(
        client,
        ctx,
        o.getMetadata().getNamespace(),
        o.getMetadata().getName(),
        List.of(op("add", "/metadata/finalizers", wanted)));
  }

  /** A controller owner reference to the object. */
  public static OwnerReference controllerRef(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether the object is owned by an object of this kind and uid (or name, when uid is null). */
  public static boolean ownedBy(HasMetadata o, String kind, @Nullable String uid, String name) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs == null) {
      return false;
    }
    for (OwnerReference r : refs) {
      if (kind.equals(r.getKind())
          && (uid != null ? uid.equals(r.getUid()) : name.equals(r.getName()))) {
        return true;
      }
    }
    return false;
  }

  /** The name of the object's owner of this kind, or null. */
  public static @Nullable String ownerName(HasMetadata o, String kind) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    if (refs == null) {
      return null;
    }
    for (OwnerReference r : refs) {
      if (kind.equals(r.getKind())) {
        return r.getName();
      }
    }
    return null;
  }
}
