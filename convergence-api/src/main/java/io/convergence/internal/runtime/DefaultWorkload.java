package io.convergence.internal.runtime;

import io.convergence.Endpoint;
import io.convergence.ExecResult;
import io.convergence.LabReport;
import io.convergence.Workload;
import io.convergence.WorkloadStatus;
import io.convergence.spec.Stage;
import io.convergence.spec.WorkloadKind;
import io.convergence.spec.WorkloadSpec;
import io.convergence.spi.LabDriver;
import io.convergence.spi.WorkloadAccess;
import io.convergence.spi.WorkloadDetails;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A ready workload of a running lab. */
final class DefaultWorkload implements Workload {

  private final String name;
  private final String backendId;
  private final WorkloadSpec spec;
  private final LabDriver driver;
  private final WorkloadDetails readyDetails;
  private final Map<Stage, Duration> timings;
  private @Nullable WorkloadAccess access;

  DefaultWorkload(
      String name,
      String backendId,
      WorkloadSpec spec,
      LabDriver driver,
      WorkloadDetails readyDetails,
      Map<Stage, Duration> timings) {
    this.name = name;
    this.backendId = backendId;
    this.spec = spec;
    this.driver = driver;
    this.readyDetails = readyDetails;
    this.timings = timings;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WorkloadKind kind() {
    return spec.kind();
  }

  @Override
  public WorkloadSpec spec() {
    return spec;
  }

  @Override
  public WorkloadStatus status() {
    return driver.describe(name).status();
  }

  @Override
  public String backendStatus() {
    return driver.describe(name).backendStatus();
  }

  @Override
  public String host() {
    String host = readyDetails.host();
    if (host == null) {
      throw new IllegalStateException(name + " on " + backendId + " has no address");
    }
    return host;
  }

  @Override
  public Endpoint endpoint(int port) {
    if (spec.port(port).isEmpty()) {
      String exposed =
          spec.ports().isEmpty()
              ? "it exposes no port"
              : "it exposes "
                  + spec.ports().stream()
                      .map(p -> Integer.toString(p.number()))
                      .collect(Collectors.joining(", "));
      throw new IllegalArgumentException(
          "workload "
              + name
              + " does not expose port "
              + port
              + "; "
              + exposed
              + " (add it with expose("
              + port
              + "))");
    }
    return access().endpoint(port);
  }

  @Override
  public ExecResult exec(String... command) {
    if (command.length == 0) {
      throw new IllegalArgumentException("exec needs a command");
    }
    return access().exec(List.of(command));
  }

  @Override
  public void copyTo(java.nio.file.Path source, String destination) {
    access().copyTo(source, destination);
  }

  @Override
  public void copyFrom(String source, java.nio.file.Path destination) {
    access().copyFrom(source, destination);
  }

  @Override
  public String logs() {
    return access().logs();
  }

  @Override
  public Map<Stage, Duration> stageTimings() {
    return timings;
  }

  private synchronized WorkloadAccess access() {
    if (access == null) {
      access =
          driver
              .access(name)
              .orElseThrow(
                  () ->
                      new UnsupportedOperationException(
                          "backend '"
                              + backendId
                              + "' offers no exec, logs or endpoints for "
                              + kind().name().toLowerCase(java.util.Locale.ROOT)
                              + " "
                              + name));
    }
    return access;
  }

  /** This workload's part of a lab report, every text scrubbed of the lab's secrets. */
  LabReport.WorkloadReport report(Redactor redactor) {
    WorkloadDetails now;
    try {
      now = driver.describe(name);
    } catch (RuntimeException e) {
      now =
          new WorkloadDetails(
              readyDetails.status(),
              "(unknown)",
              readyDetails.host(),
              readyDetails.ports(),
              List.of("cannot read the workload's state: " + redactor.scrub(e.toString())));
    }
    String logs;
    try {
      logs = logs();
    } catch (RuntimeException e) {
      logs = "(no logs: " + e.getMessage() + ")";
    }
    return new LabReport.WorkloadReport(
        name,
        kind(),
        now.status(),
        redactor.scrub(now.backendStatus()),
        now.host() != null ? now.host() : readyDetails.host(),
        timings,
        now.diagnostics().stream().map(redactor::scrub).toList(),
        redactor.scrub(logs));
  }

  synchronized void closeAccess() {
    if (access != null) {
      access.close();
      access = null;
    }
  }

  @Override
  public String toString() {
    return "Workload{" + name + ", " + kind() + ", host=" + readyDetails.host() + "}";
  }
}
