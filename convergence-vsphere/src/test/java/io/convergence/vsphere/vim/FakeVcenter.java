package io.convergence.vsphere.vim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted HTTP endpoint on loopback for client tests: records every request and answers with
 * what the test's handler returns. {@code GET /sdk/vimServiceVersions.xml} answers with vcsim's
 * (fetched) document unless the handler overrides it.
 */
public final class FakeVcenter implements AutoCloseable {
  private static final Pattern METHOD = Pattern.compile("<soapenv:Body><([A-Za-z_]+)");

  /**
   * Answers SOAP requests by method: each method has a queue of answers, used in order; the last
   * one repeats. Unknown methods get HTTP 400.
   */
  public static final class Script implements Handler {
    private final Map<String, List<Response>> answers =
        new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> used = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Adds answers for a method.
     *
     * @param method the vim25 method
     * @param responses its answers, in order
     * @return this script
     */
    public Script on(String method, Response... responses) {
      answers.computeIfAbsent(method, m -> new CopyOnWriteArrayList<>()).addAll(List.of(responses));
      return this;
    }

    @Override
    public Response handle(Request request, int index) {
      List<Response> list = answers.get(request.soapMethod());
      if (list == null || list.isEmpty()) {
        return new Response(400, ("unscripted " + request.soapMethod()).getBytes(), Map.of());
      }
      int i = used.merge(request.soapMethod(), 1, Integer::sum) - 1;
      return list.get(Math.min(i, list.size() - 1));
    }
  }

  /**
   * A recorded vcsim answer, with its status.
   *
   * @param number the recorded step
   * @return the answer
   */
  public static Response recorded(int number) {
    Fixtures.Exchange ex = Fixtures.recorded(number);
    return Response.soap(ex.status(), ex.response());
  }

  /**
   * A fixture answer.
   *
   * @param status the HTTP status
   * @param path under {@code vim25/}
   * @return the answer
   */
  public static Response fixture(int status, String path) {
    return Response.soap(status, Fixtures.bytes(path));
  }

  /** A request the fake received. */
  public record Request(
      String httpMethod, String path, Map<String, String> headers, String body, long nanos) {
    /** {@return the vim25 method of a SOAP request, e.g. {@code Login}} */
    public String soapMethod() {
      Matcher m = METHOD.matcher(body);
      return m.find() ? m.group(1) : "";
    }

    /** {@return a header (case-insensitive name), or null} */
    public String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }
  }

  /** An answer. */
  public record Response(int status, byte[] body, Map<String, String> headers) {
    /**
     * A SOAP answer.
     *
     * @param status the HTTP status
     * @param body the envelope
     * @return the answer
     */
    public static Response soap(int status, byte[] body) {
      return new Response(status, body, Map.of("Content-Type", "text/xml; charset=utf-8"));
    }

    /**
     * A SOAP answer that also sets the session cookie.
     *
     * @param body the envelope
     * @param cookieValue the cookie's value
     * @return the answer
     */
    public static Response soapWithCookie(byte[] body, String cookieValue) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "text/xml; charset=utf-8");
      h.put("Set-Cookie", "vmware_soap_session=" + cookieValue + "; Path=/; HttpOnly; Secure;");
      return new Response(200, body, h);
    }
  }

  /** Answers one request. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Answers.
     *
     * @param request the request
     * @param index its position among SOAP requests (0-based)
     * @return the answer
     */
    Response handle(Request request, int index);
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Handler handler;
  private volatile int soapIndex;

  private FakeVcenter(Handler handler) throws IOException {
    // without TCP_NODELAY every small answer waits for the client's delayed ACK (about 40 ms)
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.handler = handler;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /**
   * Starts a fake.
   *
   * @param handler answers SOAP requests
   * @return the fake
   * @throws IOException when no port is free
   */
  public static FakeVcenter start(Handler handler) throws IOException {
    return new FakeVcenter(handler);
  }

  /**
   * Replaces the handler.
   *
   * @param h the new handler
   */
  public void handler(Handler h) {
    this.handler = h;
  }

  /** {@return the SDK URI} */
  public URI sdk() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/sdk");
  }

  /** {@return every request so far, GETs included} */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** {@return the SOAP requests so far} */
  public List<Request> soapRequests() {
    return requests.stream().filter(r -> r.httpMethod().equals("POST")).toList();
  }

  private void serve(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> headers = new LinkedHashMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(", ", v)));
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request req =
          new Request(
              ex.getRequestMethod(),
              ex.getRequestURI().getPath(),
              headers,
              body,
              System.nanoTime());
      requests.add(req);
      Response res;
      if (req.httpMethod().equals("GET") && req.path().endsWith("/vimServiceVersions.xml")) {
        res = new Response(200, Fixtures.bytes("fetched/vimServiceVersions.xml"), Map.of());
      } else {
        res = handler.handle(req, soapIndex++);
      }
      res.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
      ex.sendResponseHeaders(res.status(), res.body().length == 0 ? -1 : res.body().length);
      if (res.body().length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(res.body());
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
