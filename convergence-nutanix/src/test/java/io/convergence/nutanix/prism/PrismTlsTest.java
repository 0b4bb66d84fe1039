package io.convergence.nutanix.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.convergence.spec.SecretValue;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TLS against an HttpsServer with a self-signed certificate for 127.0.0.1, made by the JDK's
 * keytool in the test (Bouncy Castle is not on this module's classpath): verification is on by
 * default, a given CA is trusted, and insecure mode connects with a warning.
 */
class PrismTlsTest {
  private static final String STOREPASS = "changeit";
  private static final String CLUSTERS = "/api/clustermgmt/v4.0/config/clusters";

  @TempDir static Path dir;
  private static ScriptedPrism server;
  private static Path pem;
  private static KeyStore keyStore;

  @BeforeAll
  static void start() throws Exception {
    Path p12 = dir.resolve("pc.p12");
    pem = dir.resolve("pc-ca.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "pc",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2",
        "-keystore",
        p12.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STOREPASS,
        "-keypass",
        STOREPASS);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "pc",
        "-keystore",
        p12.toString(),
        "-storepass",
        STOREPASS,
        "-file",
        pem.toString());
    keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      keyStore.load(in, STOREPASS.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, STOREPASS.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = ScriptedPrism.startTls(tls);
    server.on("GET", CLUSTERS, Wire.ok(Wire.list(0)));
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("keytool %s: %s", args[0], out).isZero();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static PrismConfig.Builder config() {
    assertThat(server.endpoint().getScheme()).isEqualTo("https");
    return PrismConfig.builder(server.endpoint())
        .basicAuth("admin", SecretValue.of("pw"))
        .retries(3, Duration.ofMillis(1), Duration.ofMillis(1));
  }

  private static PrismClient client(PrismConfig config) {
    return PrismClient.create(config, new FakePacer(), () -> 1.0);
  }

  @Test
  void verificationIsOnByDefaultAndAFailedHandshakeIsNotRetried() {
    int before = server.requests().size();
    try (PrismClient pc = client(config().build())) {
      assertThatThrownBy(pc::listClusters)
          .isInstanceOfSatisfying(
              PrismTransportException.class,
              e ->
                  assertThat(e.getMessage())
                      .contains("TLS handshake with 127.0.0.1 failed")
                      .contains("trustCertificates")
                      .doesNotContain("attempts"));
    }
    assertThat(server.requests()).hasSize(before);
  }

  @Test
  void aGivenCaIsTrusted() {
    try (PrismClient pc = client(config().trustCertificates(pem).build())) {
      assertThat(pc.listClusters()).isEmpty();
    }
    assertThat(config().trustCertificates(pem).build().toString()).contains("tls=pem:pc-ca.pem");
  }

  @Test
  void aGivenTrustStoreIsTrusted() throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    Certificate cert = keyStore.getCertificate("pc");
    trust.setCertificateEntry("pc", cert);
    try (PrismClient pc = client(config().trustStore(trust).build())) {
      assertThat(pc.listClusters()).isEmpty();
    }
  }

  @Test
  void insecureModeConnectsAndWarns() {
    Logger logger = (Logger) LoggerFactory.getLogger(PrismClient.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    logger.addAppender(logs);
    try (PrismClient pc = client(config().insecureSkipTlsVerification().build())) {
      assertThat(pc.listClusters()).isEmpty();
      assertThat(pc.listClusters()).isEmpty();
    } finally {
      logger.detachAppender(logs);
    }
    assertThat(logs.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .singleElement()
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("verification is OFF"));
  }
}
