package io.convergence;

import io.convergence.spec.Stage;
import io.convergence.spec.WorkloadKind;
import io.convergence.spec.WorkloadSpec;
import java.time.Duration;
import java.util.Map;

/**
 * A running workload of a {@link Lab}: its addresses, its state, and commands and logs where the
 * backend offers them.
 *
 * @since 0.1.0
 */
public interface Workload {

  /**
   * The workload's name.
   *
   * @return the name
   */
  String name();

  /**
   * VM or container.
   *
   * @return the kind
   */
  WorkloadKind kind();

  /**
   * The spec the workload was created from, with references resolved.
   *
   * @return the spec
   */
  WorkloadSpec spec();

  /**
   * The current portable state, read from the platform.
   *
   * @return the state
   */
  WorkloadStatus status();

  /**
   * The platform's own status text, e.g. KubeVirt's {@code printableStatus} or a pod phase.
   *
   * @return the status
   */
  String backendStatus();

  /**
   * The host name or address under which the rest of the lab reaches this workload.
   *
   * @return the host
   */
  String host();

  /**
   * An endpoint of an exposed port that the test JVM can connect to: the workload's own address
   * where it is routable, otherwise a local port forwarded by the backend for the lab's lifetime.
   *
   * @param port an exposed port of the workload
   * @return host and port to connect to
   * @throws IllegalArgumentException when the workload does not expose {@code port}
   * @throws UnsupportedOperationException when the backend cannot reach workloads from the test JVM
   */
  Endpoint endpoint(int port);

  /**
   * Runs a command in the workload and waits for it.
   *
   * @param command the program and its arguments
   * @return exit code and output
   * @throws UnsupportedOperationException when the backend cannot run commands in this kind of
   *     workload
   */
  ExecResult exec(String... command);

  /**
   * Copies a file from this JVM's machine into the workload.
   *
   * @param source a local file
   * @param destination the absolute path in the workload
   * @throws UnsupportedOperationException when the backend cannot copy files into this kind of
   *     workload
   */
  void copyTo(java.nio.file.Path source, String destination);

  /**
   * Copies a file out of the workload to this JVM's machine.
   *
   * @param source the absolute path in the workload
   * @param destination a local file, overwritten
   * @throws UnsupportedOperationException when the backend cannot copy files out of this kind of
   *     workload
   */
  void copyFrom(String source, java.nio.file.Path destination);

  /**
   * The workload's output so far (container logs, or a VM's serial console where the platform
   * exposes it).
   *
   * @return the output
   * @throws UnsupportedOperationException when the backend has no output for this kind of workload
   */
  String logs();

  /**
   * How long each readiness stage took, in stage order.
   *
   * @return stage to duration since the previous stage
   */
  Map<Stage, Duration> stageTimings();
}
