package io.convergence.nutanix.prism;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.SecretValue;
import io.convergence.spi.TlsContexts;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How to reach and authenticate to Prism Central. Immutable; {@link #toString()} never shows the
 * password or the API key.
 *
 * <p>Authentication is either HTTP Basic ({@link Builder#basicAuth(String, SecretValue)}) or a
 * service-account API key sent as {@code X-ntnx-api-key} ({@link Builder#apiKey(SecretValue)});
 * exactly one of them must be set. Secrets are revealed once, when the client is created.
 *
 * <p>TLS verification is on by default, against the JDK's trusted CAs. Trust a private CA with
 * {@link Builder#trustCertificates(Path)} or {@link Builder#trustStore(KeyStore)}; switch
 * verification off only with {@link Builder#insecureSkipTlsVerification()}, which the client logs
 * as a warning when it is created.
 *
 * @since 0.1.0
 */
public final class PrismConfig {
  /** The HTTPS port Prism Central listens on: {@value}. */
  public static final int DEFAULT_PORT = 9440;

  /** The header carrying an API key: {@value}. */
  public static final String API_KEY_HEADER = "X-ntnx-api-key";

  private final URI endpoint;
  private final @Nullable String username;
  private final @Nullable SecretValue password;
  private final @Nullable SecretValue apiKey;
  private final @Nullable KeyStore trustStore;
  private final @Nullable String trustSource;
  private final boolean insecure;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration retryBackoffInitial;
  private final Duration retryBackoffMax;
  private final Duration maxRetryAfter;
  private final Duration taskTimeout;
  private final Duration taskPollInitial;
  private final Duration taskPollMax;
  private final int etagRetries;
  private final String userAgent;
  private final Consumer<String> requestListener;

  private PrismConfig(Builder b) {
    this.endpoint = b.endpoint;
    this.username = b.username;
    this.password = b.password;
    this.apiKey = b.apiKey;
    this.trustStore = b.trustStore;
    this.trustSource = b.trustSource;
    this.insecure = b.insecure;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.retryBackoffInitial = b.retryBackoffInitial;
    this.retryBackoffMax = b.retryBackoffMax;
    this.maxRetryAfter = b.maxRetryAfter;
    this.taskTimeout = b.taskTimeout;
    this.taskPollInitial = b.taskPollInitial;
    this.taskPollMax = b.taskPollMax;
    this.etagRetries = b.etagRetries;
    this.userAgent = b.userAgent;
    this.requestListener = b.requestListener;
  }

  /**
   * Told of every HTTP request the client sends, retries and re-logins included, as {@code <method>
   * <path>} (no query, no headers, no body).
   *
   * @return the listener
   */
  public Consumer<String> requestListener() {
    return requestListener;
  }

  /**
   * Starts a configuration.
   *
   * @param endpoint Prism Central's base URI, e.g. {@code https://pc.example.com:9440} (no path, no
   *     credentials)
   * @return a builder
   */
  public static Builder builder(URI endpoint) {
    return new Builder(endpoint);
  }

  /**
   * Prism Central's base URI.
   *
   * @return the URI, e.g. {@code https://pc.example.com:9440}
   */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * The Basic-auth user.
   *
   * @return the user, when Basic authentication is configured
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * The Basic-auth password.
   *
   * @return the password, when Basic authentication is configured
   */
  public Optional<SecretValue> password() {
    return Optional.ofNullable(password);
  }

  /**
   * The API key sent as {@value #API_KEY_HEADER}.
   *
   * @return the key, when API-key authentication is configured
   */
  public Optional<SecretValue> apiKey() {
    return Optional.ofNullable(apiKey);
  }

  /**
   * The trust store replacing the JDK's CAs.
   *
   * @return the store, if one is set
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  /**
   * Whether TLS certificate and host name verification is switched off.
   *
   * @return whether it is
   */
  public boolean insecure() {
    return insecure;
  }

  /**
   * The TCP/TLS connect timeout.
   *
   * @return the timeout
   */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /**
   * The timeout of one HTTP request.
   *
   * @return the timeout
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * How often one logical call is sent when the transport fails or Prism Central answers 408, 429,
   * 500, 502, 503 or 504 (1 = no retry).
   *
   * @return the attempts
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The pause before the first retry; doubled for each further one (with jitter), up to {@link
   * #retryBackoffMax()}.
   *
   * @return the pause
   */
  public Duration retryBackoffInitial() {
    return retryBackoffInitial;
  }

  /**
   * The longest pause between two retries computed by the backoff.
   *
   * @return the pause
   */
  public Duration retryBackoffMax() {
    return retryBackoffMax;
  }

  /**
   * The longest {@code Retry-After} the client honours; longer values are cut to this.
   *
   * @return the bound
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * How long {@link PrismTask#await()} and {@link PrismClient#awaitTask(String)} wait.
   *
   * @return the timeout
   */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /**
   * The first pause between two reads of a task.
   *
   * @return the pause
   */
  public Duration taskPollInitial() {
    return taskPollInitial;
  }

  /**
   * The longest pause between two reads of a task (the pause doubles per read up to this).
   *
   * @return the pause
   */
  public Duration taskPollMax() {
    return taskPollMax;
  }

  /**
   * How often a mutation guarded by {@code If-Match} is re-read and sent again after an ETag
   * mismatch (HTTP 412 {@code VM_ETAG_MISMATCH}, or a task failing with it) before giving up.
   *
   * @return the number of retries (0 = none)
   */
  public int etagRetries() {
    return etagRetries;
  }

  /**
   * The {@code User-Agent} header.
   *
   * @return the value
   */
  public String userAgent() {
    return userAgent;
  }

  /** {@return the settings, with secrets shown only as set or not} */
  @Override
  public String toString() {
    return "PrismConfig{endpoint="
        + endpoint
        + ", auth="
        + (apiKey != null ? "api-key(***)" : "basic(" + username + ", ***)")
        + ", tls="
        + (insecure ? "INSECURE" : trustSource == null ? "jdk-default" : trustSource)
        + ", maxAttempts="
        + maxAttempts
        + ", retryBackoff="
        + retryBackoffInitial
        + ".."
        + retryBackoffMax
        + ", taskTimeout="
        + taskTimeout
        + ", etagRetries="
        + etagRetries
        + "}";
  }

  /** Builds a {@link PrismConfig}. */
  public static final class Builder {
    private final URI endpoint;
    private @Nullable String username;
    private @Nullable SecretValue password;
    private @Nullable SecretValue apiKey;
    private @Nullable KeyStore trustStore;
    private @Nullable String trustSource;
    private boolean insecure;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofMinutes(1);
    private int maxAttempts = 5;
    private Duration retryBackoffInitial = Duration.ofMillis(500);
    private Duration retryBackoffMax = Duration.ofSeconds(30);
    private Duration maxRetryAfter = Duration.ofMinutes(2);
    private Duration taskTimeout = Duration.ofMinutes(30);
    private Duration taskPollInitial = Duration.ofMillis(500);
    private Duration taskPollMax = Duration.ofSeconds(10);
    private int etagRetries = 5;
    private String userAgent = "convergence-prism/0.1";
    private Consumer<String> requestListener = request -> {};

    private Builder(URI endpoint) {
      requireNonNull(endpoint, "endpoint");
      String scheme = endpoint.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("the Prism Central URI must be http(s): " + endpoint);
      }
      if (endpoint.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "put credentials in basicAuth()/apiKey(), not in the Prism Central URI (it gets"
                + " logged)");
      }
      if (endpoint.getHost() == null) {
        throw new IllegalArgumentException("the Prism Central URI has no host: " + endpoint);
      }
      String path = endpoint.getRawPath();
      if (path != null && !path.isEmpty() && !path.equals("/")) {
        throw new IllegalArgumentException(
            "give Prism Central's base URI without a path (e.g. https://pc:9440): " + endpoint);
      }
      if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
        throw new IllegalArgumentException(
            "the Prism Central URI must not have a query or fragment: " + endpoint);
      }
      this.endpoint =
          URI.create(scheme.toLowerCase(java.util.Locale.ROOT) + "://" + authority(endpoint));
    }

    private static String authority(URI uri) {
      return uri.getRawAuthority();
    }

    /**
     * Authenticates with HTTP Basic. Replaces an API key set before.
     *
     * @param user the user, e.g. {@code admin} or {@code lab@corp.example}
     * @param secret the password
     * @return this builder
     */
    public Builder basicAuth(String user, SecretValue secret) {
      requireNonNull(user, "user");
      if (user.isEmpty() || user.indexOf(':') >= 0) {
        throw new IllegalArgumentException("the user must be non-empty and free of ':'");
      }
      this.username = user;
      this.password = requireNonNull(secret, "password");
      this.apiKey = null;
      return this;
    }

    /**
     * Authenticates with a service account's API key, sent as {@value #API_KEY_HEADER}. Replaces
     * Basic credentials set before.
     *
     * @param key the key
     * @return this builder
     */
    public Builder apiKey(SecretValue key) {
      this.apiKey = requireNonNull(key, "apiKey");
      this.username = null;
      this.password = null;
      return this;
    }

    /**
     * Trusts exactly the CAs in this key store (instead of the JDK's). Host names are still
     * verified.
     *
     * @param store a key store of trusted certificates
     * @return this builder
     */
    public Builder trustStore(KeyStore store) {
      this.trustStore = requireNonNull(store, "trustStore");
      this.trustSource = "truststore";
      this.insecure = false;
      return this;
    }

    /**
     * Trusts exactly the certificates in a PEM file (instead of the JDK's CAs), e.g. the CA that
     * signed Prism Central's certificate. Host names are still verified.
     *
     * @param pemFile a file with one or more {@code BEGIN CERTIFICATE} blocks
     * @return this builder
     * @throws IllegalArgumentException when the file cannot be read or holds no certificate
     */
    public Builder trustCertificates(Path pemFile) {
      requireNonNull(pemFile, "pemFile");
      this.trustStore = TlsContexts.keyStoreFromPem(pemFile);
      this.trustSource = "pem:" + pemFile.getFileName();
      this.insecure = false;
      return this;
    }

    /**
     * Switches TLS certificate and host name verification off. Only for throwaway lab servers:
     * anyone on the path can read the credentials. Logged as a warning when the client is created.
     *
     * @return this builder
     */
    public Builder insecureSkipTlsVerification() {
      this.insecure = true;
      this.trustStore = null;
      this.trustSource = null;
      return this;
    }

    /**
     * Sets the connect timeout (default 15 s).
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive(value, "connectTimeout");
      return this;
    }

    /**
     * Sets the timeout of one HTTP request (default 1 min).
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /**
     * Sets how calls are retried on transport failures and on HTTP 408, 429, 500, 502, 503 and 504
     * (defaults: 5 attempts, 500 ms first pause, at most 30 s). The pause doubles per retry and is
     * jittered (between half and all of it); a {@code Retry-After} header replaces it.
     *
     * @param attempts total attempts of one call, 1 to 20
     * @param initialPause the pause before the first retry
     * @param maxPause the longest pause
     * @return this builder
     */
    public Builder retries(int attempts, Duration initialPause, Duration maxPause) {
      if (attempts < 1 || attempts > 20) {
        throw new IllegalArgumentException("attempts must be 1 to 20: " + attempts);
      }
      this.maxAttempts = attempts;
      this.retryBackoffInitial = positive(initialPause, "initialPause");
      this.retryBackoffMax = positive(maxPause, "maxPause");
      if (maxPause.compareTo(initialPause) < 0) {
        throw new IllegalArgumentException("maxPause is shorter than initialPause");
      }
      return this;
    }

    /**
     * Sets the longest {@code Retry-After} honoured (default 2 min); longer values are cut.
     *
     * @param value the bound
     * @return this builder
     */
    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = positive(value, "maxRetryAfter");
      return this;
    }

    /**
     * Sets how tasks are awaited (defaults: 30 min, first pause 500 ms, at most 10 s).
     *
     * @param timeout how long to wait for a task
     * @param initialPause the first pause between reads of the task
     * @param maxPause the longest pause
     * @return this builder
     */
    public Builder taskPolling(Duration timeout, Duration initialPause, Duration maxPause) {
      this.taskTimeout = positive(timeout, "timeout");
      this.taskPollInitial = positive(initialPause, "initialPause");
      this.taskPollMax = positive(maxPause, "maxPause");
      if (maxPause.compareTo(initialPause) < 0) {
        throw new IllegalArgumentException("maxPause is shorter than initialPause");
      }
      return this;
    }

    /**
     * Sets how often an {@code If-Match} mutation is re-read and retried after an ETag mismatch
     * (default 5).
     *
     * @param retries 0 to 50
     * @return this builder
     */
    public Builder etagRetries(int retries) {
      if (retries < 0 || retries > 50) {
        throw new IllegalArgumentException("etagRetries must be 0 to 50: " + retries);
      }
      this.etagRetries = retries;
      return this;
    }

    /**
     * Sets the {@code User-Agent} header.
     *
     * @param value the value
     * @return this builder
     */
    public Builder userAgent(String value) {
      requireNonNull(value, "userAgent");
      if (value.isBlank()) {
        throw new IllegalArgumentException("userAgent is blank");
      }
      this.userAgent = value;
      return this;
    }

    /**
     * Sets a listener told of every HTTP request sent, retries and re-logins included, as {@code
     * <method> <path>}; for request counting in tests and metrics. It runs on the calling thread
     * and must not block.
     *
     * @param value the listener
     * @return this builder
     */
    public Builder requestListener(Consumer<String> value) {
      this.requestListener = requireNonNull(value, "requestListener");
      return this;
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }

    /**
     * Builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException when no authentication is set
     */
    public PrismConfig build() {
      if (apiKey == null && password == null) {
        throw new IllegalStateException(
            "no authentication configured: call basicAuth(user, password) or apiKey(key)");
      }
      return new PrismConfig(this);
    }
  }
}
