package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A port a workload exposes to the rest of the lab and, through {@code Workload#endpoint(int)}, to
 * the test.
 *
 * @param number the port number, 1 to 65535
 * @param protocol TCP or UDP
 * @param name an optional name (a DNS label, at most 15 characters), e.g. {@code winrm}
 * @since 0.1.0
 */
public record PortSpec(int number, Protocol protocol, @Nullable String name) {
  /**
   * Checks the components.
   *
   * @param number the port number
   * @param protocol TCP or UDP
   * @param name an optional name
   */
  public PortSpec {
    requireNonNull(protocol, "protocol");
  }

  /**
   * An unnamed TCP port.
   *
   * @param number the port number
   * @return the port
   */
  public static PortSpec tcp(int number) {
    return new PortSpec(number, Protocol.TCP, null);
  }

  /**
   * A named TCP port.
   *
   * @param number the port number
   * @param name the name
   * @return the port
   */
  public static PortSpec tcp(int number, String name) {
    return new PortSpec(number, Protocol.TCP, name);
  }

  /**
   * The name, if one was given.
   *
   * @return the name
   */
  public Optional<String> optionalName() {
    return Optional.ofNullable(name);
  }
}
