package io.convergence.examples;

import io.convergence.Convergence;
import io.convergence.ConvergenceException;
import io.convergence.ExecResult;
import io.convergence.Lab;
import io.convergence.Workload;
import io.convergence.codec.LabSpecCodec;
import io.convergence.config.ConvergenceConfig;
import io.convergence.plan.PlanStep;
import io.convergence.spec.LabSpec;
import io.convergence.spec.Mount;
import io.convergence.spec.Stage;
import io.convergence.testkit.inmemory.InMemoryPlatform;
import io.convergence.testkit.kubevirt.EmbeddedKubeVirt;
import io.convergence.testkit.kubevirt.KubeVirtSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Runs the sample converged lab end to end and tears it down: {@code mvn -q -Pdemo package
 * -DskipTests}.
 *
 * <p>Backend: {@code convergence.backend} (default {@code kubevirt}). KubeVirt runs against the
 * cluster of a kubeconfig when one is given ({@code -Dconvergence.kubevirt.kubeconfig=...}, {@code
 * CONVERGENCE_KUBEVIRT_KUBECONFIG} or {@code KUBECONFIG}); without one it starts the embedded
 * simulator: an in-process Kubernetes API with fake KubeVirt, CDI and kubelet controllers. Pass
 * {@code plan} ({@code -Ddemo.args=plan}) to print the native objects instead of creating them.
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
    if (!mode.equals("run") && !mode.equals("plan")) {
      throw new IllegalArgumentException("unknown mode '" + mode + "'; use run or plan");
    }
    PrintStream out = System.out;
    LabSpec spec = load();
    ConvergenceConfig config = ConvergenceConfig.load();
    String backend = config.get("backend").orElse("kubevirt");
    EmbeddedKubeVirt simulator = null;
    Convergence.Builder builder =
        Convergence.builder()
            .backend(backend)
            .environment(
                name ->
                    name.equals("TESTER_UNATTEND_XML") && System.getenv(name) == null
                        ? SampleLabs.DEMO_UNATTEND
                        : System.getenv(name));
    if (backend.equals("kubevirt") && kubeconfig(config).isEmpty()) {
      simulator =
          EmbeddedKubeVirt.start(KubeVirtSimulator.builder().latency(Duration.ofMillis(60)));
      builder.property("kubevirt.kubeconfig", simulator.kubeconfig().toString());
      out.println(
          "== No kubeconfig given: running on the embedded KubeVirt simulator (" + simulator + ")");
    } else if (backend.equals("inmemory")) {
      inMemoryPlatform();
      builder.property("inmemory.platform", DEMO_PLATFORM);
    }
    try (Convergence convergence = builder.build()) {
      if (mode.equals("plan")) {
        out.println(convergence.plan(spec).render());
        return;
      }
      run(convergence, spec, simulator, out);
    } finally {
      if (simulator != null) {
        simulator.close();
      }
    }
  }

  private static void run(
      Convergence convergence,
      LabSpec spec,
      @Nullable EmbeddedKubeVirt simulator,
      PrintStream out) {
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
                .map(p -> Integer.toString(p.number()))
                .collect(Collectors.joining(","));
        out.printf(
            "   %-12s %-9s host %-40s ports [%s] mounts [%s]%n      stages %s%n",
            w.name(), w.kind(), w.host(), ports, mounts, timings(w.stageTimings()));
      }
      lab.plan().notes().stream()
          .filter(n -> n.startsWith("shared volume"))
          .forEach(n -> out.println("   " + n));
      for (PlanStep step : lab.plan().steps()) {
        step.notes().stream()
            .filter(n -> n.startsWith("added by"))
            .forEach(n -> out.println("   " + step.id() + " " + n));
      }
      if (simulator == null) {
        try {
          ExecResult r = lab.workload("analysis").exec("python", "-c", "print(1 + 1)");
          out.println(
              "== analysis$ python -c 'print(1 + 1)' -> exit "
                  + r.exitCode()
                  + ", output "
                  + r.stdout().strip());
        } catch (UnsupportedOperationException | ConvergenceException e) {
          out.println("== exec in analysis failed: " + e.getMessage());
        }
      } else {
        out.println(
            "== exec, logs and port-forwards need a real cluster (the simulator runs no containers)");
      }
      out.println("== Tearing down lab " + lab.id());
    }
    if (simulator != null) {
      int left =
          simulator
                  .client()
                  .pods()
                  .inAnyNamespace()
                  .withLabel("convergence.io/lab-id", labId)
                  .list()
                  .getItems()
                  .size()
              + simulator
                  .client()
                  .namespaces()
                  .withLabel("convergence.io/lab-id", labId)
                  .list()
                  .getItems()
                  .size();
      out.println(
          "== Lab "
              + labId
              + " removed: "
              + left
              + " of its pods and namespaces left on the cluster");
    } else if (convergence.backendId().equals("inmemory")) {
      int left = InMemoryPlatform.named(DEMO_PLATFORM).objects(labId).size();
      out.println("== Lab " + labId + " removed: " + left + " of its objects left on the platform");
    } else {
      out.println("== Lab " + labId + " removed");
    }
  }

  private static Optional<String> kubeconfig(ConvergenceConfig config) {
    return config
        .scoped("kubevirt")
        .get("kubeconfig")
        .or(() -> config.scoped("kubevirt").get("context"))
        .or(() -> Optional.ofNullable(System.getenv("KUBECONFIG")));
  }

  private static void inMemoryPlatform() {
    InMemoryPlatform.named(DEMO_PLATFORM)
        .latency(Stage.SCHEDULED, Duration.ofMillis(150))
        .latency(Stage.RUNNING, Duration.ofMillis(300))
        .latency(Stage.NETWORK, Duration.ofMillis(100))
        .latency(Stage.GUEST, Duration.ofMillis(600))
        .latency(Stage.PROBE, Duration.ofMillis(200))
        .deleteLatency(Duration.ofMillis(100))
        .onExec("analysis", cmd -> new ExecResult(0, "2\n", ""));
  }

  private static String mount(Mount m) {
    return m.volume() + " at " + m.path() + (m.readOnly() ? " (read-only)" : "");
  }

  private static String timings(Map<Stage, Duration> timings) {
    return timings.entrySet().stream()
        .map(e -> e.getKey().id() + " +" + e.getValue().toMillis() + "ms")
        .collect(Collectors.joining(", "));
  }

  /** The sample lab, read from the YAML file. */
  static LabSpec load() {
    try (InputStream in =
        Objects.requireNonNull(
            DemoLab.class.getResourceAsStream("/labs/wafer-analysis.yaml"), "sample lab")) {
      return LabSpecCodec.create().readYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
