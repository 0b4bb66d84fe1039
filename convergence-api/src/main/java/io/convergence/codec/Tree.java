package io.convergence.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.convergence.spec.SpecProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * A JSON/YAML object being read: remembers its field path, which fields were read, and reports
 * fields that are unknown (with a suggestion) and values of the wrong type.
 */
final class Tree {

  private final JsonNode node;
  private final String path;
  private final List<SpecProblem> problems;
  private final Set<String> known = new LinkedHashSet<>();

  Tree(JsonNode node, String path, List<SpecProblem> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String child(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  void problem(String path, String message) {
    problems.add(new SpecProblem(path, message));
  }

  Optional<JsonNode> field(String name) {
    known.add(name);
    JsonNode v = node.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  Optional<String> text(String name) {
    return field(name).flatMap(v -> scalar(v, child(name)));
  }

  Optional<String> scalar(JsonNode v, String at) {
    if (v.isTextual() || v.isNumber() || v.isBoolean()) {
      return Optional.of(v.asText());
    }
    problem(at, "expected a text value, found " + describe(v));
    return Optional.empty();
  }

  Optional<Integer> integer(String name) {
    return field(name).flatMap(v -> integer(v, child(name)));
  }

  Optional<Integer> integer(JsonNode v, String at) {
    if (v.canConvertToInt() && v.isIntegralNumber()) {
      return Optional.of(v.intValue());
    }
    if (v.isTextual() && v.asText().matches("-?\\d{1,9}")) {
      return Optional.of(Integer.parseInt(v.asText()));
    }
    problem(at, "expected a whole number, found " + describe(v));
    return Optional.empty();
  }

  Optional<Boolean> bool(String name) {
    return field(name)
        .flatMap(
            v -> {
              if (v.isBoolean()) {
                return Optional.of(v.booleanValue());
              }
              if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(v.asText()));
              }
              problem(child(name), "expected true or false, found " + describe(v));
              return Optional.empty();
            });
  }

  Optional<Tree> object(String name) {
    return field(name).flatMap(v -> asObject(v, child(name)));
  }

  Optional<Tree> asObject(JsonNode v, String at) {
    if (v.isObject()) {
      return Optional.of(new Tree(v, at, problems));
    }
    problem(at, "expected an object (a map of fields), found " + describe(v));
    return Optional.empty();
  }

  /** Visits each entry of the object field {@code name}, keyed by entry name. */
  void entries(String name, BiConsumer<String, JsonNode> visitor) {
    field(name)
        .ifPresent(
            v -> {
              if (!v.isObject()) {
                problem(child(name), "expected a map keyed by name, found " + describe(v));
                return;
              }
              Iterator<Map.Entry<String, JsonNode>> it = v.fields();
              while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                visitor.accept(e.getKey(), e.getValue());
              }
            });
  }

  /** Reads the list field {@code name}, each element with {@code read}; empty list when absent. */
  <T> List<T> list(String name, BiFunction<JsonNode, String, Optional<T>> read) {
    List<T> out = new ArrayList<>();
    field(name)
        .ifPresent(
            v -> {
              if (!v.isArray()) {
                problem(child(name), "expected a list, found " + describe(v));
                return;
              }
              for (int i = 0; i < v.size(); i++) {
                read.apply(v.get(i), child(name) + "[" + i + "]").ifPresent(out::add);
              }
            });
    return out;
  }

  List<String> strings(String name) {
    return list(name, (v, at) -> scalar(v, at));
  }

  Map<String, String> stringMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    entries(name, (k, v) -> scalar(v, child(name) + "[" + k + "]").ifPresent(s -> out.put(k, s)));
    return out;
  }

  /** Reports every field of this object that no reader asked for. */
  void rejectUnknown() {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(
            child(name),
            "unknown field '"
                + name
                + "'"
                + suggestion(name)
                + "; valid fields: "
                + String.join(", ", known));
      }
    }
  }

  private String suggestion(String name) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d =
          distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static String describe(JsonNode v) {
    JsonNodeType t = v.getNodeType();
    switch (t) {
      case ARRAY:
        return "a list";
      case OBJECT:
        return "an object";
      case STRING:
        return "text \"" + abbreviate(v.asText()) + "\"";
      case NUMBER:
        return "the number " + v.asText();
      case BOOLEAN:
        return v.asText();
      default:
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  /** Converts a JSON tree into plain Java values (for backend option formats). */
  static Object plain(JsonNode v) {
    if (v.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      v.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(e -> l.add(plain(e)));
      return l;
    }
    if (v.isIntegralNumber()) {
      return v.canConvertToLong() ? (Object) v.longValue() : v.bigIntegerValue();
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return v.asText();
  }
}
