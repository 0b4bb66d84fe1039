package io.convergence.vsphere.supervisor;

import io.convergence.spec.SpecProblem;
import io.convergence.spi.BackendOptionsFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes {@link SupervisorOptions} under {@code options.vsphere-supervisor}.
 *
 * @since 0.1.0
 */
public final class SupervisorOptionsFormat implements BackendOptionsFormat<SupervisorOptions> {

  /** Creates the format (found by {@link java.util.ServiceLoader}). */
  public SupervisorOptionsFormat() {}

  @Override
  public String backendId() {
    return SupervisorBackendProvider.ID;
  }

  @Override
  public Class<SupervisorOptions> type() {
    return SupervisorOptions.class;
  }

  @Override
  public SupervisorOptions read(
      Map<String, Object> tree, String path, Consumer<SpecProblem> problems) {
    SupervisorOptions.Builder b = SupervisorOptions.builder();
    tree.forEach(
        (field, value) -> {
          if (field.equals("className") && value instanceof String s && !s.isBlank()) {
            b.className(s);
          } else if (field.equals("className")) {
            problems.accept(
                new SpecProblem(path + ".className", "expected a VirtualMachineClass name"));
          } else {
            problems.accept(
                new SpecProblem(
                    path + "." + field, "unknown field '" + field + "'; valid fields: className"));
          }
        });
    return b.build();
  }

  @Override
  public Map<String, Object> write(SupervisorOptions options) {
    Map<String, Object> tree = new LinkedHashMap<>();
    options.className().ifPresent(c -> tree.put("className", c));
    return tree;
  }
}
