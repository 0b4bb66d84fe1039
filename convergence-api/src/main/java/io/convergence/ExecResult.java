package io.convergence;

import static java.util.Objects.requireNonNull;

/**
 * The outcome of a command run in a workload.
 *
 * @param exitCode the exit code
 * @param stdout standard output, UTF-8
 * @param stderr standard error, UTF-8
 * @since 0.1.0
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
  /**
   * Checks the components.
   *
   * @param exitCode the exit code
   * @param stdout standard output
   * @param stderr standard error
   */
  public ExecResult {
    requireNonNull(stdout, "stdout");
    requireNonNull(stderr, "stderr");
  }

  /**
   * Whether the command exited with 0.
   *
   * @return true on success
   */
  public boolean isSuccess() {
    return exitCode == 0;
  }
}
