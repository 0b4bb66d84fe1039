package io.convergence.kubernetes;

import io.convergence.spec.Probe;
import io.convergence.spec.Readiness;
import io.convergence.spec.SpecProblem;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps portable probes to the one readiness probe Kubernetes runs per container (and KubeVirt per
 * VM). TCP, HTTP, exec, SSH and WinRM probes become {@code tcpSocket}, {@code httpGet} or {@code
 * exec}; log-line probes are left to the SDK, which follows the container's output.
 *
 * @since 0.1.0
 */
public final class ProbeToKubernetesProbe {

  private ProbeToKubernetesProbe() {}

  /**
   * The native readiness probe, if any.
   *
   * @param readiness the workload's readiness
   * @return the probe
   */
  public static Optional<io.fabric8.kubernetes.api.model.Probe> readinessProbe(
      Readiness readiness) {
    List<Probe> natives = natives(readiness);
    if (natives.isEmpty()) {
      return Optional.empty();
    }
    Probe p = natives.get(0);
    int period = (int) Math.max(1, readiness.probeInterval().toSeconds());
    ProbeBuilder b =
        new ProbeBuilder()
            .withPeriodSeconds(period)
            .withTimeoutSeconds(Math.max(1, Math.min(period, 5)))
            .withSuccessThreshold(1)
            .withFailureThreshold(3);
    if (p instanceof Probe.Http h) {
      b.withNewHttpGet()
          .withPath(h.path())
          .withPort(new IntOrString(h.port()))
          .withScheme(h.https() ? "HTTPS" : "HTTP")
          .endHttpGet();
    } else if (p instanceof Probe.Exec e) {
      b.withNewExec().withCommand(e.command()).endExec();
    } else {
      // tcp, ssh and winrm: a TCP connect to the port is what the platform can check.
      b.withNewTcpSocket().withPort(new IntOrString(p.port())).endTcpSocket();
    }
    return Optional.of(b.build());
  }

  /**
   * The probes the platform runs (all but log-line probes and the guest-agent probe).
   *
   * @param readiness the readiness
   * @return the probes
   */
  public static List<Probe> natives(Readiness readiness) {
    return readiness.probes().stream()
        .filter(p -> !(p instanceof Probe.LogLine) && !(p instanceof Probe.GuestAgent))
        .toList();
  }

  /**
   * Problems of a workload's probes on Kubernetes: the platform runs one readiness probe per
   * container or VM.
   *
   * @param path the readiness field path, e.g. {@code workloads[a].container.readiness.probes}
   * @param readiness the readiness
   * @return the problems
   */
  public static List<SpecProblem> problems(String path, Readiness readiness) {
    List<SpecProblem> problems = new ArrayList<>();
    if (natives(readiness).size() > 1) {
      problems.add(
          new SpecProblem(
              path,
              "Kubernetes runs one readiness probe per container or VM; keep one tcp, http, exec, ssh or winrm"
                  + " probe (log-line and guestAgent probes may be added to it)"));
    }
    return problems;
  }
}
