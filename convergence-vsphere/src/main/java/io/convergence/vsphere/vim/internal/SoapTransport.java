package io.convergence.vsphere.vim.internal;

import static java.util.Objects.requireNonNull;

import io.convergence.vsphere.vim.VimFaultException;
import io.convergence.vsphere.vim.VimTransportException;
import io.convergence.vsphere.vim.VimValue;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts SOAP envelopes to the SDK endpoint over {@link HttpClient}: sets {@code SOAPAction:
 * urn:vim25/VERSION}, keeps the {@code vmware_soap_session} cookie from any response and sends it
 * back, turns SOAP faults into {@link VimFaultException}s, and retries idempotent reads (only) a
 * bounded number of times on transport failures and on HTTP 502/503/504.
 *
 * <p>Request bodies are never logged (the Login body holds the password), nor is the cookie.
 */
public final class SoapTransport {
  /** The session cookie's name: {@value}. */
  public static final String SESSION_COOKIE = "vmware_soap_session";

  private static final Logger log = LoggerFactory.getLogger(SoapTransport.class);

  private final URI sdkUri;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int readAttempts;
  private final Duration retryBackoff;
  private final String userAgent;
  private final Consumer<String> requestListener;
  private volatile String version = "7.0";
  private volatile @Nullable String cookie;

  /**
   * Creates the transport.
   *
   * @param sdkUri the SDK endpoint
   * @param http the HTTP client (with its TLS settings)
   * @param requestTimeout the timeout of one request
   * @param readAttempts total attempts for idempotent reads
   * @param retryBackoff the pause before the first retry, doubled after each
   * @param userAgent the {@code User-Agent}
   * @param requestListener told of every HTTP request sent, retries included ({@code SOAP <method>}
   *     or {@code GET <file>})
   */
  public SoapTransport(
      URI sdkUri,
      HttpClient http,
      Duration requestTimeout,
      int readAttempts,
      Duration retryBackoff,
      String userAgent,
      Consumer<String> requestListener) {
    this.sdkUri = requireNonNull(sdkUri, "sdkUri");
    this.http = requireNonNull(http, "http");
    this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout");
    this.readAttempts = readAttempts;
    this.retryBackoff = requireNonNull(retryBackoff, "retryBackoff");
    this.userAgent = requireNonNull(userAgent, "userAgent");
    this.requestListener = requireNonNull(requestListener, "requestListener");
  }

  /**
   * Sets the version sent in {@code SOAPAction}.
   *
   * @param value e.g. {@code 8.0.3.0}
   */
  public void version(String value) {
    this.version = requireNonNull(value, "version");
  }

  /**
   * The version sent in {@code SOAPAction}.
   *
   * @return the version
   */
  public String version() {
    return version;
  }

  /**
   * Whether a session cookie is held.
   *
   * @return whether one is
   */
  public boolean hasSessionCookie() {
    return cookie != null;
  }

  /** Forgets the session cookie (after Logout). */
  public void clearSessionCookie() {
    cookie = null;
  }

  /**
   * Calls a method.
   *
   * @param method the method name, for messages and logs
   * @param methodXml the method element
   * @param idempotent whether the call only reads, so that it may be retried
   * @return the {@code *Response} element
   * @throws VimFaultException when vCenter answers with a fault
   * @throws VimTransportException when no usable answer arrives
   */
  public VimValue call(String method, String methodXml, boolean idempotent) {
    byte[] body = XmlWriter.envelope(methodXml).getBytes(StandardCharsets.UTF_8);
    HttpResponse<byte[]> res = send(method, idempotent, () -> post(body));
    int status = res.statusCode();
    if (status != 200 && status != 500) {
      throw new VimTransportException(
          method, status, "unexpected HTTP status " + status, statusHint(status), null);
    }
    SoapParser.Parsed parsed;
    try {
      parsed = SoapParser.parse(res.body());
    } catch (IllegalArgumentException e) {
      throw new VimTransportException(
          method,
          status,
          "the answer is not a SOAP envelope: " + e.getMessage(),
          "that the URL is the SDK endpoint (https://vcenter/sdk)",
          e);
    }
    if (parsed.fault() != null) {
      log.debug("vim25 {} -> fault {}", method, parsed.fault().name());
      throw new VimFaultException(method, status, parsed.fault(), null);
    }
    return requireNonNull(parsed.response());
  }

  /**
   * GETs a document beside the SDK endpoint, e.g. {@code vimServiceVersions.xml}. Idempotent, so
   * retried like reads.
   *
   * @param name the file name under the SDK path
   * @return the body, or empty on HTTP 404
   * @throws VimTransportException on other failures
   */
  public Optional<byte[]> get(String name) {
    String base = sdkUri.toString();
    URI uri = URI.create(base.endsWith("/") ? base + name : base + "/" + name);
    HttpResponse<byte[]> res =
        send(
            "GET " + name,
            true,
            () ->
                HttpRequest.newBuilder(uri)
                    .timeout(requestTimeout)
                    .header("User-Agent", userAgent)
                    .GET()
                    .build());
    if (res.statusCode() == 404) {
      return Optional.empty();
    }
    if (res.statusCode() != 200) {
      throw new VimTransportException(
          "GET " + name,
          res.statusCode(),
          "unexpected HTTP status " + res.statusCode(),
          statusHint(res.statusCode()),
          null);
    }
    return Optional.of(res.body());
  }

  private HttpRequest post(byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(sdkUri)
            .timeout(requestTimeout)
            .header("Content-Type", "text/xml; charset=utf-8")
            .header("SOAPAction", "urn:vim25/" + version)
            .header("User-Agent", userAgent)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    String c = cookie;
    if (c != null) {
      b.header("Cookie", c);
    }
    return b.build();
  }

  private interface RequestFactory {
    HttpRequest create();
  }

  private HttpResponse<byte[]> send(String what, boolean idempotent, RequestFactory request) {
    int attempts = idempotent ? readAttempts : 1;
    long pause = retryBackoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      long start = System.nanoTime();
      try {
        requestListener.accept(what.startsWith("GET ") ? what : "SOAP " + what);
        HttpResponse<byte[]> res =
            http.send(request.create(), HttpResponse.BodyHandlers.ofByteArray());
        keepCookie(res);
        log.debug(
            "vim25 {} -> HTTP {} in {} ms",
            what,
            res.statusCode(),
            (System.nanoTime() - start) / 1_000_000);
        int s = res.statusCode();
        if ((s == 502 || s == 503 || s == 504) && attempt < attempts) {
          log.info("vim25 {}: HTTP {}; retrying ({}/{})", what, s, attempt + 1, attempts);
          sleep(what, pause);
          pause *= 2;
          continue;
        }
        return res;
      } catch (IOException e) {
        if (isTlsFailure(e)) {
          throw new VimTransportException(
              what,
              -1,
              "TLS handshake failed: " + e.getMessage(),
              "the server certificate: trust its CA (trustCertificates/trustStore); "
                  + "insecureSkipTlsVerification only for throwaway test servers",
              e);
        }
        if (attempt >= attempts) {
          throw new VimTransportException(
              what,
              -1,
              e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage())
                  + (attempts > 1 ? " (after " + attempts + " attempts)" : ""),
              idempotent
                  ? "that " + sdkUri.getHost() + " is reachable"
                  : "whether the call took effect: it changes state, so it was not retried",
              e);
        }
        log.info(
            "vim25 {}: {}; retrying ({}/{})",
            what,
            e.getClass().getSimpleName(),
            attempt + 1,
            attempts);
        sleep(what, pause);
        pause *= 2;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VimTransportException(what, -1, "interrupted", "", e);
      }
    }
  }

  private static boolean isTlsFailure(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLHandshakeException || t instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(String what, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VimTransportException(what, -1, "interrupted while waiting to retry", "", e);
    }
  }

  private void keepCookie(HttpResponse<?> res) {
    for (String header : res.headers().allValues("Set-Cookie")) {
      String pair = header.split(";", 2)[0].trim();
      int eq = pair.indexOf('=');
      if (eq > 0 && SESSION_COOKIE.equals(pair.substring(0, eq).trim())) {
        cookie = pair;
      }
    }
  }

  private static String statusHint(int status) {
    return switch (status) {
      case 401, 403 -> "credentials and network policy between this host and vCenter";
      case 404 -> "the SDK path (usually /sdk)";
      case 502, 503, 504 -> "vCenter's health: its services may be restarting";
      default -> "";
    };
  }
}
