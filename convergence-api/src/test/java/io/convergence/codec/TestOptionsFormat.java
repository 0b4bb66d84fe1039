package io.convergence.codec;

import io.convergence.spec.BackendOptions;
import io.convergence.spec.SpecProblem;
import io.convergence.spi.BackendOptionsFormat;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Options of a made-up backend {@code test}, to check that the codec delegates to option formats.
 */
public final class TestOptionsFormat
    implements BackendOptionsFormat<TestOptionsFormat.TestOptions> {

  /** Options with one field. */
  public record TestOptions(String nodePool) implements BackendOptions {
    @Override
    public String backendId() {
      return "test";
    }
  }

  @Override
  public String backendId() {
    return "test";
  }

  @Override
  public Class<TestOptions> type() {
    return TestOptions.class;
  }

  @Override
  public TestOptions read(Map<String, Object> tree, String path, Consumer<SpecProblem> problems) {
    tree.keySet().stream()
        .filter(k -> !k.equals("nodePool"))
        .forEach(
            k -> problems.accept(new SpecProblem(path + "." + k, "unknown field '" + k + "'")));
    return new TestOptions(String.valueOf(tree.getOrDefault("nodePool", "")));
  }

  @Override
  public Map<String, Object> write(TestOptions options) {
    return Map.of("nodePool", options.nodePool());
  }
}
