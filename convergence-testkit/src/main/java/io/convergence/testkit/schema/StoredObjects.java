package io.convergence.testkit.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compares what a client sent with what the server stored: every field sent must be stored with the
 * same value. The server may add fields (defaults, status, metadata); it must not drop (prune) or
 * change any. Metadata that a server always rewrites ({@code resourceVersion}, {@code uid},
 * timestamps, {@code managedFields}) is ignored.
 *
 * @since 0.1.0
 */
public final class StoredObjects {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SERVER_OWNED =
      List.of(
          "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "selfLink");

  private StoredObjects() {}

  /**
   * The fields of {@code sent} that {@code stored} lacks or holds with another value.
   *
   * @param sent the object as sent (a fabric8 model object, map or JSON tree)
   * @param stored the object as read back from the server
   * @return one line per difference, with its JSON path; empty when nothing was pruned or changed
   */
  public static List<String> prunedOrChanged(Object sent, Object stored) {
    List<String> out = new ArrayList<>();
    compare(JSON.valueToTree(sent), JSON.valueToTree(stored), "", out);
    return out;
  }

  private static void compare(JsonNode sent, JsonNode stored, String path, List<String> out) {
    if (sent.isObject()) {
      if (!stored.isObject()) {
        out.add(path + ": sent an object, stored " + stored.getNodeType());
        return;
      }
      Iterator<Map.Entry<String, JsonNode>> it = sent.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> f = it.next();
        if (path.equals(".metadata") && SERVER_OWNED.contains(f.getKey())
            || f.getValue().isNull()) {
          continue;
        }
        if (!stored.has(f.getKey())) {
          if (!(f.getValue().isObject() && f.getValue().isEmpty())
              && !(f.getValue().isArray() && f.getValue().isEmpty())) {
            out.add(path + "." + f.getKey() + ": pruned (sent " + abbreviate(f.getValue()) + ")");
          } else if (f.getValue().isObject()) {
            out.add(path + "." + f.getKey() + ": pruned (sent an empty object)");
          }
          continue;
        }
        compare(f.getValue(), stored.get(f.getKey()), path + "." + f.getKey(), out);
      }
    } else if (sent.isArray()) {
      if (!stored.isArray() || stored.size() != sent.size()) {
        out.add(
            path
                + ": sent "
                + sent.size()
                + " items, stored "
                + (stored.isArray() ? stored.size() : stored.getNodeType()));
        return;
      }
      for (int i = 0; i < sent.size(); i++) {
        compare(sent.get(i), stored.get(i), path + "[" + i + "]", out);
      }
    } else if (!equalScalars(sent, stored)) {
      out.add(path + ": sent " + sent + ", stored " + stored);
    }
  }

  private static boolean equalScalars(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  private static String abbreviate(JsonNode n) {
    String s = n.toString();
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
