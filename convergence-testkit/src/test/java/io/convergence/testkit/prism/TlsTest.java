package io.convergence.testkit.prism;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.testkit.prism.PrismTestClient.Res;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS with a certificate for 127.0.0.1 made by the JDK's keytool. */
class TlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @Test
  void servesHttpsWithTheGivenContext(@TempDir Path dir) throws Exception {
    KeyStore keyStore = selfSigned(dir);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, PASSWORD);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keyStore);
    SSLContext trusting = SSLContext.getInstance("TLS");
    trusting.init(null, tmf.getTrustManagers(), null);

    try (FakePrismCentral pc = FakePrismCentral.builder().tls(server).start().seedDefaults()) {
      assertThat(pc.isTls()).isTrue();
      assertThat(pc.baseUri().getScheme()).isEqualTo("https");
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(trusting).build();
      PrismTestClient client = new PrismTestClient(pc, http);
      Res r = client.get(FakePrismCentral.CLUSTERS_PATH);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Set-Cookie").orElseThrow()).contains("; Secure");
      String vm = client.createVm("tls-vm");
      assertThat(client.getVm(vm).status()).isEqualTo(200);
      String task = pc.tasks().get(0).extId();
      assertThat(pc.tasks().get(0).json().toString()).contains(task);
    }
  }

  private static KeyStore selfSigned(Path dir) throws Exception {
    Path file = dir.resolve("fake-pc.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                List.of(
                    keytool.toString(),
                    "-genkeypair",
                    "-alias",
                    "fake-pc",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-dname",
                    "CN=127.0.0.1",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-validity",
                    "2",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    file.toString(),
                    "-storepass",
                    new String(PASSWORD),
                    "-keypass",
                    new String(PASSWORD)))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }
}
