package io.convergence.testkit.prism;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Routes by method and path pattern; {@code {name}} matches one non-empty segment. */
final class Router {

  /** Handles a routed request. */
  interface Handler {
    HttpResult handle(Call call);
  }

  /**
   * A route.
   *
   * @param method the HTTP method
   * @param segments the pattern's segments
   * @param ns the namespace, for error bodies
   * @param responseType the {@code $objectType} of the response envelope
   * @param mutation whether it needs {@code NTNX-Request-Id} and is idempotent by it
   * @param list whether it accepts {@code $filter}, {@code $page} and {@code $limit}
   * @param handler the handler
   */
  record Route(
      String method,
      List<String> segments,
      Namespace ns,
      String responseType,
      boolean mutation,
      boolean list,
      Handler handler) {}

  /**
   * A route matched to a path.
   *
   * @param route the route
   * @param params the path parameters
   */
  record Match(Route route, Map<String, String> params) {}

  private final List<Route> routes = new ArrayList<>();

  void add(
      String method,
      String pattern,
      Namespace ns,
      String responseType,
      boolean mutation,
      boolean list,
      Handler handler) {
    routes.add(
        new Route(method, split(pattern), ns, ns.type(responseType), mutation, list, handler));
  }

  static List<String> split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** The route for a method and decoded segments; empty when no route has the path. */
  Optional<Match> match(String method, List<String> segments) {
    for (Route r : routes) {
      if (r.method().equals(method)) {
        Map<String, String> params = params(r, segments);
        if (params != null) {
          return Optional.of(new Match(r, params));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether some route (of another method) has this path: 405 rather than 404. */
  boolean pathExists(List<String> segments) {
    for (Route r : routes) {
      if (params(r, segments) != null) {
        return true;
      }
    }
    return false;
  }

  private static @Nullable Map<String, String> params(Route r, List<String> segments) {
    if (r.segments().size() != segments.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String p = r.segments().get(i);
      String s = segments.get(i);
      if (p.startsWith("{") && p.endsWith("}")) {
        if (s.isEmpty()) {
          return null;
        }
        params.put(p.substring(1, p.length() - 1), s);
      } else if (!p.equals(s)) {
        return null;
      }
    }
    return params;
  }
}
