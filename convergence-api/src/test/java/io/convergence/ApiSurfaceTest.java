package io.convergence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * convergence-api stays provider-neutral: no backend library is referenced or even on its
 * classpath.
 */
class ApiSurfaceTest {

  private static final List<String> BANNED = List.of("io/fabric8/", "com/vmware/", "com/nutanix/");

  @Test
  @DisplayName("no compiled class of the API refers to fabric8, VMware or Nutanix types")
  void noBackendTypesInBytecode() throws IOException {
    Path classes =
        Path.of(Convergence.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    assertThat(files).as("compiled classes of the API").hasSizeGreaterThan(50);
    for (Path file : files) {
      // Class references sit in the constant pool as modified UTF-8, so a plain byte search finds
      // them.
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      for (String banned : BANNED) {
        assertThat(bytes)
            .as("%s refers to %s", classes.relativize(file), banned)
            .doesNotContain(banned);
      }
    }
  }

  @Test
  @DisplayName("no backend library is on the API's classpath, even transitively")
  void noBackendLibrariesOnTheClasspath() {
    for (String type :
        List.of(
            "io.fabric8.kubernetes.client.KubernetesClient",
            "com.vmware.vim25.ManagedObjectReference",
            "com.nutanix.vmm.java.client.ApiClient")) {
      assertThatThrownBy(() -> Class.forName(type)).isInstanceOf(ClassNotFoundException.class);
    }
  }
}
