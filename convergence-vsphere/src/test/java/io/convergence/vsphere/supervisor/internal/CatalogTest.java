package io.convergence.vsphere.supervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.convergence.spec.GuestOs;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CatalogTest {

  static final Catalog CATALOG =
      new Catalog(
          List.of(
              new Catalog.VmClass("xsmall", 2, 2L << 30),
              new Catalog.VmClass("small", 2, 4L << 30),
              new Catalog.VmClass("large", 4, 16L << 30)),
          List.of(
              new Catalog.Image("ClusterVirtualMachineImage", "vmi-aaa", "ubuntu-22.04", "Linux"),
              new Catalog.Image("VirtualMachineImage", "vmi-bbb", "windows-2022", "Windows"),
              new Catalog.Image("VirtualMachineImage", "vmi-ccc", "photon-5", "Linux"),
              new Catalog.Image("ClusterVirtualMachineImage", "vmi-ddd", "photon-5", "Linux")));

  @Test
  @DisplayName("the smallest class with enough CPUs and memory is chosen")
  void smallestFit() {
    List<SpecProblem> problems = new ArrayList<>();
    assertThat(
            CATALOG.chooseClass("p", VmSpec.builder().image("x").cpus(1).build(), null, problems))
        .isEqualTo("xsmall");
    assertThat(
            CATALOG.chooseClass(
                "p", VmSpec.builder().image("x").cpus(2).memory("3Gi").build(), null, problems))
        .isEqualTo("small");
    assertThat(
            CATALOG.chooseClass(
                "p", VmSpec.builder().image("x").cpus(3).memory("1Gi").build(), null, problems))
        .isEqualTo("large");
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("no fitting or unknown class is a problem listing the classes")
  void noClass() {
    List<SpecProblem> problems = new ArrayList<>();
    assertThat(
            CATALOG.chooseClass(
                "workloads[v].vm",
                VmSpec.builder().image("x").cpus(8).memory("8Gi").build(),
                null,
                problems))
        .isNull();
    assertThat(
            CATALOG.chooseClass(
                "workloads[v].vm", VmSpec.builder().image("x").build(), "gpu-huge", problems))
        .isNull();
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0).path()).isEqualTo("workloads[v].vm.cpus");
    assertThat(problems.get(0).message()).contains("8 vCPU", "xsmall", "small", "large");
    assertThat(problems.get(1).message()).contains("gpu-huge", "xsmall");
  }

  @Test
  @DisplayName("images resolve by object name or display name; missing, ambiguous, wrong OS fail")
  void images() {
    List<SpecProblem> problems = new ArrayList<>();
    assertThat(CATALOG.chooseImage("p", "ubuntu-22.04", GuestOs.LINUX, problems).objectName())
        .isEqualTo("vmi-aaa");
    assertThat(CATALOG.chooseImage("p", "vmi-ccc", GuestOs.LINUX, problems).objectName())
        .isEqualTo("vmi-ccc");
    assertThat(problems).isEmpty();

    assertThat(CATALOG.chooseImage("p", "fedora-41", GuestOs.LINUX, problems)).isNull();
    assertThat(CATALOG.chooseImage("p", "photon-5", GuestOs.LINUX, problems)).isNull();
    assertThat(CATALOG.chooseImage("p", "windows-2022", GuestOs.LINUX, problems)).isNull();
    assertThat(problems).extracting(SpecProblem::path).containsOnly("p.image", "p.guestOs");
    assertThat(problems.get(0).message()).contains("fedora-41", "ubuntu-22.04", "photon-5");
    assertThat(problems.get(1).message()).contains("ambiguous", "vmi-ccc", "vmi-ddd");
    assertThat(problems.get(2).message()).contains("Windows", "linux");
  }
}
