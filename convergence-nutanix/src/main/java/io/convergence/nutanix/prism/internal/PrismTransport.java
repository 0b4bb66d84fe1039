package io.convergence.nutanix.prism.internal;

import static java.util.Objects.requireNonNull;

import io.convergence.nutanix.prism.PrismCall;
import io.convergence.nutanix.prism.PrismConfig;
import io.convergence.nutanix.prism.PrismException;
import io.convergence.nutanix.prism.PrismTransportException;
import io.convergence.nutanix.prism.PrismUnauthenticatedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to Prism Central over {@link HttpClient}.
 *
 * <ul>
 *   <li>Authentication: Basic or {@code X-ntnx-api-key} while no session cookie is held; once Prism
 *       Central set {@value #SESSION_COOKIE}, only the cookie. A 401 to a cookie-only request drops
 *       the cookie and repeats the request once with the credentials; a 401 to a request with
 *       credentials is thrown.
 *   <li>Retries: on {@link IOException}s (connection reset, timeouts; TLS failures excepted) and on
 *       HTTP 408, 429, 500, 502, 503, 504, up to {@link PrismConfig#maxAttempts()} sends, with
 *       {@link Backoff} pauses or {@code Retry-After}. A mutation keeps its {@code NTNX-Request-Id}
 *       on every attempt, so Prism Central acts on it at most once.
 *   <li>Logging at DEBUG: method, path, status, time, attempt and headers with {@code
 *       Authorization}, {@code X-ntnx-api-key} and {@code Cookie} redacted. Request bodies only at
 *       TRACE, and never those marked sensitive (guest customization); response bodies never.
 * </ul>
 */
public final class PrismTransport {
  /** The session cookie's name: {@value}. */
  public static final String SESSION_COOKIE = "NTNX_IGW_SESSION";

  /** The request id header: {@value}. */
  public static final String REQUEST_ID_HEADER = "NTNX-Request-Id";

  private static final Logger log = LoggerFactory.getLogger(PrismTransport.class);

  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

  private final URI endpoint;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Pacer pacer;
  private final String userAgent;
  private final java.util.function.Consumer<String> requestListener;
  private final String authHeader;
  private final String authValue;
  private final AtomicReference<@Nullable String> cookie = new AtomicReference<>();

  /**
   * Creates the transport and reveals the configured secret once.
   *
   * @param config the configuration
   * @param http the HTTP client (with its TLS settings)
   * @param pacer the clock and sleeps
   * @param jitter a source of numbers in [0, 1) for the backoff
   */
  public PrismTransport(PrismConfig config, HttpClient http, Pacer pacer, DoubleSupplier jitter) {
    this.endpoint = config.endpoint();
    this.http = requireNonNull(http, "http");
    this.requestTimeout = config.requestTimeout();
    this.maxAttempts = config.maxAttempts();
    this.backoff =
        new Backoff(
            config.retryBackoffInitial(), config.retryBackoffMax(), config.maxRetryAfter(), jitter);
    this.pacer = requireNonNull(pacer, "pacer");
    this.userAgent = config.userAgent();
    this.requestListener = config.requestListener();
    if (config.apiKey().isPresent()) {
      this.authHeader = PrismConfig.API_KEY_HEADER;
      this.authValue = config.apiKey().get().reveal();
    } else {
      String user = config.username().orElseThrow();
      String password = config.password().orElseThrow().reveal();
      this.authHeader = "Authorization";
      this.authValue =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  /**
   * The clock and sleeps.
   *
   * @return the pacer
   */
  public Pacer pacer() {
    return pacer;
  }

  /**
   * Whether a session cookie is held.
   *
   * @return whether one is
   */
  public boolean hasSessionCookie() {
    return cookie.get() != null;
  }

  /**
   * Sends a request, retrying as described on the class.
   *
   * @param request the logical call
   * @return the 2xx answer
   * @throws PrismException the classified error answer (see {@link ErrorDecoder}), or a {@link
   *     PrismTransportException}
   */
  public PrismResponse send(PrismRequest request) {
    int attempt = 1;
    boolean reauthenticated = false;
    while (true) {
      String sentCookie = cookie.get();
      HttpRequest httpRequest = build(request, sentCookie);
      long start = System.nanoTime();
      HttpResponse<byte[]> res;
      requestListener.accept(request.method() + " " + request.path());
      try {
        res = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        if (isTlsFailure(e)) {
          throw new PrismTransportException(
              request.operation(),
              call(request),
              -1,
              "TLS handshake with " + endpoint.getHost() + " failed: " + e.getMessage(),
              "Prism Central's certificate: trust its CA (PrismConfig.trustCertificates or"
                  + " trustStore); insecureSkipTlsVerification only for throwaway lab servers",
              e);
        }
        String what =
            e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        if (attempt >= maxAttempts) {
          throw new PrismTransportException(
              request.operation(),
              call(request),
              -1,
              what + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
              "that " + endpoint.getHost() + " is reachable on port " + port(),
              e);
        }
        Duration pause = backoff.pause(attempt, null);
        log.info(
            "{} {}: {}; retrying in {} ms ({}/{})",
            request.method(),
            request.path(),
            what,
            pause.toMillis(),
            attempt + 1,
            maxAttempts);
        sleep(request, pause);
        attempt++;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new PrismTransportException(
            request.operation(), call(request), -1, "interrupted", "", e);
      }
      int status = res.statusCode();
      keepCookie(res);
      if (log.isDebugEnabled()) {
        log.debug(
            "{} {} -> HTTP {} in {} ms (attempt {}/{}{}) headers {}",
            request.method(),
            target(request),
            status,
            (System.nanoTime() - start) / 1_000_000,
            attempt,
            maxAttempts,
            request.requestId() == null ? "" : ", request id " + request.requestId(),
            Redaction.headers(httpRequest.headers().map()));
      }
      if (status == 401) {
        cookie.compareAndSet(sentCookie, null);
        if (sentCookie != null && !reauthenticated) {
          reauthenticated = true;
          log.debug(
              "{} {}: the session cookie was refused; sending the credentials once",
              request.method(),
              request.path());
          continue;
        }
        throw (PrismUnauthenticatedException)
            ErrorDecoder.decode(request, status, contentType(res), res.body(), attempt);
      }
      if (RETRYABLE.contains(status) && attempt < maxAttempts) {
        String retryAfter = res.headers().firstValue("Retry-After").orElse(null);
        Duration pause = backoff.pause(attempt, retryAfter);
        log.info(
            "{} {}: HTTP {}{}; retrying in {} ms ({}/{})",
            request.method(),
            request.path(),
            status,
            retryAfter == null ? "" : " (Retry-After " + retryAfter + ")",
            pause.toMillis(),
            attempt + 1,
            maxAttempts);
        sleep(request, pause);
        attempt++;
        continue;
      }
      if (status >= 200 && status <= 299) {
        return new PrismResponse(status, res.headers(), res.body());
      }
      if (status >= 300 && status <= 399) {
        throw new PrismTransportException(
            request.operation(),
            call(request),
            status,
            "unexpected redirect to " + res.headers().firstValue("Location").orElse("(none)"),
            "that the endpoint is Prism Central's base URI (https://pc:9440)",
            null);
      }
      throw ErrorDecoder.decode(request, status, contentType(res), res.body(), attempt);
    }
  }

  private HttpRequest build(PrismRequest request, @Nullable String sentCookie) {
    String q = Encoding.query(request.query());
    URI uri = URI.create(endpoint + request.path() + (q.isEmpty() ? "" : "?" + q));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", "application/json")
            .header("User-Agent", userAgent);
    if (sentCookie != null) {
      b.header("Cookie", SESSION_COOKIE + "=" + sentCookie);
    } else {
      b.header(authHeader, authValue);
    }
    if (request.requestId() != null) {
      b.header(REQUEST_ID_HEADER, request.requestId());
    }
    if (request.ifMatch() != null) {
      b.header("If-Match", request.ifMatch());
    }
    byte[] body = request.body();
    if (body != null) {
      b.header("Content-Type", "application/json");
      if (log.isTraceEnabled()) {
        log.trace(
            "{} {} body: {}",
            request.method(),
            request.path(),
            request.sensitiveBody()
                ? "<" + body.length + " bytes, not logged: guest customization>"
                : new String(body, StandardCharsets.UTF_8));
      }
      b.method(request.method(), HttpRequest.BodyPublishers.ofByteArray(body));
    } else {
      b.method(request.method(), HttpRequest.BodyPublishers.noBody());
    }
    return b.build();
  }

  private void keepCookie(HttpResponse<?> res) {
    for (String header : res.headers().allValues("Set-Cookie")) {
      String first = header.split(";", 2)[0].trim();
      int eq = first.indexOf('=');
      if (eq > 0 && first.substring(0, eq).trim().equals(SESSION_COOKIE)) {
        String value = first.substring(eq + 1).trim();
        cookie.set(value.isEmpty() ? null : value);
      }
    }
  }

  private static @Nullable String contentType(HttpResponse<?> res) {
    return res.headers().firstValue("Content-Type").orElse(null);
  }

  private static PrismCall call(PrismRequest request) {
    return new PrismCall(request.method(), request.path(), request.requestId());
  }

  private static String target(PrismRequest request) {
    String q = Encoding.query(request.query());
    return request.path() + (q.isEmpty() ? "" : "?" + q);
  }

  private int port() {
    return endpoint.getPort() > 0
        ? endpoint.getPort()
        : "https".equals(endpoint.getScheme()) ? 443 : 80;
  }

  private void sleep(PrismRequest request, Duration pause) {
    try {
      pacer.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrismTransportException(
          request.operation(), call(request), -1, "interrupted while backing off", "", e);
    }
  }

  private static boolean isTlsFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** Redaction of request headers for logs. */
  static final class Redaction {
    private Redaction() {}

    static Map<String, String> headers(Map<String, List<String>> headers) {
      Map<String, String> out = new LinkedHashMap<>();
      headers.forEach(
          (name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            String shown;
            if (lower.equals("authorization")) {
              String v = values.isEmpty() ? "" : values.get(0);
              int sp = v.indexOf(' ');
              shown = (sp > 0 ? v.substring(0, sp) + " " : "") + "****";
            } else if (lower.equals(PrismConfig.API_KEY_HEADER.toLowerCase(Locale.ROOT))) {
              shown = "****";
            } else if (lower.equals("cookie")) {
              shown = SESSION_COOKIE + "=****";
            } else {
              shown = String.join(", ", values);
            }
            out.put(name, shown);
          });
      return out;
    }
  }
}
