package io.convergence.nutanix.prism;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A scripted Prism Central on loopback for client tests: records every request and answers from
 * queues of canned responses, one queue per route (method + path pattern on the decoded path). A
 * queue's answers are used in order; its last answer repeats. An unscripted request gets a 599 that
 * names it, so a test fails loudly.
 */
final class ScriptedPrism implements AutoCloseable {

  /** A request the server received. */
  record Request(
      String method,
      String path,
      String rawPath,
      String rawQuery,
      Map<String, String> query,
      Map<String, List<String>> headers,
      String body) {

    /** {@return the first value of a header (case-insensitive), or null} */
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** {@return every value of a header (case-insensitive)} */
    List<String> headerValues(String name) {
      return headers.getOrDefault(name, List.of());
    }

    @Override
    public String toString() {
      return method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery);
    }
  }

  /** A canned answer; {@code reset} closes the connection without any answer. */
  record Response(int status, String body, Map<String, String> headers, boolean reset) {
    static Response json(int status, String body) {
      return new Response(status, body, Map.of("Content-Type", "application/json"), false);
    }

    static Response html(int status, String body) {
      return new Response(status, body, Map.of("Content-Type", "text/html"), false);
    }

    static Response empty(int status) {
      return new Response(status, "", Map.of(), false);
    }

    static Response connectionReset() {
      return new Response(0, "", Map.of(), true);
    }

    Response withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Response(status, body, h, reset);
    }
  }

  private record Route(String method, Pattern path, List<Response> answers, int[] used) {}

  private final HttpServer server;
  private final String scheme;
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  static {
    // without TCP_NODELAY every small answer waits for the client's delayed ACK (about 40 ms);
    // read once, when the first server is created
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private ScriptedPrism(HttpServer server, String scheme) {
    this.server = server;
    this.scheme = scheme;
    server.createContext("/", this::serve);
    server.start();
  }

  static ScriptedPrism start() throws IOException {
    return new ScriptedPrism(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), "http");
  }

  static ScriptedPrism startTls(SSLContext tls) throws IOException {
    HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new ScriptedPrism(s, "https");
  }

  /**
   * Adds answers for requests whose method is {@code method} and whose decoded path matches {@code
   * pathRegex} entirely. Routes added first win.
   */
  ScriptedPrism on(String method, String pathRegex, Response... answers) {
    routes.add(new Route(method, Pattern.compile(pathRegex), List.of(answers), new int[1]));
    return this;
  }

  URI endpoint() {
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  List<Request> requests(String method) {
    return requests.stream().filter(r -> r.method().equals(method)).toList();
  }

  private void serve(HttpExchange ex) throws IOException {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    URI uri = ex.getRequestURI();
    Request req =
        new Request(
            ex.getRequestMethod(),
            uri.getPath(),
            uri.getRawPath(),
            uri.getRawQuery(),
            decodeQuery(uri.getRawQuery()),
            headers,
            body);
    requests.add(req);
    Response res = answer(req);
    if (res.reset()) {
      // a handler failing before any answer makes the server drop the connection: the client
      // sees an IOException (no bytes), as after a connection reset
      throw new IOException("scripted connection reset");
    }
    try (ex) {
      res.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      byte[] bytes = res.body().getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(res.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  private Response answer(Request req) {
    for (Route r : routes) {
      if (r.method().equals(req.method()) && r.path().matcher(req.path()).matches()) {
        synchronized (r) {
          int i = r.used()[0]++;
          return r.answers().get(Math.min(i, r.answers().size() - 1));
        }
      }
    }
    return Response.json(599, "{\"unscripted\":\"" + req.method() + " " + req.path() + "\"}");
  }

  private static Map<String, String> decodeQuery(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      // percent-decoding only: '+' stays '+' (the client must send %20 for spaces)
      q.put(
          URLDecoder.decode(k.replace("+", "%2B"), StandardCharsets.UTF_8),
          URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return q;
  }

  /** The paths of the requests so far, "METHOD rawPath". */
  List<String> log() {
    List<String> out = new ArrayList<>();
    requests.forEach(r -> out.add(r.method() + " " + r.rawPath()));
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
