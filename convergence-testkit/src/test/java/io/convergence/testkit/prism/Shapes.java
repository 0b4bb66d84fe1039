package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the structure of two JSON documents: the same keys and value types at every path, values
 * ignored. See {@code src/test/resources/prism/golden/README.md} for the rules.
 */
final class Shapes {

  /** Keys whose contents are free-form. */
  private static final Set<String> FREE_FORM = Set.of("argumentsMap");

  private Shapes() {}

  static JsonNode golden(String name) {
    String resource = "/prism/golden/" + name;
    try (InputStream in = Shapes.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no golden file " + resource);
      }
      return PrismTestClient.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The differences, as {@code path: reason}; empty when the shapes match. */
  static List<String> differences(JsonNode golden, JsonNode actual) {
    List<String> out = new ArrayList<>();
    compare("$", golden, actual, out);
    return out;
  }

  static void assertSameShape(String goldenName, JsonNode actual) {
    List<String> diffs = differences(golden(goldenName), actual);
    if (!diffs.isEmpty()) {
      throw new AssertionError(
          "response does not have the shape of "
              + goldenName
              + ":\n  "
              + String.join("\n  ", diffs)
              + "\nactual: "
              + actual.toPrettyString());
    }
  }

  static String type(JsonNode n) {
    if (n.isObject()) {
      return "object";
    } else if (n.isArray()) {
      return "array";
    } else if (n.isTextual()) {
      return "string";
    } else if (n.isNumber()) {
      return "number";
    } else if (n.isBoolean()) {
      return "boolean";
    } else if (n.isNull()) {
      return "null";
    }
    return n.getNodeType().toString();
  }

  private static void compare(String path, JsonNode golden, JsonNode actual, List<String> out) {
    String gt = type(golden);
    String at = type(actual);
    if (!gt.equals(at)) {
      out.add(path + ": expected " + gt + " but was " + at);
      return;
    }
    if (golden.isObject()) {
      Set<String> gk = keys(golden);
      Set<String> ak = keys(actual);
      for (String k : gk) {
        if (!ak.contains(k)) {
          out.add(path + ": missing key '" + k + "'");
        }
      }
      for (String k : ak) {
        if (!gk.contains(k)) {
          out.add(path + ": unexpected key '" + k + "'");
        }
      }
      for (String k : gk) {
        if (ak.contains(k) && !FREE_FORM.contains(k)) {
          compare(path + "." + k, golden.get(k), actual.get(k), out);
        }
      }
    } else if (golden.isArray()) {
      if (golden.isEmpty() && !actual.isEmpty()) {
        out.add(path + ": expected an empty array, the golden file shows no element shape");
        return;
      }
      for (int i = 0; i < actual.size(); i++) {
        compare(
            path + "[" + i + "]", golden.get(Math.min(i, golden.size() - 1)), actual.get(i), out);
      }
    }
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }
}
