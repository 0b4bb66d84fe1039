package io.convergence.vsphere.vim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Vim25ConfigTest {
  private static final URI SDK = URI.create("https://vc.example.com/sdk");

  @Test
  void credentialsStayOutOfUrisAndToString() {
    assertThatThrownBy(() -> Vim25Config.builder(URI.create("https://admin:secret@vc/sdk")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> Vim25Config.builder(URI.create("ftp://vc/sdk")))
        .isInstanceOf(IllegalArgumentException.class);
    Vim25Config c = Vim25Config.builder(SDK).credentials("lab@vsphere.local", "hunter2").build();
    assertThat(c.toString())
        .contains("lab@vsphere.local", "password=***", "tls=jdk-default", "apiVersion=negotiated")
        .doesNotContain("hunter2");
    assertThat(Vim25Config.builder(SDK).build().toString()).contains("password=unset");
  }

  @Test
  void thePasswordArrayIsCopied() {
    char[] secret = "hunter2".toCharArray();
    Vim25Config c = Vim25Config.builder(SDK).credentials("u", secret).build();
    Arrays.fill(secret, 'x');
    assertThat(c.passwordCopy()).containsExactly("hunter2".toCharArray());
    char[] copy = c.passwordCopy();
    Arrays.fill(copy, '\0');
    assertThat(c.passwordCopy()).containsExactly("hunter2".toCharArray());
  }

  @Test
  void trustsCertificatesFromAPemFile(@TempDir Path dir) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init((KeyStore) null);
    X509Certificate[] jdkCas = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers();
    StringBuilder pem = new StringBuilder("some text before\n");
    for (int i = 0; i < 2; i++) {
      pem.append("-----BEGIN CERTIFICATE-----\n")
          .append(
              Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                  .encodeToString(jdkCas[i].getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    Path file = dir.resolve("ca.pem");
    Files.writeString(file, pem);
    Vim25Config c = Vim25Config.builder(SDK).trustCertificates(file).build();
    assertThat(c.trustStore()).hasValueSatisfying(ks -> assertThat(sizeOf(ks)).isEqualTo(2));
    assertThat(c.insecure()).isFalse();
    assertThat(c.toString()).contains("tls=pem:ca.pem");

    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "no certificates here\n");
    assertThatThrownBy(() -> Vim25Config.builder(SDK).trustCertificates(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty.pem");
  }

  private static int sizeOf(KeyStore ks) {
    try {
      return ks.size();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void insecureIsExplicitAndVisible() {
    Vim25Config c = Vim25Config.builder(SDK).insecureSkipTlsVerification().build();
    assertThat(c.insecure()).isTrue();
    assertThat(c.toString()).contains("tls=INSECURE");
    assertThat(Vim25Config.builder(SDK).build().insecure()).isFalse();
  }

  @Test
  void specsDoNotPrintUserDataValues() {
    ConfigSpec spec =
        ConfigSpec.builder()
            .cloudInit("#cloud-config\npassword: hunter2\n", null)
            .numCpus(2)
            .build();
    CloneSpec clone =
        CloneSpec.builder("vm", ManagedObjectReference.of("Folder", "f")).config(spec).build();
    assertThat(spec.extraConfig())
        .containsOnlyKeys("guestinfo.userdata", "guestinfo.userdata.encoding");
    assertThat(spec.toString() + clone)
        .contains("guestinfo.userdata")
        .doesNotContain("hunter2")
        .doesNotContain(spec.extraConfig().get("guestinfo.userdata"));
  }

  @Test
  void validatesSizesAndNames() {
    assertThatThrownBy(() -> ConfigSpec.builder().numCpus(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigSpec.builder().memoryMb(1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CloneSpec.builder("", ManagedObjectReference.of("Folder", "f")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Vim25Config.builder(SDK).apiVersion("latest"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
