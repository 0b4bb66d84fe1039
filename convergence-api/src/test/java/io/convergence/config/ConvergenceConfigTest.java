package io.convergence.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvergenceConfigTest {

  @TempDir Path dir;

  private ClassLoader withFile(String content) throws Exception {
    Files.writeString(dir.resolve(ConvergenceConfig.PROPERTIES_FILE), content);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
  }

  @Test
  @DisplayName("code beats system properties beats environment beats the properties file")
  void precedence() throws Exception {
    ClassLoader file =
        withFile("convergence.a=file\nconvergence.b=file\nconvergence.c=file\nd=file\n");
    Properties sys = new Properties();
    sys.setProperty("convergence.a", "sys");
    sys.setProperty("convergence.b", "sys");
    sys.setProperty("other.key", "ignored");
    Map<String, String> env =
        Map.of("CONVERGENCE_A", "env", "CONVERGENCE_B", "env", "CONVERGENCE_C", "env");

    ConvergenceConfig config = ConvergenceConfig.load(Map.of("a", "code"), sys, env, file);

    assertThat(config.get("a")).contains("code");
    assertThat(config.get("b")).contains("sys");
    assertThat(config.get("c")).contains("env");
    assertThat(config.get("d")).contains("file");
    assertThat(config.source("b")).contains("system property convergence.b");
    assertThat(config.source("c")).contains("environment variable CONVERGENCE_C");
    assertThat(config.keys()).doesNotContain("other.key");
  }

  @Test
  @DisplayName("a scoped view reads a backend's keys, dashed keys also from environment variables")
  void scoped() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
            Map.of("kubevirt.context", "lab"),
            new Properties(),
            Map.of("CONVERGENCE_NUTANIX_API_KEY", "k-123"),
            null);

    assertThat(config.scoped("kubevirt").get("context")).contains("lab");
    assertThat(config.scoped("nutanix").get("api-key")).contains("k-123");
    assertThat(ConvergenceConfig.environmentVariable("nutanix.api-key"))
        .isEqualTo("CONVERGENCE_NUTANIX_API_KEY");
  }

  @Test
  @DisplayName("typed values are parsed, and a bad one names the key, value and source")
  void typed() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
            Map.of("t", "90s", "n", "8", "b", "true", "bad", "soon"),
            new Properties(),
            Map.of(),
            null);

    assertThat(config.getDuration("t", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.getInt("n", 1)).isEqualTo(8);
    assertThat(config.getBoolean("b", false)).isTrue();
    assertThat(config.getInt("missing", 3)).isEqualTo(3);
    assertThatThrownBy(() -> config.getDuration("bad", Duration.ZERO))
        .hasMessageContaining("convergence.bad = \"soon\" (from code) is not a duration");
    assertThatThrownBy(() -> config.require("nothing")).hasMessageContaining("CONVERGENCE_NOTHING");
  }

  @Test
  @DisplayName("secret-looking settings never show in toString")
  void secretsHidden() {
    ConvergenceConfig config =
        ConvergenceConfig.load(
            Map.of(
                "nutanix.password", "hunter2", "nutanix.api-key", "k-42", "nutanix.user", "admin"),
            new Properties(),
            Map.of(),
            null);

    assertThat(config.toString()).doesNotContain("hunter2", "k-42").contains("admin");
    assertThat(config.scoped("nutanix").getSecret("password").orElseThrow().toString())
        .doesNotContain("hunter2");
  }
}
