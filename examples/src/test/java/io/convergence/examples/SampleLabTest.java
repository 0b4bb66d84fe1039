package io.convergence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.codec.LabSpecCodec;
import io.convergence.spec.LabSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SampleLabTest {

  private final LabSpecCodec codec = LabSpecCodec.create();

  private static String file() throws IOException {
    try (InputStream in = SampleLabTest.class.getResourceAsStream("/labs/wafer-analysis.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName("the sample lab in YAML is the same lab as the one built in code, and valid")
  void yamlEqualsCode() throws IOException {
    LabSpec fromFile = codec.readYaml(file());

    assertThat(fromFile).isEqualTo(SampleLabs.waferAnalysis());
    assertThat(fromFile.validate()).isEmpty();
  }

  @Test
  @DisplayName("the sample lab writes back to the very same document")
  void roundTrip() throws IOException {
    assertThat(codec.writeYaml(SampleLabs.waferAnalysis())).isEqualTo(file());
  }
}
