package io.convergence.junit5.internal;

import io.convergence.LabReport;
import io.convergence.event.LabEvent;
import io.convergence.spec.DurationText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes a failure's diagnostics bundle: {@code <reports>/<class>/<test>/} with the effective spec,
 * the plan, the event timeline with stage timings, and per workload its state, the platform's
 * diagnostics (conditions, events, console tail) and its logs. Everything written comes from a
 * {@link LabReport} or from lab events, which the runtime already scrubbed of the lab's secrets.
 */
public final class DiagnosticsBundle {

  private DiagnosticsBundle() {}

  /**
   * The bundle's directory for a class and test; a directory left by an earlier run is replaced.
   *
   * @param reports the reports directory
   * @param className the test class's name
   * @param testName the test's name, or the lifecycle phase
   * @return the directory
   */
  public static Path directory(Path reports, String className, String testName) {
    return reports.resolve(safe(className)).resolve(safe(testName)).toAbsolutePath();
  }

  /**
   * Writes a running lab's report.
   *
   * @param dir the bundle's directory
   * @param report the report
   * @param failure what failed, e.g. the test and the exception's type
   * @return the directory
   */
  public static Path write(Path dir, LabReport report, String failure) {
    clear(dir);
    StringBuilder summary = new StringBuilder();
    summary
        .append("failure: ")
        .append(failure)
        .append('\n')
        .append("lab: ")
        .append(report.labId())
        .append(" on ")
        .append(report.backendId())
        .append('\n')
        .append("taken at: ")
        .append(report.takenAt())
        .append('\n')
        .append("expires at: ")
        .append(report.expiresAt())
        .append("\n\nworkloads:\n");
    for (LabReport.WorkloadReport w : report.workloads()) {
      summary
          .append("  ")
          .append(w.name())
          .append(" (")
          .append(w.kind().name().toLowerCase(java.util.Locale.ROOT))
          .append("): ")
          .append(w.status())
          .append(", ")
          .append(w.backendStatus())
          .append(w.host() == null ? "" : ", host " + w.host())
          .append('\n');
    }
    write(dir.resolve("summary.txt"), summary.toString());
    write(dir.resolve("spec.yaml"), report.specYaml());
    write(dir.resolve("plan.yaml"), report.planYaml());
    write(dir.resolve("events.txt"), timeline(report.events()));
    for (LabReport.WorkloadReport w : report.workloads()) {
      StringBuilder b = new StringBuilder();
      b.append("workload: ").append(w.name()).append('\n');
      b.append("kind: ").append(w.kind()).append('\n');
      b.append("status: ").append(w.status()).append('\n');
      b.append("platform status: ").append(w.backendStatus()).append('\n');
      b.append("host: ").append(w.host() == null ? "-" : w.host()).append('\n');
      b.append("stage timings:\n");
      w.stageTimings()
          .forEach(
              (stage, d) ->
                  b.append("  ")
                      .append(stage.id())
                      .append(": ")
                      .append(DurationText.format(d))
                      .append('\n'));
      b.append("diagnostics:\n");
      w.diagnostics().forEach(line -> b.append("  ").append(line).append('\n'));
      write(dir.resolve("workloads").resolve(safe(w.name()) + ".txt"), b.toString());
      write(dir.resolve("workloads").resolve(safe(w.name()) + ".log"), w.logs());
    }
    return dir;
  }

  /**
   * Writes the bundle of a lab that failed to start (rolled back or kept): the spec, the plan when
   * it could be made, the events, and the error.
   *
   * @param dir the bundle's directory
   * @param specYaml the spec, literal secrets redacted
   * @param planYaml the plan, or null when planning failed
   * @param events the events the start emitted
   * @param error the start's error message (the runtime scrubs secrets from it)
   * @return the directory
   */
  public static Path writeStartFailure(
      Path dir, String specYaml, @Nullable String planYaml, List<LabEvent> events, String error) {
    clear(dir);
    write(dir.resolve("summary.txt"), "failure: the lab did not start\n\n" + error + "\n");
    write(dir.resolve("spec.yaml"), specYaml);
    if (planYaml != null) {
      write(dir.resolve("plan.yaml"), planYaml);
    }
    write(dir.resolve("events.txt"), timeline(events));
    return dir;
  }

  /**
   * The event timeline, one line per event with its time, elapsed time, type and message, then each
   * workload's stage timings.
   *
   * @param events the events
   * @return the text
   */
  static String timeline(List<LabEvent> events) {
    StringBuilder b = new StringBuilder();
    for (LabEvent e : events) {
      b.append(e.at())
          .append("  +")
          .append(DurationText.format(e.elapsed()))
          .append("  ")
          .append(e.type())
          .append(e.workload() == null ? "" : "  " + e.workload())
          .append(e.stage() == null ? "" : " " + e.stage().id())
          .append("  ")
          .append(e.message())
          .append('\n');
    }
    Map<String, List<LabEvent>> stages =
        events.stream()
            .filter(e -> e.type() == LabEvent.Type.STAGE_REACHED && e.workload() != null)
            .collect(
                Collectors.groupingBy(
                    LabEvent::workload, java.util.LinkedHashMap::new, Collectors.toList()));
    if (!stages.isEmpty()) {
      b.append("\nstage timings (time since the previous stage):\n");
      stages.forEach(
          (w, list) -> {
            b.append("  ").append(w).append(':');
            for (LabEvent e : list) {
              b.append(' ')
                  .append(e.stage() == null ? "?" : e.stage().id())
                  .append(' ')
                  .append(DurationText.format(e.elapsed()));
            }
            b.append('\n');
          });
    }
    return b.toString();
  }

  private static void clear(Path dir) {
    try {
      if (Files.isDirectory(dir)) {
        try (var files = Files.walk(dir)) {
          for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare diagnostics directory " + dir, e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A name fit for a directory: letters, digits, '.', '_' and '-' kept, the rest '_'. */
  static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 120 ? s.substring(0, 120) : s;
  }
}
