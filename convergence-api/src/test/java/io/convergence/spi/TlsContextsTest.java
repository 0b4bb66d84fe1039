package io.convergence.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared TLS set-up: the errors a user sees for a bad {@code ca-file}, and the defaults. */
class TlsContextsTest {

  @Test
  void aPemFileWithoutCertificatesIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    assertThatThrownBy(() -> TlsContexts.keyStoreFromPem(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> TlsContexts.keyStoreFromPem(dir.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
  }

  @Test
  void withoutATrustStoreTheJdkDefaultIsUsedAndInsecureIsADifferentContext() throws Exception {
    assertThat(TlsContexts.sslContext(null, false)).isSameAs(SSLContext.getDefault());
    assertThat(TlsContexts.sslContext(null, true)).isNotSameAs(SSLContext.getDefault());
  }
}
