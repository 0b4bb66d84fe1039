package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * A shared volume mounted into a workload.
 *
 * @param volume the name of a {@link SharedVolume} of the same lab
 * @param path where it appears: an absolute path for containers and Linux guests ({@code /data}), a
 *     drive letter ({@code R:}) or an absolute path ({@code C:\data}) for Windows guests
 * @param readOnly whether the workload may only read it
 * @since 0.1.0
 */
public record Mount(String volume, String path, boolean readOnly) {
  /**
   * Checks the components.
   *
   * @param volume the shared volume's name
   * @param path where it appears
   * @param readOnly whether the workload may only read it
   */
  public Mount {
    requireNonNull(volume, "volume");
    requireNonNull(path, "path");
  }
}
