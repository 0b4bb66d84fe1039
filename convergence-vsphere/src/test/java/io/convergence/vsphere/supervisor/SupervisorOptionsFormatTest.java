package io.convergence.vsphere.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.spec.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SupervisorOptionsFormatTest {

  private final SupervisorOptionsFormat format = new SupervisorOptionsFormat();

  @Test
  @DisplayName("options round-trip through the spec file tree; unknown fields are problems")
  void roundTrip() {
    SupervisorOptions options = SupervisorOptions.builder().className("best-effort-large").build();
    List<SpecProblem> problems = new ArrayList<>();

    SupervisorOptions read =
        format.read(format.write(options), "options.vsphere-supervisor", problems::add);

    assertThat(read).isEqualTo(options);
    assertThat(problems).isEmpty();
    format.read(Map.of("class", "x"), "options.vsphere-supervisor", problems::add);
    assertThat(problems)
        .extracting(SpecProblem::path)
        .containsExactly("options.vsphere-supervisor.class");
    assertThat(format.write(SupervisorOptions.builder().build())).isEmpty();
  }
}
