package io.convergence.kubevirt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares text with a golden file under src/test/resources/golden. Run with {@code
 * -Dgolden.update=true} to rewrite the files after an intended change (and review the diff).
 */
final class Golden {
  private Golden() {}

  static void assertMatches(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/golden", name);
    if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual)
        .as("golden file %s (rerun with -Dgolden.update=true after an intended change)", file)
        .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  static Path shared(String relative) {
    return Path.of(System.getProperty("convergence.shared.dir", "../../shared")).resolve(relative);
  }
}
