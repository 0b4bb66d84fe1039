package io.convergence.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.config.ConvergenceConfig;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.SecretValue;
import io.convergence.spec.VmSpec;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedactorTest {

  private final LabSpec spec =
      LabSpec.builder("r")
          .vm(
              "v",
              VmSpec.builder()
                  .image("f")
                  .cloudInit("#cloud-config\npassword: correct-horse-battery\n")
                  .build())
          .container(
              "c",
              ContainerSpec.builder()
                  .image("b")
                  .secretEnv("T", SecretValue.of("tok-123456"))
                  .build())
          .build();
  private final Redactor redactor =
      Redactor.of(
          spec,
          ConvergenceConfig.load(
              Map.of("x.password", "admin-pw-1"), new Properties(), Map.of(), null));

  @Test
  @DisplayName("secret values, lines of secret user data and secret settings are masked")
  void masks() {
    assertThat(
            redactor.scrub("token tok-123456 and admin-pw-1 and password: correct-horse-battery!"))
        .isEqualTo("token **** and **** and ****!");
  }

  @Test
  @DisplayName(
      "an exception chain quoting a secret is replaced by a scrubbed copy; a clean one is kept")
  void exceptions() {
    RuntimeException leaky =
        new RuntimeException("outer", new IllegalStateException("saw tok-123456"));
    RuntimeException clean = new RuntimeException("nothing to see");

    Throwable scrubbed = redactor.scrub(leaky);

    assertThat(redactor.scrub(clean)).isSameAs(clean);
    assertThat(scrubbed).hasMessageContaining("RuntimeException: outer");
    assertThat(scrubbed.getCause()).hasMessageContaining("saw ****");
    assertThat(scrubbed.getStackTrace()).isEqualTo(leaky.getStackTrace());
  }
}
