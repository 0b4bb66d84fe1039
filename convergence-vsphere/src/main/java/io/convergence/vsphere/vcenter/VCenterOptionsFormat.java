package io.convergence.vsphere.vcenter;

import io.convergence.spec.SpecProblem;
import io.convergence.spi.BackendOptionsFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes {@link VCenterOptions} under {@code options.vsphere-vcenter}: {@code
 * linkedClone: true|false}.
 *
 * @since 0.1.0
 */
public final class VCenterOptionsFormat implements BackendOptionsFormat<VCenterOptions> {

  /** Creates the format (found by {@link java.util.ServiceLoader}). */
  public VCenterOptionsFormat() {}

  @Override
  public String backendId() {
    return VCenterBackendProvider.ID;
  }

  @Override
  public Class<VCenterOptions> type() {
    return VCenterOptions.class;
  }

  @Override
  public VCenterOptions read(
      Map<String, Object> tree, String path, Consumer<SpecProblem> problems) {
    boolean linked = false;
    for (Map.Entry<String, Object> e : tree.entrySet()) {
      if (e.getKey().equals("linkedClone") && e.getValue() instanceof Boolean b) {
        linked = b;
      } else if (e.getKey().equals("linkedClone")) {
        problems.accept(new SpecProblem(path + ".linkedClone", "expected true or false"));
      } else {
        problems.accept(
            new SpecProblem(
                path + "." + e.getKey(),
                "unknown field '" + e.getKey() + "'; valid fields: linkedClone"));
      }
    }
    return linked ? VCenterOptions.linkedClone() : VCenterOptions.fullClone();
  }

  @Override
  public Map<String, Object> write(VCenterOptions options) {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("linkedClone", options.linked());
    return tree;
  }
}
