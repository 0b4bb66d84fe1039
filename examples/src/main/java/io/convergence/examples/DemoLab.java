package io.convergence.examples;

import io.convergence.Convergence;
import io.convergence.ExecResult;
import io.convergence.Lab;
import io.convergence.Workload;
import io.convergence.codec.LabSpecCodec;
import io.convergence.config.ConvergenceConfig;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.Stage;
import io.convergence.testkit.inmemory.InMemoryPlatform;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Runs the sample converged lab end to end and tears it down: {@code mvn -q -Pdemo package
 * -DskipTests}.
 *
 * <p>With no backend configured it runs on the in-memory simulator, with platform latencies that
 * make the stages visible. Set {@code convergence.backend} (and that backend's settings) to run it
 * elsewhere. Pass {@code plan} ({@code -Ddemo.args=plan}) to print the native objects instead of
 * creating them.
 */
public final class DemoLab {

  static final String DEMO_PLATFORM = "demo";

  private DemoLab() {}

  /**
   * Entry point.
   *
   * @param args {@code run} (default) or {@code plan}
   */
  public static void main(String[] args) {
    String mode = args.length == 0 || args[0].isBlank() ? "run" : args[0];
    PrintStream out = System.out;
    LabSpec spec = load();
    Map<String, String> env = Map.of("TESTER_UNATTEND_XML", SampleLabs.DEMO_UNATTEND);
    try (Convergence convergence = client(env)) {
      if (mode.equals("plan")) {
        out.println(convergence.plan(spec).render());
        return;
      }
      if (!mode.equals("run")) {
        throw new IllegalArgumentException("unknown mode '" + mode + "'; use run or plan");
      }
      out.println("== Starting lab " + spec.name() + " on backend " + convergence.backendId());
      String labId;
      try (Lab lab = convergence.start(spec)) {
        labId = lab.id();
        out.println("== Lab " + lab.id() + " is ready; it expires at " + lab.expiresAt());
        for (Workload w : lab.workloads()) {
          String mounts =
              w.spec().mounts().stream().map(DemoLab::mount).collect(Collectors.joining(", "));
          String ports =
              w.spec().ports().stream()
                  .map(p -> p.number() + " -> " + w.endpoint(p.number()))
                  .collect(Collectors.joining(", "));
          out.printf(
              "   %-9s %-9s host %-12s ports [%s] mounts [%s] stages %s%n",
              w.name(), w.kind(), w.host(), ports, mounts, timings(w.stageTimings()));
        }
        ExecResult r = lab.workload("analysis").exec("python", "-c", "print(1 + 1)");
        out.println(
            "== analysis$ python -c 'print(1 + 1)' -> exit "
                + r.exitCode()
                + ", output "
                + r.stdout().strip());
        out.println("== Tearing down lab " + lab.id());
      }
      if (convergence.backendId().equals("inmemory")) {
        int left = InMemoryPlatform.named(DEMO_PLATFORM).objects(labId).size();
        out.println(
            "== Lab " + labId + " removed: " + left + " of its objects left on the platform");
      } else {
        out.println("== Lab " + labId + " removed");
      }
    }
  }

  private static String mount(Mount m) {
    return m.volume() + " at " + m.path() + (m.readOnly() ? " (read-only)" : "");
  }

  private static String timings(Map<Stage, Duration> timings) {
    return timings.entrySet().stream()
        .map(e -> e.getKey().id() + "+" + e.getValue().toMillis() + "ms")
        .collect(Collectors.joining(" "));
  }

  /** The sample lab, read from the YAML file. */
  static LabSpec load() {
    try (InputStream in =
        Objects.requireNonNull(
            DemoLab.class.getResourceAsStream("/labs/wafer-analysis.yaml"), "sample lab")) {
      return LabSpecCodec.create().readYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The configured backend, or the in-memory simulator with demo latencies. */
  static Convergence client(Map<String, String> env) {
    Convergence.Builder builder =
        Convergence.builder().environment(name -> env.getOrDefault(name, System.getenv(name)));
    String backend = ConvergenceConfig.load().get("backend").orElse("inmemory");
    builder.backend(backend);
    if (backend.equals("inmemory")) {
      InMemoryPlatform.named(DEMO_PLATFORM)
          .latency(Stage.SCHEDULED, Duration.ofMillis(150))
          .latency(Stage.RUNNING, Duration.ofMillis(300))
          .latency(Stage.NETWORK, Duration.ofMillis(100))
          .latency(Stage.GUEST, Duration.ofMillis(600))
          .latency(Stage.PROBE, Duration.ofMillis(200))
          .deleteLatency(Duration.ofMillis(100))
          .onExec("analysis", cmd -> new ExecResult(0, "2\n", ""));
      builder.property("inmemory.platform", DEMO_PLATFORM);
    }
    return builder.build();
  }
}
