package io.convergence.vsphere.vcenter;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.spec.SpecProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VCenterOptionsFormatTest {

  private final VCenterOptionsFormat format = new VCenterOptionsFormat();

  @Test
  void roundTrips() {
    List<SpecProblem> problems = new ArrayList<>();
    assertThat(format.read(format.write(VCenterOptions.linkedClone()), "o", problems::add))
        .isEqualTo(VCenterOptions.linkedClone());
    assertThat(format.read(format.write(VCenterOptions.fullClone()), "o", problems::add))
        .isEqualTo(VCenterOptions.fullClone());
    assertThat(problems).isEmpty();
  }

  @Test
  void unknownFieldsAndWrongTypesAreProblems() {
    List<SpecProblem> problems = new ArrayList<>();
    format.read(Map.of("linkedClone", "yes", "pool", "x"), "o", problems::add);
    assertThat(problems)
        .extracting(SpecProblem::path)
        .containsExactlyInAnyOrder("o.linkedClone", "o.pool");
  }
}
