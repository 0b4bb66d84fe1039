package io.convergence.kubernetes;

import io.convergence.plan.NativeObject;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders Kubernetes objects for plans: YAML as the API server receives it, with the values of
 * Secrets replaced by {@code <redacted>}.
 *
 * @since 0.1.0
 */
public final class NativeObjects {

  private NativeObjects() {}

  /**
   * The object as a plan entry.
   *
   * @param object the object
   * @return the rendered object
   */
  public static NativeObject render(HasMetadata object) {
    HasMetadata shown = object;
    if (object instanceof Secret s) {
      Map<String, String> redacted = new LinkedHashMap<>();
      if (s.getData() != null) {
        s.getData().keySet().forEach(k -> redacted.put(k, NativeObject.REDACTED));
      }
      if (s.getStringData() != null) {
        s.getStringData().keySet().forEach(k -> redacted.put(k, NativeObject.REDACTED));
      }
      shown =
          new io.fabric8.kubernetes.api.model.SecretBuilder(s)
              .withData(redacted)
              .withStringData(null)
              .build();
    }
    String kind = object.getKind() != null ? object.getKind() : object.getClass().getSimpleName();
    if (object instanceof GenericKubernetesResource g && g.getKind() != null) {
      kind = g.getKind();
    }
    return new NativeObject(
        kind,
        object.getMetadata().getName(),
        NativeObject.Format.YAML,
        Serialization.asYaml(shown).replaceFirst("^---\n", ""));
  }
}
