package io.convergence.spi;

import io.convergence.Endpoint;
import io.convergence.ExecResult;
import java.util.List;

/**
 * Interactive access to a ready workload. Each method may throw {@link
 * UnsupportedOperationException} with the reason when the backend cannot do it for this workload.
 *
 * @since 0.1.0
 */
public interface WorkloadAccess {

  /**
   * Runs a command and waits for it.
   *
   * @param command program and arguments
   * @return exit code and output
   */
  ExecResult exec(List<String> command);

  /**
   * Copies a local file into the workload.
   *
   * @param source the local file
   * @param destination the absolute path in the workload
   */
  default void copyTo(java.nio.file.Path source, String destination) {
    throw new UnsupportedOperationException("this backend cannot copy files into workloads");
  }

  /**
   * Copies a file out of the workload.
   *
   * @param source the absolute path in the workload
   * @param destination the local file
   */
  default void copyFrom(String source, java.nio.file.Path destination) {
    throw new UnsupportedOperationException("this backend cannot copy files out of workloads");
  }

  /**
   * The output so far.
   *
   * @return the output
   */
  String logs();

  /**
   * An endpoint of an exposed port reachable from this JVM, opened for the lab's lifetime.
   *
   * @param port the exposed port
   * @return the endpoint
   */
  Endpoint endpoint(int port);

  /**
   * Releases what {@link #endpoint(int)} opened, such as port-forwards. Called when the lab closes.
   */
  default void close() {}
}
