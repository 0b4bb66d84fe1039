package io.convergence.testkit.vmoperator.internal;

import io.convergence.testkit.kubernetes.internal.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code metav1.Condition} lists as vm-operator's {@code pkg/conditions} writes them: a True
 * condition has reason {@code "True"} and an empty message; a False or Unknown one without a reason
 * gets {@code "False"} or {@code "Unknown"}; {@code message} is always present (the schema requires
 * it, empty is allowed); {@code lastTransitionTime} changes only when status, reason or message
 * change; the list is sorted with {@code Ready} first, then by type.
 */
public final class VmConditions {

  private static final Logger log = LoggerFactory.getLogger(VmConditions.class);

  /** The schema's pattern for {@code reason}. */
  private static final Pattern REASON = Pattern.compile("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");

  private static final int MAX_MESSAGE = 32768;

  private VmConditions() {}

  /** A True condition. */
  public static Map<String, Object> isTrue(String type) {
    return cond(type, "True", "True", "");
  }

  /** A False condition. */
  public static Map<String, Object> isFalse(String type, @Nullable String reason, String message) {
    return cond(type, "False", reason == null || reason.isEmpty() ? "False" : reason, message);
  }

  /** An Unknown condition. */
  public static Map<String, Object> unknown(String type, @Nullable String reason, String message) {
    return cond(type, "Unknown", reason == null || reason.isEmpty() ? "Unknown" : reason, message);
  }

  /**
   * The condition with {@code placeholder} for an empty message (for API servers that refuse empty
   * strings in custom resources; see {@code FakeVmOperatorController.Builder#emptyMessages}).
   */
  public static Map<String, Object> withEmptyMessage(
      Map<String, Object> condition, String placeholder) {
    if (placeholder.isEmpty() || !"".equals(condition.get("message"))) {
      return condition;
    }
    Map<String, Object> c = new LinkedHashMap<>(condition);
    c.put("message", placeholder);
    return c;
  }

  private static Map<String, Object> cond(
      String type, String status, String reason, String message) {
    String r = reason;
    if (!REASON.matcher(r).matches() || r.length() > 1024) {
      // A real API server refuses such a status; a fault given with a free-text reason must not
      // wedge the simulator, so it is written as the generic reason vm-operator uses for errors.
      log.warn(
          "condition {} reason {} does not match the schema's pattern; writing Error", type, r);
      r = "Error";
    }
    String m = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("type", type);
    c.put("status", status);
    c.put("reason", r);
    c.put("message", m);
    return c;
  }

  /** The conditions of a status map (a copy of the list; its items are shared). */
  public static List<Map<String, Object>> list(Map<String, Object> status) {
    return new ArrayList<>(Json.maps(status, "conditions"));
  }

  /** The condition of a type, if present. */
  public static Optional<Map<String, Object>> get(Map<String, Object> status, String type) {
    return Json.maps(status, "conditions").stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst();
  }

  /** Whether the condition of a type is present with status True. */
  public static boolean isTrue(Map<String, Object> status, String type) {
    return get(status, type).map(c -> "True".equals(c.get("status"))).orElse(false);
  }

  /** Whether the condition of a type is present with status False. */
  public static boolean isFalse(Map<String, Object> status, String type) {
    return get(status, type).map(c -> "False".equals(c.get("status"))).orElse(false);
  }

  /** The reason of the condition of a type, or empty. */
  public static String reason(Map<String, Object> status, String type) {
    return get(status, type).map(c -> Json.strOr(c, "", "reason")).orElse("");
  }

  /**
   * Sets a condition in the (mutable) status map, keeping its {@code lastTransitionTime} when
   * status, reason and message are unchanged.
   */
  public static void set(Map<String, Object> status, Map<String, Object> condition, String now) {
    List<Map<String, Object>> out = new ArrayList<>();
    String type = (String) condition.get("type");
    Map<String, Object> c = new LinkedHashMap<>(condition);
    boolean found = false;
    for (Map<String, Object> old : Json.maps(status, "conditions")) {
      if (type.equals(old.get("type"))) {
        found = true;
        boolean same =
            Objects.equals(old.get("status"), c.get("status"))
                && Objects.equals(old.get("reason"), c.get("reason"))
                && Objects.equals(old.get("message"), c.get("message"));
        Object ltt = old.get("lastTransitionTime");
        c.put("lastTransitionTime", same && ltt != null ? ltt : now);
        out.add(c);
      } else {
        out.add(old);
      }
    }
    if (!found) {
      c.put("lastTransitionTime", now);
      out.add(c);
    }
    out.sort(ORDER);
    status.put("conditions", out);
  }

  /** Removes the condition of a type from the (mutable) status map. */
  public static void delete(Map<String, Object> status, String type) {
    List<Map<String, Object>> out = new ArrayList<>(Json.maps(status, "conditions"));
    if (out.removeIf(c -> type.equals(c.get("type")))) {
      if (out.isEmpty()) {
        status.remove("conditions");
      } else {
        status.put("conditions", out);
      }
    }
  }

  /** Ready first, then by type (vm-operator's {@code lexicographicLess}). */
  private static final Comparator<Map<String, Object>> ORDER =
      Comparator.comparing((Map<String, Object> c) -> !"Ready".equals(c.get("type")))
          .thenComparing(c -> String.valueOf(c.get("type")));
}
