package io.convergence.spi;

import static java.util.Objects.requireNonNull;

import io.convergence.WorkloadStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a backend currently knows about a workload.
 *
 * @param status the portable state
 * @param backendStatus the platform's own status text
 * @param host the host under which the rest of the lab reaches the workload, or {@code null} while
 *     unknown
 * @param ports exposed port to the port number reachable at {@code host}
 * @param diagnostics the last conditions, events and console lines, newest last (secrets never
 *     included)
 * @since 0.1.0
 */
public record WorkloadDetails(
    WorkloadStatus status,
    String backendStatus,
    @Nullable String host,
    Map<Integer, Integer> ports,
    List<String> diagnostics) {

  /**
   * Checks and copies the components.
   *
   * @param status the state
   * @param backendStatus the platform's status
   * @param host the host, or {@code null}
   * @param ports port mapping
   * @param diagnostics diagnostics
   */
  public WorkloadDetails {
    requireNonNull(status, "status");
    requireNonNull(backendStatus, "backendStatus");
    ports = Map.copyOf(ports);
    diagnostics = List.copyOf(diagnostics);
  }

  /**
   * The host.
   *
   * @return the host, empty while unknown
   */
  public Optional<String> optionalHost() {
    return Optional.ofNullable(host);
  }
}
