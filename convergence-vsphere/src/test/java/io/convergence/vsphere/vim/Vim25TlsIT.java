package io.convergence.vsphere.vim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.convergence.testkit.vcsim.Vcsim;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** TLS against vcsim {@code -tls} (a self-signed certificate for 127.0.0.1). */
class Vim25TlsIT {
  private static Vcsim vcsim;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    vcsim = Vcsim.startOrSkip(dir, "-tls");
    assertThat(vcsim.sdk().getScheme()).isEqualTo("https");
  }

  @AfterAll
  static void stop() throws Exception {
    if (vcsim != null) {
      vcsim.close();
    }
  }

  private static Vim25Config.Builder config() {
    return Vim25Config.builder(vcsim.sdk())
        .credentials(vcsim.user(), vcsim.password())
        .readRetries(3, Duration.ofMillis(10));
  }

  @Test
  void verificationIsOnByDefault() {
    assertThatThrownBy(() -> Vim25Client.connect(config().build()))
        .isInstanceOfSatisfying(
            VimTransportException.class,
            e -> {
              assertThat(e.getMessage()).contains("TLS handshake failed");
              assertThat(e.getMessage()).contains("trustCertificates");
              assertThat(e.getMessage()).doesNotContain("after 3 attempts");
            });
  }

  @Test
  void trustsTheServerThroughAGivenCertificate(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("vcsim.pem");
    Files.writeString(pem, pem(serverCertificate()), StandardCharsets.US_ASCII);
    try (Vim25Client vc = Vim25Client.connect(config().trustCertificates(pem).build())) {
      assertThat(vc.login().userName()).isEqualTo(vcsim.user());
      assertThat(vc.findByInventoryPath("DC0/vm")).isPresent();
    }
    assertThat(config().trustCertificates(pem).build().toString()).contains("tls=pem:vcsim.pem");
  }

  @Test
  void insecureModeWorksAndIsLoggedAsAWarning() {
    Logger logger = (Logger) LoggerFactory.getLogger(Vim25Client.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try (Vim25Client vc = Vim25Client.connect(config().insecureSkipTlsVerification().build())) {
      assertThat(vc.login().userName()).isEqualTo(vcsim.user());
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .anySatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
              assertThat(e.getFormattedMessage()).contains("verification is OFF");
            });
  }

  /** Fetches the server's certificate without verifying it (test set-up only). */
  private static X509Certificate serverCertificate() throws Exception {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    try (SSLSocket socket =
        (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", vcsim.sdk().getPort())) {
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      return (X509Certificate) chain[0];
    }
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
