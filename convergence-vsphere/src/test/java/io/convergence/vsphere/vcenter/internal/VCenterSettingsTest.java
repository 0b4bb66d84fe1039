package io.convergence.vsphere.vcenter.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.config.ConvergenceConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VCenterSettingsTest {

  private static ConvergenceConfig config(Map<String, String> values) {
    Map<String, String> prefixed = new LinkedHashMap<>();
    values.forEach((k, v) -> prefixed.put("convergence.vsphere-vcenter." + k, v));
    return ConvergenceConfig.load(prefixed, new java.util.Properties(), Map.of(), null)
        .scoped("vsphere-vcenter");
  }

  private static Map<String, String> complete() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("url", "https://vc.example.com");
    m.put("username", "lab@vsphere.local");
    m.put("password", "s3cret-pw");
    m.put("datacenter", "DC1");
    return m;
  }

  @Test
  void readsDefaultsAndAddsTheSdkPath() {
    VCenterSettings s = VCenterSettings.from(config(complete()));
    assertThat(s.url()).isEqualTo(URI.create("https://vc.example.com/sdk"));
    assertThat(s.folder()).isEqualTo("convergence");
    assertThat(s.templateFolder()).isEmpty();
    assertThat(s.vmPath(s.folder())).isEqualTo("DC1/vm/convergence");
    assertThat(s.vmPath(s.templateFolder())).isEqualTo("DC1/vm");
    assertThat(s.resourcePool()).isEmpty();
    assertThat(s.hasKubeconfig()).isFalse();
  }

  @Test
  void trimsSlashesOfInventoryPaths() {
    Map<String, String> m = complete();
    m.put("folder", "/labs/convergence/");
    m.put("resource-pool", "C1/Resources");
    VCenterSettings s = VCenterSettings.from(config(m));
    assertThat(s.folder()).isEqualTo("labs/convergence");
    assertThat(s.resourcePool()).hasValue("C1/Resources");
  }

  @Test
  void missingSettingsAreNamed() {
    for (String key : new String[] {"url", "username", "password", "datacenter"}) {
      Map<String, String> m = complete();
      m.remove(key);
      assertThatThrownBy(() -> VCenterSettings.from(config(m)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("vsphere-vcenter." + key)
          .hasMessageNotContaining("s3cret-pw");
    }
  }

  @Test
  void thePasswordIsNeverShown() {
    VCenterSettings s = VCenterSettings.from(config(complete()));
    assertThat(s.toString()).doesNotContain("s3cret-pw").contains("lab@vsphere.local");
    assertThat(String.valueOf(s.password())).doesNotContain("s3cret-pw");
    assertThat(s.clientConfig().toString()).doesNotContain("s3cret-pw");
  }
}
