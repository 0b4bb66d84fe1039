package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import io.convergence.spi.TlsContexts;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * How to reach and log in to vCenter. Immutable; {@link #toString()} never shows the password.
 *
 * <p>TLS verification is on by default, against the JDK's trusted CAs. Trust a private CA with
 * {@link Builder#trustCertificates(Path)} or {@link Builder#trustStore(KeyStore)}; switch
 * verification off only with {@link Builder#insecureSkipTlsVerification()}, which is logged as a
 * warning on every connect.
 *
 * @since 0.1.0
 */
public final class Vim25Config {
  /** The newest vim25 version this client was written against: {@value}. */
  public static final String MAX_API_VERSION = "8.0.3.0";

  private final URI sdkUri;
  private final @Nullable String username;
  private final char @Nullable [] password;
  private final @Nullable KeyStore trustStore;
  private final @Nullable String trustSource;
  private final boolean insecure;
  private final @Nullable String apiVersion;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final int readAttempts;
  private final Duration retryBackoff;
  private final Duration taskTimeout;
  private final Duration taskPollInitial;
  private final Duration taskPollMax;
  private final String userAgent;
  private final Consumer<String> requestListener;

  private Vim25Config(Builder b) {
    this.sdkUri = b.sdkUri;
    this.username = b.username;
    this.password = b.password == null ? null : b.password.clone();
    this.trustStore = b.trustStore;
    this.trustSource = b.trustSource;
    this.insecure = b.insecure;
    this.apiVersion = b.apiVersion;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.readAttempts = b.readAttempts;
    this.retryBackoff = b.retryBackoff;
    this.taskTimeout = b.taskTimeout;
    this.taskPollInitial = b.taskPollInitial;
    this.taskPollMax = b.taskPollMax;
    this.userAgent = b.userAgent;
    this.requestListener = b.requestListener;
  }

  /**
   * Starts a configuration.
   *
   * @param sdkUri the SDK endpoint, e.g. {@code https://vc.example.com/sdk}
   * @return a builder
   */
  public static Builder builder(URI sdkUri) {
    return new Builder(sdkUri);
  }

  /**
   * The SDK endpoint.
   *
   * @return the URI
   */
  public URI sdkUri() {
    return sdkUri;
  }

  /**
   * The user to log in as.
   *
   * @return the user, if credentials are set
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Whether credentials are set.
   *
   * @return whether {@link Vim25Client#login()} can be called
   */
  public boolean hasCredentials() {
    return username != null && password != null;
  }

  /** A copy of the password, for the client only; the caller clears it after use. */
  char @Nullable [] passwordCopy() {
    return password == null ? null : password.clone();
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
   * Whether TLS verification is switched off.
   *
   * @return whether it is
   */
  public boolean insecure() {
    return insecure;
  }

  /**
   * The vim25 version sent in {@code SOAPAction}, when fixed by the caller.
   *
   * @return the version, or empty to negotiate it from {@code /sdk/vimServiceVersions.xml}
   */
  public Optional<String> apiVersion() {
    return Optional.ofNullable(apiVersion);
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
   * The timeout of one SOAP request.
   *
   * @return the timeout
   */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /**
   * How often an idempotent read is tried when the transport fails (1 = no retry).
   *
   * @return the attempts
   */
  public int readAttempts() {
    return readAttempts;
  }

  /**
   * The pause before the first retry of a read; doubled for each further retry.
   *
   * @return the pause
   */
  public Duration retryBackoff() {
    return retryBackoff;
  }

  /**
   * How long {@link VimTask#await()} waits.
   *
   * @return the timeout
   */
  public Duration taskTimeout() {
    return taskTimeout;
  }

  /**
   * The first pause between two reads of a task's state.
   *
   * @return the pause
   */
  public Duration taskPollInitial() {
    return taskPollInitial;
  }

  /**
   * The longest pause between two reads of a task's state (the pause grows 1.5 times per read).
   *
   * @return the pause
   */
  public Duration taskPollMax() {
    return taskPollMax;
  }

  /**
   * The {@code User-Agent} header.
   *
   * @return the header value
   */
  public String userAgent() {
    return userAgent;
  }

  /**
   * What is told of every HTTP request the client sends.
   *
   * @return the listener (by default one that does nothing)
   */
  public Consumer<String> requestListener() {
    return requestListener;
  }

  /** {@return the settings, with the password shown only as set or not} */
  @Override
  public String toString() {
    return "Vim25Config{sdkUri="
        + sdkUri
        + ", username="
        + username
        + ", password="
        + (password == null ? "unset" : "***")
        + ", tls="
        + (insecure ? "INSECURE" : trustSource == null ? "jdk-default" : trustSource)
        + ", apiVersion="
        + (apiVersion == null ? "negotiated" : apiVersion)
        + ", readAttempts="
        + readAttempts
        + ", taskTimeout="
        + taskTimeout
        + "}";
  }

  /** Builds a {@link Vim25Config}. */
  public static final class Builder {
    private final URI sdkUri;
    private @Nullable String username;
    private char @Nullable [] password;
    private @Nullable KeyStore trustStore;
    private @Nullable String trustSource;
    private boolean insecure;
    private @Nullable String apiVersion;
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofMinutes(2);
    private int readAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration taskTimeout = Duration.ofMinutes(30);
    private Duration taskPollInitial = Duration.ofMillis(200);
    private Duration taskPollMax = Duration.ofSeconds(5);
    private String userAgent = "convergence-vim25/0.1";
    private Consumer<String> requestListener = request -> {};

    private Builder(URI sdkUri) {
      requireNonNull(sdkUri, "sdkUri");
      String scheme = sdkUri.getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("the SDK URI must be http(s): " + sdkUri);
      }
      if (sdkUri.getRawUserInfo() != null) {
        throw new IllegalArgumentException(
            "put credentials in credentials(), not in the SDK URI (it gets logged)");
      }
      this.sdkUri = sdkUri;
    }

    /**
     * Sets the credentials for {@link Vim25Client#login()}. The password array is copied; clear
     * yours afterwards if you like.
     *
     * @param user the user, e.g. {@code lab@vsphere.local}
     * @param secret the password
     * @return this builder
     */
    public Builder credentials(String user, char[] secret) {
      this.username = requireNonNull(user, "user");
      this.password = requireNonNull(secret, "password").clone();
      return this;
    }

    /**
     * Sets the credentials for {@link Vim25Client#login()}.
     *
     * @param user the user
     * @param secret the password
     * @return this builder
     */
    public Builder credentials(String user, String secret) {
      return credentials(user, requireNonNull(secret, "password").toCharArray());
    }

    /**
     * Trusts exactly the CAs in this key store (instead of the JDK's).
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
     * Trusts exactly the certificates in a PEM file (instead of the JDK's CAs), e.g. vCenter's VMCA
     * root from {@code https://vc/certs/download.zip}. Host names are still verified.
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
     * Switches TLS certificate and host name verification off. Only for throwaway test servers:
     * anyone on the path can read the password. Logged as a warning on every connect.
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
     * Fixes the vim25 version sent in {@code SOAPAction} ({@code urn:vim25/VERSION}) instead of
     * negotiating it.
     *
     * @param version e.g. {@code 8.0.3.0}
     * @return this builder
     */
    public Builder apiVersion(String version) {
      requireNonNull(version, "version");
      if (!version.matches("\\d+(\\.\\d+)*")) {
        throw new IllegalArgumentException("not a vim25 version: " + version);
      }
      this.apiVersion = version;
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
     * Sets the timeout of one SOAP request (default 2 min).
     *
     * @param value the timeout
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      this.requestTimeout = positive(value, "requestTimeout");
      return this;
    }

    /**
     * Sets how idempotent reads are retried on transport failures (default 3 attempts, 500 ms first
     * pause, doubled each time).
     *
     * @param attempts total attempts, 1 to 10
     * @param firstPause the pause before the first retry
     * @return this builder
     */
    public Builder readRetries(int attempts, Duration firstPause) {
      if (attempts < 1 || attempts > 10) {
        throw new IllegalArgumentException("attempts must be 1 to 10: " + attempts);
      }
      this.readAttempts = attempts;
      this.retryBackoff = requireNonNull(firstPause, "firstPause");
      return this;
    }

    /**
     * Sets how tasks are awaited (defaults: 30 min, first pause 200 ms, at most 5 s).
     *
     * @param timeout how long {@link VimTask#await()} waits
     * @param firstPause the first pause between reads of the task's state
     * @param maxPause the longest pause
     * @return this builder
     */
    public Builder taskPolling(Duration timeout, Duration firstPause, Duration maxPause) {
      this.taskTimeout = positive(timeout, "timeout");
      this.taskPollInitial = positive(firstPause, "firstPause");
      this.taskPollMax = positive(maxPause, "maxPause");
      if (maxPause.compareTo(firstPause) < 0) {
        throw new IllegalArgumentException("maxPause is shorter than firstPause");
      }
      return this;
    }

    /**
     * Sets the {@code User-Agent} header.
     *
     * @param value the value
     * @return this builder
     */
    public Builder userAgent(String value) {
      this.userAgent = requireNonNull(value, "userAgent");
      return this;
    }

    /**
     * Tells a listener of every HTTP request sent, retries included, as {@code SOAP <method>} (e.g.
     * {@code SOAP CloneVM_Task}) or {@code GET <file>}; for request counts in tests and benchmarks.
     * Called on the sending thread; keep it cheap.
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
     */
    public Vim25Config build() {
      return new Vim25Config(this);
    }
  }
}
