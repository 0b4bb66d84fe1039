package io.convergence.testkit.prism;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Authentication as the Prism Central gateway does it: HTTP Basic or {@code X-ntnx-api-key}, and a
 * session cookie {@value #COOKIE} issued to every request authenticated by credentials and accepted
 * instead of them until {@link #expireAll()}.
 */
final class Sessions {

  static final String COOKIE = "NTNX_IGW_SESSION";

  /** The outcome of a successful authentication. */
  record Authenticated(Optional<String> setCookie) {}

  private final Map<String, String> users;
  private final Set<String> apiKeys;
  private final boolean secureCookie;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final AtomicInteger issued = new AtomicInteger();
  private final SecureRandom random = new SecureRandom();

  Sessions(Map<String, String> users, Set<String> apiKeys, boolean secureCookie) {
    this.users = Map.copyOf(users);
    this.apiKeys = Set.copyOf(apiKeys);
    this.secureCookie = secureCookie;
  }

  /** Authenticates a request, or returns empty for a 401. */
  Optional<Authenticated> authenticate(Headers headers) {
    if (validCookie(headers)) {
      return Optional.of(new Authenticated(Optional.empty()));
    }
    if (validCredentials(headers)) {
      return Optional.of(new Authenticated(Optional.of(newSession())));
    }
    return Optional.empty();
  }

  void expireAll() {
    active.clear();
  }

  int issued() {
    return issued.get();
  }

  private boolean validCookie(Headers headers) {
    List<String> cookies = headers.get("Cookie");
    if (cookies == null) {
      return false;
    }
    for (String line : cookies) {
      for (String part : line.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=") && active.contains(p.substring(COOKIE.length() + 1))) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean validCredentials(Headers headers) {
    String key = headers.getFirst("X-ntnx-api-key");
    if (key != null) {
      for (String k : apiKeys) {
        if (constantTimeEquals(k, key)) {
          return true;
        }
      }
      return false;
    }
    String auth = headers.getFirst("Authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    String password = users.get(decoded.substring(0, colon));
    return password != null && constantTimeEquals(password, decoded.substring(colon + 1));
  }

  private String newSession() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    active.add(token);
    issued.incrementAndGet();
    return COOKIE + "=" + token + "; Path=/; HttpOnly" + (secureCookie ? "; Secure" : "");
  }

  private static boolean constantTimeEquals(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
