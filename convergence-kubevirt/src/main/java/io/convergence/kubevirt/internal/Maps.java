package io.convergence.kubevirt.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small helpers for building and reading the nested maps of generic Kubernetes objects. */
public final class Maps {

  private Maps() {}

  /** An ordered map of key/value pairs; null values are left out. */
  public static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      Object value = keysAndValues[i + 1];
      if (value != null) {
        m.put((String) keysAndValues[i], value);
      }
    }
    return m;
  }

  /** The value at a path of keys, if every step is a map. */
  public static Optional<Object> at(Object root, String... path) {
    Object cur = root;
    for (String key : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return Optional.empty();
      }
      cur = m.get(key);
    }
    return Optional.ofNullable(cur);
  }

  /** The text at a path. */
  public static Optional<String> text(Object root, String... path) {
    return at(root, path).map(Object::toString);
  }

  /** The list of maps at a path; empty when absent. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Object root, String... path) {
    Object v = at(root, path).orElse(null);
    if (!(v instanceof List<?> l)) {
      return List.of();
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : l) {
      if (o instanceof Map<?, ?> m) {
        out.add((Map<String, Object>) m);
      }
    }
    return out;
  }

  /** The condition of a type in a status's {@code conditions} list. */
  public static Optional<Map<String, Object>> condition(Object status, String type) {
    return list(status, "conditions").stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }

  /** Whether a condition of a type is {@code "True"}. */
  public static boolean isTrue(Object status, String type) {
    return condition(status, type)
        .map(c -> "True".equals(String.valueOf(c.get("status"))))
        .orElse(false);
  }
}
