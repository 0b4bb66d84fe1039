package io.convergence.testkit.kubernetes.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Condition lists as the platforms write them: one entry per type, {@code lastTransitionTime} kept
 * while the status does not change, and empty {@code reason}/{@code message} left out (the real
 * schemas reject or the real controllers omit them).
 */
public final class Conditions {

  private Conditions() {}

  /** A condition map; null or empty reason and message are left out. */
  public static Map<String, Object> of(
      String type, boolean status, @Nullable String reason, @Nullable String message) {
    return Json.obj(
        "type",
        type,
        "status",
        status ? "True" : "False",
        "reason",
        reason == null || reason.isEmpty() ? null : reason,
        "message",
        message == null || message.isEmpty() ? null : message);
  }

  /** The condition of a type in a list, if present. */
  public static Optional<Map<String, Object>> find(List<Map<String, Object>> list, String type) {
    return list.stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }

  /** Whether a list has a condition of a type with status True. */
  public static boolean isTrue(List<Map<String, Object>> list, String type) {
    return find(list, type).map(c -> "True".equals(c.get("status"))).orElse(false);
  }

  /**
   * Merges the wanted conditions into the previous list: each wanted type replaces the previous one
   * (keeping its transition time when the status is unchanged, else stamping {@code now}), types
   * not wanted are dropped, in the wanted order.
   *
   * <p>{@code timeKeys} are the time fields to keep or stamp, e.g. {@code lastTransitionTime}.
   */
  public static List<Map<String, Object>> merge(
      List<Map<String, Object>> previous,
      List<Map<String, Object>> wanted,
      String now,
      String... timeKeys) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map<String, Object> w : wanted) {
      Map<String, Object> c = Json.copy(w);
      Optional<Map<String, Object>> old = find(previous, (String) w.get("type"));
      for (String key : timeKeys) {
        Object keep =
            old.filter(o -> Objects.equals(o.get("status"), w.get("status")))
                .map(o -> o.get(key))
                .orElse(null);
        c.put(key, keep != null ? keep : now);
      }
      out.add(c);
    }
    return out;
  }
}
