package io.convergence.nutanix.prism;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.nutanix.prism.internal.Backoff;
import io.convergence.nutanix.prism.internal.Encoding;
import io.convergence.spec.SecretValue;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Configuration checks, the backoff arithmetic and the encoders, without a server. */
class PrismConfigTest {
  private static final URI PC = URI.create("https://pc.example.com:9440");

  @Test
  void defaultsAreSafe() {
    PrismConfig c = PrismConfig.builder(PC).basicAuth("admin", SecretValue.of("x")).build();
    assertThat(c.endpoint()).isEqualTo(PC);
    assertThat(c.insecure()).isFalse();
    assertThat(c.trustStore()).isEmpty();
    assertThat(c.maxAttempts()).isEqualTo(5);
    assertThat(c.etagRetries()).isEqualTo(5);
    assertThat(c.username()).contains("admin");
    assertThat(c.apiKey()).isEmpty();
    assertThat(c.toString()).contains("tls=jdk-default");
  }

  @Test
  void aTrailingSlashIsDroppedButPathsCredentialsAndOtherSchemesAreRefused() {
    assertThat(
            PrismConfig.builder(URI.create("https://pc:9440/"))
                .apiKey(SecretValue.of("k"))
                .build()
                .endpoint())
        .isEqualTo(URI.create("https://pc:9440"));
    assertThatThrownBy(() -> PrismConfig.builder(URI.create("https://pc:9440/api/vmm")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a path");
    assertThatThrownBy(() -> PrismConfig.builder(URI.create("https://admin:pw@pc:9440")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("pw@");
    assertThatThrownBy(() -> PrismConfig.builder(URI.create("ftp://pc")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void authenticationIsRequiredAndTheLastOneSetWins() {
    assertThatThrownBy(() -> PrismConfig.builder(PC).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("basicAuth");
    PrismConfig key =
        PrismConfig.builder(PC)
            .basicAuth("admin", SecretValue.of("x"))
            .apiKey(SecretValue.of("k"))
            .build();
    assertThat(key.username()).isEmpty();
    assertThat(key.password()).isEmpty();
    assertThat(key.apiKey()).isPresent();
    assertThatThrownBy(() -> PrismConfig.builder(PC).basicAuth("a:b", SecretValue.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void boundsAreChecked() {
    PrismConfig.Builder b = PrismConfig.builder(PC);
    assertThatThrownBy(() -> b.retries(0, Duration.ofMillis(1), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.retries(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> b.taskPolling(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.etagRetries(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void insecureReplacesATrustStoreAndShowsInToString() {
    PrismConfig c =
        PrismConfig.builder(PC).apiKey(SecretValue.of("k")).insecureSkipTlsVerification().build();
    assertThat(c.insecure()).isTrue();
    assertThat(c.toString()).contains("tls=INSECURE");
  }

  @Test
  void backoffDoublesCapsAndJitters() {
    Backoff full =
        new Backoff(
            Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(60), () -> 1.0);
    assertThat(full.computed(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(full.computed(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(full.computed(3)).isEqualTo(Duration.ofMillis(2000));
    assertThat(full.computed(4)).isEqualTo(Duration.ofSeconds(3));
    assertThat(full.computed(60)).isEqualTo(Duration.ofSeconds(3));
    Backoff half =
        new Backoff(
            Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(60), () -> 0.0);
    assertThat(half.computed(2)).isEqualTo(Duration.ofMillis(500));
    Backoff mid =
        new Backoff(
            Duration.ofMillis(400), Duration.ofSeconds(3), Duration.ofSeconds(60), () -> 0.5);
    assertThat(mid.computed(1)).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void retryAfterInSecondsWinsAndIsBounded() {
    Backoff b =
        new Backoff(
            Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(60), () -> 1.0);
    assertThat(b.pause(1, "12")).isEqualTo(Duration.ofSeconds(12));
    assertThat(b.pause(1, " 0 ")).isEqualTo(Duration.ZERO);
    assertThat(b.pause(1, "999")).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.pause(2, "Wed, 21 Oct 2026 07:28:00 GMT")).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.pause(2, "-5")).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.pause(2, null)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void encodersQuoteAndPercentEncode() {
    assertThat(Encoding.odataString("it's")).isEqualTo("'it''s'");
    assertThat(Encoding.segment("ZXJnb24=:447c")).isEqualTo("ZXJnb24%3D%3A447c");
    assertThat(Encoding.percent("a b+c/é~")).isEqualTo("a%20b%2Bc%2F%C3%A9~");
    assertThatThrownBy(() -> Encoding.segment("..")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Encoding.segment("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void vmSpecsAreChecked() {
    assertThatThrownBy(() -> VmCreateSpec.builder("v", "c").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("memory");
    assertThatThrownBy(() -> VmCreateSpec.builder(" ", "c"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VmCreateSpec.builder("v", "c").cpu(0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> VmCreateSpec.builder("v", "c").blankDisk(0))
        .isInstanceOf(IllegalArgumentException.class);
    VmCreateSpec s =
        VmCreateSpec.builder("v", "c")
            .memoryMib(1)
            .cloudInit(SecretValue.of("a"))
            .sysprep(SecretValue.of("b"))
            .category("x")
            .category("x")
            .build();
    assertThat(s.guestCustomization()).contains(VmCreateSpec.GuestCustomization.SYSPREP);
    assertThat(s.categoryExtIds()).containsExactly("x");
    assertThat(s.memorySizeBytes()).isEqualTo(1L << 20);
  }
}
