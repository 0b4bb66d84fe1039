package io.convergence.kubevirt;

import io.convergence.spec.SpecProblem;
import io.convergence.spi.BackendOptionsFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes {@link KubeVirtOptions} under {@code options.kubevirt}.
 *
 * @since 0.1.0
 */
public final class KubeVirtOptionsFormat implements BackendOptionsFormat<KubeVirtOptions> {

  private static final List<String> FIELDS =
      List.of(
          "nodeSelector",
          "diskBus",
          "interfaceModel",
          "instancetype",
          "preference",
          "rootDiskSize",
          "storageClass",
          "importRegistryImage");

  /** Creates the format (found by {@link java.util.ServiceLoader}). */
  public KubeVirtOptionsFormat() {}

  @Override
  public String backendId() {
    return KubeVirtBackendProvider.ID;
  }

  @Override
  public Class<KubeVirtOptions> type() {
    return KubeVirtOptions.class;
  }

  @Override
  public KubeVirtOptions read(
      Map<String, Object> tree, String path, Consumer<SpecProblem> problems) {
    KubeVirtOptions.Builder b = KubeVirtOptions.builder();
    tree.forEach(
        (field, value) -> {
          String at = path + "." + field;
          switch (field) {
            case "nodeSelector":
              if (value instanceof Map<?, ?> m) {
                Map<String, String> selector = new LinkedHashMap<>();
                m.forEach((k, v) -> selector.put(String.valueOf(k), String.valueOf(v)));
                b.nodeSelector(selector);
              } else {
                problems.accept(new SpecProblem(at, "expected a map of node labels"));
              }
              break;
            case "diskBus":
              String bus = String.valueOf(value);
              if (!List.of("virtio", "sata", "scsi").contains(bus)) {
                problems.accept(
                    new SpecProblem(
                        at, "\"" + bus + "\" is not a disk bus; use virtio, sata or scsi"));
              } else {
                b.diskBus(bus);
              }
              break;
            case "interfaceModel":
              b.interfaceModel(String.valueOf(value));
              break;
            case "instancetype":
              b.instancetype(String.valueOf(value));
              break;
            case "preference":
              b.preference(String.valueOf(value));
              break;
            case "rootDiskSize":
              b.rootDiskSize(String.valueOf(value));
              break;
            case "storageClass":
              b.storageClass(String.valueOf(value));
              break;
            case "importRegistryImage":
              if (value instanceof Boolean flag) {
                b.importRegistryImage(flag);
              } else {
                problems.accept(new SpecProblem(at, "expected true or false"));
              }
              break;
            default:
              problems.accept(
                  new SpecProblem(
                      at,
                      "unknown field '" + field + "'; valid fields: " + String.join(", ", FIELDS)));
          }
        });
    return b.build();
  }

  @Override
  public Map<String, Object> write(KubeVirtOptions options) {
    if (options.virtualMachineModifier().isPresent() || options.podModifier().isPresent()) {
      throw new IllegalArgumentException(
          "KubeVirt options with a modifier function cannot be written to YAML");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (!options.nodeSelector().isEmpty()) {
      out.put("nodeSelector", options.nodeSelector());
    }
    options.diskBus().ifPresent(v -> out.put("diskBus", v));
    options.interfaceModel().ifPresent(v -> out.put("interfaceModel", v));
    options.instancetype().ifPresent(v -> out.put("instancetype", v));
    options.preference().ifPresent(v -> out.put("preference", v));
    options.rootDiskSize().ifPresent(v -> out.put("rootDiskSize", v));
    options.storageClass().ifPresent(v -> out.put("storageClass", v));
    if (options.importRegistryImage()) {
      out.put("importRegistryImage", true);
    }
    return out;
  }
}
