package io.convergence.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TLS contexts for backends' HTTP clients ({@code java.net.http}): the JDK's CAs, the CAs of a PEM
 * file the user names (a private CA), or, only when the user asks for it, no verification at all.
 * Shared so every backend treats {@code ca-file} and {@code insecure} the same way.
 *
 * @since 0.1.0
 */
public final class TlsContexts {
  private TlsContexts() {}

  /**
   * Loads the certificates of a PEM file into an in-memory trust store.
   *
   * @param pemFile the file
   * @return the store
   * @throws IllegalArgumentException when the file cannot be read or holds no certificate
   */
  public static KeyStore keyStoreFromPem(Path pemFile) {
    try (InputStream in = Files.newInputStream(pemFile)) {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + pemFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read certificates from " + pemFile + ": " + e, e);
    }
  }

  /**
   * Builds the SSL context.
   *
   * @param trustStore the CAs to trust instead of the JDK's, or {@code null} for the JDK's
   * @param insecure whether to accept any certificate for any host name
   * @return the context
   */
  public static SSLContext sslContext(@Nullable KeyStore trustStore, boolean insecure) {
    try {
      if (insecure) {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        return ctx;
      }
      if (trustStore == null) {
        return SSLContext.getDefault();
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS: " + e, e);
    }
  }

  /**
   * Accepts every certificate. Being an {@link X509ExtendedTrustManager}, it also takes over the
   * host name check from the JDK (and skips it), which a plain {@code X509TrustManager} would not.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
