package io.convergence.internal.runtime;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.LabSpec;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.VmSpec;
import io.convergence.spec.WorkloadKind;
import io.convergence.spec.WorkloadSpec;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Reads every secret given as an environment variable or file, so that the backend plans from
 * literals and references inside user data are known before any remote call. Problems (a variable
 * not set, a file missing) are collected with their field paths.
 */
final class SpecMaterializer {

  private final Function<String, String> environment;

  SpecMaterializer(Function<String, String> environment) {
    this.environment = environment;
  }

  LabSpec materialize(LabSpec spec, List<SpecProblem> problems) {
    LabSpec.Builder lab = spec.toBuilder();
    for (NamedWorkload w : spec.workloads()) {
      lab.withoutWorkload(w.name());
    }
    for (NamedWorkload w : spec.workloads()) {
      String path =
          "workloads["
              + w.name()
              + "]."
              + (w.spec().kind() == WorkloadKind.VM ? "vm" : "container");
      lab.workload(w.name(), materialize(path, w.spec(), problems));
    }
    return lab.build();
  }

  private WorkloadSpec materialize(String path, WorkloadSpec spec, List<SpecProblem> problems) {
    if (spec instanceof VmSpec vm) {
      VmSpec.Builder b = vm.toBuilder();
      vm.cloudInit().ifPresent(s -> b.cloudInit(read(path + ".cloudInit", s, problems)));
      vm.sysprep().ifPresent(s -> b.sysprep(read(path + ".sysprep", s, problems)));
      return b.build();
    }
    ContainerSpec c = (ContainerSpec) spec;
    ContainerSpec.Builder b = c.toBuilder();
    c.env()
        .forEach(
            (name, value) -> {
              if (value instanceof EnvValue.Secret s) {
                b.secretEnv(name, read(path + ".env[" + name + "]", s.value(), problems));
              }
            });
    return b.build();
  }

  private SecretValue read(String path, SecretValue secret, List<SpecProblem> problems) {
    if (secret.source() == SecretValue.Source.LITERAL) {
      return secret;
    }
    try {
      return SecretValue.of(secret.reveal(environment));
    } catch (IllegalStateException | UncheckedIOException e) {
      problems.add(new SpecProblem(path, e.getMessage()));
      return SecretValue.of("");
    }
  }
}
