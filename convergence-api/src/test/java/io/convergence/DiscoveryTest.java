package io.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.convergence.config.ConvergenceConfig;
import io.convergence.internal.runtime.BackendProviders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Backends are found with ServiceLoader; see the test providers in META-INF/services. */
class DiscoveryTest {

  @Test
  @DisplayName("providers are found on the classpath, highest priority first")
  void found() {
    assertThat(Convergence.backendIds()).containsExactly("test-high", "test-down", "test-low");
  }

  @Test
  @DisplayName("an unknown id lists the backends that are there")
  void unknown() {
    BackendNotFoundException e =
        catchThrowableOfType(
            BackendNotFoundException.class,
            () -> Convergence.builder().backend("kubevirt").build());

    assertThat(e.found()).containsExactly("test-high", "test-down", "test-low");
    assertThat(e.getMessage()).contains("convergence-kubevirt");
  }

  @Test
  @DisplayName(
      "autodetection takes the available provider of highest priority and lists why others were not")
  void autodetect() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
            java.util.Map.of("test-high.off", "true"),
            new java.util.Properties(),
            java.util.Map.of(),
            null);

    assertThat(BackendProviders.autodetect(config).id()).isEqualTo("test-low");
  }

  @Test
  @DisplayName("a named backend that is unavailable fails with its reason instead of falling back")
  void unavailable() {
    BackendUnavailableException e =
        catchThrowableOfType(
            BackendUnavailableException.class,
            () -> Convergence.builder().backend("test-down").build());

    assertThat(e.attempts())
        .extracting(BackendUnavailableException.Attempt::backendId)
        .containsExactly("test-down");
    assertThat(e.getMessage())
        .contains("test-down: endpoint unreachable; check convergence.test-down.url");
  }

  @Test
  @DisplayName("nothing available lists every attempt")
  void nothingAvailable() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
            java.util.Map.of("test-high.off", "true", "test-low.off", "true"),
            new java.util.Properties(),
            java.util.Map.of(),
            null);

    BackendUnavailableException e =
        catchThrowableOfType(
            BackendUnavailableException.class, () -> BackendProviders.autodetect(config));

    assertThat(e.attempts())
        .extracting(BackendUnavailableException.Attempt::backendId)
        .containsExactly("test-high", "test-down", "test-low");
  }
}
