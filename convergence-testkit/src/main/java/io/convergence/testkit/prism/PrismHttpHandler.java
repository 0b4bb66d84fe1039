package io.convergence.testkit.prism;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.convergence.testkit.prism.Envelopes.AppMessage;
import io.convergence.testkit.prism.Envelopes.Violation;
import io.convergence.testkit.prism.PrismFaults.RequestRule;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP front of the fake, in the order Prism Central's gateway applies things: scripted faults
 * (delays, then a response or a dropped connection), authentication (401 HTML, session cookie),
 * routing (404/405), query parameters, {@code NTNX-Request-Id} (400 when missing or malformed,
 * replay of an accepted mutation), then the endpoint. Every request is logged, credentials
 * redacted, before its response is written.
 */
final class PrismHttpHandler implements HttpHandler {

  private static final Logger LOG = Logger.getLogger(PrismHttpHandler.class.getName());
  private static final Pattern COOKIE_VALUE = Pattern.compile("=([^;]*)");
  private static final Set<String> LIST_PARAMETERS = Set.of("$filter", "$page", "$limit");

  private final Router router;
  private final PrismStore store;
  private final PrismFaults faults;
  private final Sessions sessions;
  private final RequestIds requestIds;
  private final Consumer<RecordedRequest> log;
  private final Supplier<String> baseUri;
  private final Clock clock;

  PrismHttpHandler(
      Router router,
      PrismStore store,
      PrismFaults faults,
      Sessions sessions,
      RequestIds requestIds,
      Consumer<RecordedRequest> log,
      Supplier<String> baseUri,
      Clock clock) {
    this.router = router;
    this.store = store;
    this.faults = faults;
    this.sessions = sessions;
    this.requestIds = requestIds;
    this.log = log;
    this.baseUri = baseUri;
    this.clock = clock;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Instant at = clock.instant();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      String rawPath = exchange.getRequestURI().getRawPath();
      String rawQuery = exchange.getRequestURI().getRawQuery();
      rawQuery = rawQuery == null ? "" : rawQuery;
      byte[] body = exchange.getRequestBody().readAllBytes();
      Headers headers = exchange.getRequestHeaders();
      List<String> segments = decodeSegments(rawPath);
      String path = segments == null ? rawPath : "/" + String.join("/", segments);

      for (RequestRule delay : faults.takeDelays(method, path)) {
        if (!sleep(delay.delay())) {
          record(at, method, path, rawQuery, headers, body, 0);
          return;
        }
      }
      Optional<Router.Match> match =
          segments == null ? Optional.empty() : router.match(method, segments);
      Namespace ns = match.map(m -> m.route().ns()).orElse(Namespace.ofPath(path));
      String responseType =
          match.map(m -> m.route().responseType()).orElse(ns.type("config.ErrorResponse"));

      HttpResult result;
      Optional<RequestRule> fault = faults.takeResponse(method, path);
      if (fault.isPresent() && fault.get().kind() == PrismFaults.Kind.DROP) {
        record(at, method, path, rawQuery, headers, body, 0);
        return; // closing the exchange without a response drops the connection
      } else if (fault.isPresent()) {
        result = faultResult(fault.get(), ns, responseType, headers, path);
      } else {
        result = process(method, path, rawPath, rawQuery, segments, headers, body, match, ns);
      }
      record(at, method, path, rawQuery, headers, body, result.status());
      send(exchange, result);
    } finally {
      exchange.close();
    }
  }

  private HttpResult process(
      String method,
      String path,
      String rawPath,
      String rawQuery,
      @Nullable List<String> segments,
      Headers headers,
      byte[] body,
      Optional<Router.Match> match,
      Namespace ns) {
    Optional<Sessions.Authenticated> auth = sessions.authenticate(headers);
    if (auth.isEmpty()) {
      return Envelopes.unauthorized();
    }
    HttpResult result;
    try {
      result = route(method, path, rawPath, rawQuery, segments, headers, body, match, ns);
    } catch (ApiException e) {
      result = e.result();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "fake Prism Central: " + method + " " + path + " failed", e);
      result =
          HttpResult.json(
              500,
              Envelopes.appError(
                  ns,
                  ns.type("config.ErrorResponse"),
                  List.of(
                      new AppMessage(ns.code(10500), "INTERNAL_ERROR", "Internal error: " + e))));
    }
    Optional<String> cookie = auth.get().setCookie();
    return cookie.isPresent() ? result.withHeader("Set-Cookie", cookie.get()) : result;
  }

  private HttpResult route(
      String method,
      String path,
      String rawPath,
      String rawQuery,
      @Nullable List<String> segments,
      Headers headers,
      byte[] body,
      Optional<Router.Match> match,
      Namespace ns) {
    String errorType = ns.type("config.ErrorResponse");
    if (segments == null) {
      throw Envelopes.invalid(ns, Violation.query("path", "malformed percent-encoding"));
    }
    if (match.isEmpty()) {
      boolean other = router.pathExists(segments);
      throw Envelopes.error(
          ns,
          errorType,
          other ? 405 : 404,
          other
              ? new AppMessage(
                  ns.code(10405), "METHOD_NOT_ALLOWED", method + " is not allowed on " + path)
              : new AppMessage(ns.code(10404), "PATH_NOT_FOUND", "No API at " + path));
    }
    Router.Route route = match.get().route();
    Call call =
        new Call(
            method,
            path,
            rawPath,
            rawQuery,
            headers,
            body,
            baseUri.get(),
            route,
            match.get().params());
    checkQuery(call, route);
    if (!route.mutation()) {
      return route.handler().handle(call);
    }
    String requestId = requestId(call);
    synchronized (store) {
      Optional<HttpResult> replay = requestIds.replay(requestId, method, path);
      if (replay.isPresent()) {
        return replay.get();
      }
      HttpResult result;
      try {
        result = route.handler().handle(call);
      } catch (ApiException e) {
        return e.result();
      }
      if (result.status() >= 200 && result.status() < 300) {
        requestIds.remember(requestId, method, path, result);
      }
      return result;
    }
  }

  private static void checkQuery(Call call, Router.Route route) {
    List<Violation> violations = new ArrayList<>();
    for (Map.Entry<String, String> e : call.query) {
      String name = e.getKey();
      if (name.startsWith("$") && !(route.list() && LIST_PARAMETERS.contains(name))) {
        violations.add(
            Violation.query(
                name,
                "query parameter '"
                    + name
                    + "' is not supported here"
                    + (route.list()
                        ? "; supported: " + LIST_PARAMETERS.stream().sorted().toList()
                        : "")));
      }
    }
    if (!violations.isEmpty()) {
      throw Envelopes.invalid(call.ns, violations);
    }
  }

  /** The {@code NTNX-Request-Id} of a mutation: 400 {@code -30400} missing, {@code -30401} bad. */
  private static String requestId(Call call) {
    String id = call.headers.getFirst("NTNX-Request-Id");
    boolean vm = call.ns == Namespace.VMM;
    if (id == null || id.isBlank()) {
      throw Envelopes.error(
          call.ns,
          call.responseType,
          400,
          new AppMessage(
              call.ns.code(30400),
              vm ? "VM_MISSING_REQUEST_ID_HEADER" : "MISSING_REQUEST_ID_HEADER",
              "The NTNX-Request-Id header is required for this operation but was not provided."));
    }
    if (!BodyChecker.UUID.matcher(id.trim()).matches()) {
      throw Envelopes.error(
          call.ns,
          call.responseType,
          400,
          new AppMessage(
              call.ns.code(30401),
              vm ? "VM_INVALID_REQUEST_ID_HEADER" : "INVALID_REQUEST_ID_HEADER",
              "The NTNX-Request-Id header value '" + id + "' is not a valid UUID.",
              Map.of("request_id", id)));
    }
    return id.trim();
  }

  // ------------------------------------------------------------------ faults

  private static HttpResult faultResult(
      RequestRule rule, Namespace ns, String responseType, Headers headers, String path) {
    int status = rule.status();
    if (status == 401) {
      return Envelopes.unauthorized();
    }
    AppMessage m = rule.message() != null ? rule.message() : defaultMessage(status, ns, headers);
    HttpResult r = HttpResult.json(status, Envelopes.appError(ns, responseType, List.of(m)));
    if (status == 429) {
      Duration after = rule.retryAfter() == null ? Duration.ofSeconds(1) : rule.retryAfter();
      long seconds = Math.max(0, (after.toMillis() + 999) / 1000);
      r = r.withHeader("Retry-After", Long.toString(seconds));
    }
    return r;
  }

  static AppMessage defaultMessage(int status, Namespace ns, Headers headers) {
    boolean vm = ns == Namespace.VMM;
    return switch (status) {
      case 403 ->
          new AppMessage(
              ns.code(10403), "ACCESS_DENIED", "User is not authorized to perform this operation.");
      case 404 -> new AppMessage(ns.code(20005), "ENTITY_NOT_FOUND", "The entity does not exist.");
      case 409 ->
          new AppMessage(
              ns.code(30700),
              vm ? "VM_OPERATION_CONFLICT" : "OPERATION_CONFLICT",
              "Another operation is in progress on the entity.");
      case 412 -> {
        String sent = headers.getFirst("If-Match");
        yield new AppMessage(
            ns.code(30303),
            vm ? "VM_ETAG_MISMATCH" : "ETAG_MISMATCH",
            "Failed to perform the operation as the If-Match header value passed '"
                + (sent == null ? "" : sent)
                + "' doesn't match the current value in the server '"
                + Etags.of(PrismStore.newId(), "racing")
                + "'.");
      }
      case 422 ->
          new AppMessage(
              ns.code(20010), "INVALID_REFERENCE", "The request references an unknown entity.");
      case 429 ->
          new AppMessage(
              "PLAT-10429", "RATE_LIMIT_EXCEEDED", "Too many requests, please retry later.");
      case 500 -> new AppMessage(ns.code(10500), "INTERNAL_ERROR", "An internal error occurred.");
      case 502 ->
          new AppMessage(
              "PLAT-10502", "BAD_GATEWAY", "The gateway received an invalid upstream response.");
      case 503 ->
          new AppMessage(
              "PLAT-10503", "SERVICE_UNAVAILABLE", "The service is temporarily unavailable.");
      case 504 ->
          new AppMessage(
              "PLAT-10504", "GATEWAY_TIMEOUT", "The upstream service did not answer in time.");
      default -> new AppMessage(ns.code(10000 + status), "ERROR", "Injected HTTP " + status + ".");
    };
  }

  // ------------------------------------------------------------------ plumbing

  private static boolean sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void send(HttpExchange exchange, HttpResult result) throws IOException {
    Headers h = exchange.getResponseHeaders();
    result.headers().forEach(h::set);
    byte[] body = result.body();
    if (body == null || body.length == 0) {
      exchange.sendResponseHeaders(result.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(result.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private void record(
      Instant at,
      String method,
      String path,
      String rawQuery,
      Headers headers,
      byte[] body,
      int status) {
    Map<String, List<String>> redacted = new LinkedHashMap<>();
    headers.forEach((name, values) -> redacted.put(name, redact(name, values)));
    log.accept(
        new RecordedRequest(at, method, path, rawQuery, redacted, PrismJson.text(body), status));
  }

  private static List<String> redact(String name, List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (name.equalsIgnoreCase("Authorization")) {
        int space = v.indexOf(' ');
        out.add(space < 0 ? RecordedRequest.REDACTED : v.substring(0, space) + " <redacted>");
      } else if (name.equalsIgnoreCase("X-ntnx-api-key")) {
        out.add(RecordedRequest.REDACTED);
      } else if (name.equalsIgnoreCase("Cookie")) {
        out.add(COOKIE_VALUE.matcher(v).replaceAll("=" + RecordedRequest.REDACTED));
      } else {
        out.add(v);
      }
    }
    return out;
  }

  /** The decoded segments of a raw path ({@code +} is literal), or null when malformed. */
  static @Nullable List<String> decodeSegments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (s.isEmpty()) {
        continue;
      }
      try {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return out;
  }

  /** The decoded parameters of a raw query, in order ({@code +} is a space). */
  static List<Map.Entry<String, String>> parseQuery(String rawQuery) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (rawQuery.isEmpty()) {
      return out;
    }
    for (String part : rawQuery.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      try {
        out.add(
            new AbstractMap.SimpleImmutableEntry<>(
                RecordedRequest.decode(k), RecordedRequest.decode(v)));
      } catch (IllegalArgumentException e) {
        out.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
      }
    }
    return out;
  }
}
