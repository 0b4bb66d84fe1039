package io.convergence.testkit.kubernetes.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Reads and builds the nested maps and lists that Kubernetes objects are made of. */
public final class Json {

  private Json() {}

  /** The value at a path of map keys, or null when any step is missing or not a map. */
  public static @Nullable Object at(@Nullable Object root, String... path) {
    Object cur = root;
    for (String p : path) {
      if (!(cur instanceof Map<?, ?> m)) {
        return null;
      }
      cur = m.get(p);
    }
    return cur;
  }

  /** The string at a path, or null. */
  public static @Nullable String str(@Nullable Object root, String... path) {
    return at(root, path) instanceof String s ? s : null;
  }

  /** The string at a path, or {@code fallback}. */
  public static String strOr(@Nullable Object root, String fallback, String... path) {
    String s = str(root, path);
    return s == null ? fallback : s;
  }

  /** The boolean at a path, or null. */
  public static @Nullable Boolean bool(@Nullable Object root, String... path) {
    return at(root, path) instanceof Boolean b ? b : null;
  }

  /** The map at a path, or an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> map(@Nullable Object root, String... path) {
    return at(root, path) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** The map at a path, if there is one. */
  @SuppressWarnings("unchecked")
  public static Optional<Map<String, Object>> optMap(@Nullable Object root, String... path) {
    return at(root, path) instanceof Map<?, ?> m
        ? Optional.of((Map<String, Object>) m)
        : Optional.empty();
  }

  /** The list of maps at a path (non-map items skipped), or an empty list. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> maps(@Nullable Object root, String... path) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (at(root, path) instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          out.add((Map<String, Object>) m);
        }
      }
    }
    return out;
  }

  /** The list of strings at a path, or an empty list. */
  public static List<String> strings(@Nullable Object root, String... path) {
    List<String> out = new ArrayList<>();
    if (at(root, path) instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** A map of string values at a path (labels, annotations), or an empty map. */
  public static Map<String, String> stringMap(@Nullable Object root, String... path) {
    Map<String, String> out = new LinkedHashMap<>();
    map(root, path)
        .forEach(
            (k, v) -> {
              if (v instanceof String s) {
                out.put(k, s);
              }
            });
    return out;
  }

  /** A deep, mutable copy of a JSON-like value (maps, lists, scalars). */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? null : copy(v)));
      return (T) out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (Object o : l) {
        out.add(o == null ? null : copy(o));
      }
      return (T) out;
    }
    return value;
  }

  /** A mutable map built from alternating keys and values; null values are left out. */
  public static Map<String, Object> obj(@Nullable Object... keysAndValues) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      Object v = keysAndValues[i + 1];
      if (v != null) {
        out.put(String.valueOf(keysAndValues[i]), v);
      }
    }
    return out;
  }
}
