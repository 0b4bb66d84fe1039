package io.convergence.testkit.prism;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import io.convergence.testkit.prism.Envelopes.Violation;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One routed request: what a handler reads. {@code params} are the decoded path parameters of the
 * route's pattern ({@code {extId}}).
 */
final class Call {

  final String method;
  final String path;
  final String rawPath;
  final String rawQuery;
  final List<Map.Entry<String, String>> query;
  final Headers headers;
  final byte[] body;
  final String baseUri;
  final Namespace ns;
  final String responseType;
  final Map<String, String> params;

  Call(
      String method,
      String path,
      String rawPath,
      String rawQuery,
      Headers headers,
      byte[] body,
      String baseUri,
      Router.Route route,
      Map<String, String> params) {
    this.method = method;
    this.path = path;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.query = PrismHttpHandler.parseQuery(rawQuery);
    this.headers = headers;
    this.body = body;
    this.baseUri = baseUri;
    this.ns = route.ns();
    this.responseType = route.responseType();
    this.params = Map.copyOf(params);
  }

  String param(String name) {
    String v = params.get(name);
    if (v == null) {
      throw new IllegalStateException("no path parameter " + name);
    }
    return v;
  }

  Optional<String> header(String name) {
    return Optional.ofNullable(headers.getFirst(name));
  }

  /** The URI of this request, as the {@code self} link. */
  String selfHref() {
    return baseUri + rawPath + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
  }

  /**
   * The body as a JSON object; 400 when it is not one. An empty body reads as {@code {}} when
   * {@code emptyAllowed}.
   */
  JsonNode jsonObject(boolean emptyAllowed) {
    if (body.length == 0 || PrismJson.text(body).isBlank()) {
      if (emptyAllowed) {
        return PrismJson.object();
      }
      throw Envelopes.invalid(ns, Violation.body("", "request body is required"));
    }
    JsonNode n;
    try {
      n = PrismJson.parse(body);
    } catch (IOException e) {
      throw Envelopes.invalid(
          ns, Violation.body("", "malformed JSON: " + firstLine(e.getMessage())));
    }
    if (!n.isObject()) {
      throw Envelopes.invalid(ns, Violation.body("", "must be a JSON object"));
    }
    return n;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
