package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import io.convergence.testkit.prism.Envelopes.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads fields of a request body and collects schema violations instead of failing on the first, so
 * a 400 lists all of them as Prism Central does. Paths are written {@code disks[0].backingInfo}.
 */
final class BodyChecker {

  static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final List<Violation> violations = new ArrayList<>();

  void add(String path, String message) {
    violations.add(Violation.body(path, message));
  }

  List<Violation> violations() {
    return violations;
  }

  /** Throws a 400 when anything was wrong. */
  void throwIfInvalid(Namespace ns) {
    if (!violations.isEmpty()) {
      throw Envelopes.invalid(ns, violations);
    }
  }

  static String path(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /** The object at {@code field}, null (and a violation if required) when absent or not one. */
  @Nullable JsonNode object(JsonNode parent, String parentPath, String field, boolean required) {
    JsonNode v = parent.get(field);
    String p = path(parentPath, field);
    if (v == null || v.isNull()) {
      if (required) {
        add(p, "must not be null");
      }
      return null;
    }
    if (!v.isObject()) {
      add(p, "must be an object");
      return null;
    }
    return v;
  }

  /** The array at {@code field}, null when absent; a violation when not an array. */
  @Nullable JsonNode array(JsonNode parent, String parentPath, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      add(path(parentPath, field), "must be an array");
      return null;
    }
    return v;
  }

  @Nullable String string(
      JsonNode parent, String parentPath, String field, boolean required, int maxLength) {
    JsonNode v = parent.get(field);
    String p = path(parentPath, field);
    if (v == null || v.isNull()) {
      if (required) {
        add(p, "must not be null");
      }
      return null;
    }
    if (!v.isTextual()) {
      add(p, "must be a string");
      return null;
    }
    String s = v.asText();
    if (required && s.isBlank()) {
      add(p, "must not be blank");
      return null;
    }
    if (s.length() > maxLength) {
      add(p, "size must be between 0 and " + maxLength);
      return null;
    }
    return s;
  }

  /** A required UUID string, e.g. an {@code extId}. */
  @Nullable String uuid(JsonNode parent, String parentPath, String field) {
    String s = string(parent, parentPath, field, true, 36);
    if (s != null && !UUID.matcher(s).matches()) {
      add(path(parentPath, field), "must match \"" + UUID.pattern() + "\"");
      return null;
    }
    return s;
  }

  /** An integer of at least {@code min}; {@code fallback} when absent (or invalid). */
  long integer(
      JsonNode parent, String parentPath, String field, boolean required, long min, long fallback) {
    JsonNode v = parent.get(field);
    String p = path(parentPath, field);
    if (v == null || v.isNull()) {
      if (required) {
        add(p, "must not be null");
      }
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      add(p, "must be an integer");
      return fallback;
    }
    long n = v.asLong();
    if (n < min) {
      add(p, "must be greater than or equal to " + min);
      return fallback;
    }
    return n;
  }

  /** An optional enum value; {@code fallback} when absent. */
  String enumeration(
      JsonNode parent, String parentPath, String field, Set<String> allowed, String fallback) {
    String s = string(parent, parentPath, field, false, 64);
    if (s == null) {
      return fallback;
    }
    if (!allowed.contains(s)) {
      add(path(parentPath, field), "must be one of " + allowed.stream().sorted().toList());
      return fallback;
    }
    return s;
  }

  /**
   * The {@code $objectType} of a polymorphic object, which must be one of {@code allowed}; null
   * (and a violation) otherwise.
   */
  @Nullable String objectType(JsonNode node, String nodePath, Set<String> allowed) {
    JsonNode v = node.get("$objectType");
    String p = path(nodePath, "$objectType");
    if (v == null || v.isNull()) {
      add(p, "must not be null; expected one of " + allowed.stream().sorted().toList());
      return null;
    }
    if (!v.isTextual() || !allowed.contains(v.asText())) {
      add(
          p,
          "unknown $objectType '"
              + v.asText()
              + "'; expected one of "
              + allowed.stream().sorted().toList());
      return null;
    }
    return v.asText();
  }
}
