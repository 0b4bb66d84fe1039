package io.convergence.testkit.inmemory;

import io.convergence.spec.DurationText;
import io.convergence.spec.SpecProblem;
import io.convergence.spec.Stage;
import io.convergence.spi.BackendOptionsFormat;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads and writes {@link InMemoryOptions} under {@code options.inmemory}.
 *
 * @since 0.1.0
 */
public final class InMemoryOptionsFormat implements BackendOptionsFormat<InMemoryOptions> {

  /** Creates the format (found by {@link java.util.ServiceLoader}). */
  public InMemoryOptionsFormat() {}

  @Override
  public String backendId() {
    return InMemoryBackendProvider.ID;
  }

  @Override
  public Class<InMemoryOptions> type() {
    return InMemoryOptions.class;
  }

  @Override
  public InMemoryOptions read(
      Map<String, Object> tree, String path, Consumer<SpecProblem> problems) {
    Map<Stage, Duration> latencies = new EnumMap<>(Stage.class);
    tree.forEach(
        (field, value) -> {
          if (!field.equals("latency")) {
            problems.accept(
                new SpecProblem(
                    path + "." + field, "unknown field '" + field + "'; valid fields: latency"));
            return;
          }
          if (!(value instanceof Map<?, ?> map)) {
            problems.accept(
                new SpecProblem(
                    path + ".latency", "expected a map of stage to duration, e.g. {running: 2s}"));
            return;
          }
          map.forEach(
              (k, v) -> {
                String at = path + ".latency." + k;
                Stage stage = null;
                for (Stage s : Stage.values()) {
                  if (s.id().equals(String.valueOf(k))) {
                    stage = s;
                  }
                }
                if (stage == null) {
                  problems.accept(
                      new SpecProblem(
                          at,
                          "not a stage; use created, scheduled, running, network, guest or probe"));
                  return;
                }
                var d = DurationText.parse(String.valueOf(v));
                if (d.isEmpty()) {
                  problems.accept(
                      new SpecProblem(at, "\"" + v + "\" is not a duration; use e.g. 250ms or 2s"));
                } else {
                  latencies.put(stage, d.get());
                }
              });
        });
    return InMemoryOptions.latencies(latencies);
  }

  @Override
  public Map<String, Object> write(InMemoryOptions options) {
    Map<String, Object> latency = new LinkedHashMap<>();
    options
        .latencies()
        .forEach((s, d) -> latency.put(s.name().toLowerCase(Locale.ROOT), DurationText.format(d)));
    return Map.of("latency", latency);
  }
}
