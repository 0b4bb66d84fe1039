package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A check that must pass before a workload counts as ready: the last readiness {@link Stage#PROBE
 * stage}.
 *
 * <p>Containers support {@link Tcp}, {@link Http}, {@link Exec} and {@link LogLine}; VMs support
 * {@link Tcp}, {@link Http}, {@link WinRm}, {@link Ssh} and {@link GuestAgent}. Where a probe runs
 * is the backend's choice: a Kubernetes readiness probe run by the kubelet, a check from the test
 * host against the VM's address, or the guest agent.
 *
 * @since 0.1.0
 */
public sealed interface Probe {

  /**
   * The port this probe connects to, or 0 when it does not connect to a port.
   *
   * @return the port
   */
  default int port() {
    return 0;
  }

  /**
   * The probe's name as written in YAML, e.g. {@code "tcp"}.
   *
   * @return the type name
   */
  String type();

  /**
   * A TCP connect to {@code port}.
   *
   * @param port the port
   * @return the probe
   */
  static Probe tcp(int port) {
    return new Tcp(port);
  }

  /**
   * An HTTP GET of {@code path} on {@code port} answered with a 2xx or 3xx status.
   *
   * @param port the port
   * @param path the path, starting with {@code /}
   * @return the probe
   */
  static Probe http(int port, String path) {
    return new Http(port, path, false, null);
  }

  /**
   * A command run in the container that exits with 0.
   *
   * @param command the command and its arguments
   * @return the probe
   */
  static Probe exec(String... command) {
    return new Exec(List.of(command));
  }

  /**
   * A line of the container's output matching {@code regex}.
   *
   * @param regex a Java regular expression, matched with {@code find()}
   * @return the probe
   */
  static Probe logLine(String regex) {
    return new LogLine(regex);
  }

  /**
   * The WinRM listener of a Windows guest on port 5985 (HTTP).
   *
   * @return the probe
   */
  static Probe winRm() {
    return new WinRm(5985, false);
  }

  /**
   * The SSH server of a guest on port 22, answering with its {@code SSH-} banner.
   *
   * @return the probe
   */
  static Probe ssh() {
    return new Ssh(22);
  }

  /**
   * The VM's guest agent answering (qemu-guest-agent, VMware Tools, Nutanix Guest Tools).
   *
   * @return the probe
   */
  static Probe guestAgent() {
    return new GuestAgent();
  }

  /**
   * TCP connect.
   *
   * @param port the port
   * @since 0.1.0
   */
  record Tcp(int port) implements Probe {
    @Override
    public String type() {
      return "tcp";
    }
  }

  /**
   * HTTP(S) GET.
   *
   * @param port the port
   * @param path the path, starting with {@code /}
   * @param https whether to use TLS (certificates are not verified: lab services use self-signed
   *     ones)
   * @param expectedStatus the status code that counts as ready, or {@code null} for any 2xx or 3xx
   * @since 0.1.0
   */
  record Http(int port, String path, boolean https, @Nullable Integer expectedStatus)
      implements Probe {
    /**
     * Checks the components.
     *
     * @param port the port
     * @param path the path
     * @param https whether to use TLS
     * @param expectedStatus the status code that counts as ready, or {@code null}
     */
    public Http {
      requireNonNull(path, "path");
    }

    @Override
    public String type() {
      return "http";
    }

    /**
     * Whether {@code status} counts as ready.
     *
     * @param status an HTTP status code
     * @return true when it is the expected one, or any 2xx/3xx when none is expected
     */
    public boolean accepts(int status) {
      return expectedStatus == null ? status >= 200 && status < 400 : status == expectedStatus;
    }
  }

  /**
   * Command in the container, ready when it exits with 0.
   *
   * @param command the command and its arguments
   * @since 0.1.0
   */
  record Exec(List<String> command) implements Probe {
    /**
     * Copies the command.
     *
     * @param command the command and its arguments
     */
    public Exec {
      command = List.copyOf(command);
    }

    @Override
    public String type() {
      return "exec";
    }
  }

  /**
   * A line of output matching a regular expression.
   *
   * @param regex a Java regular expression, matched with {@code find()}
   * @since 0.1.0
   */
  record LogLine(String regex) implements Probe {
    /**
     * Checks the component.
     *
     * @param regex the expression
     */
    public LogLine {
      requireNonNull(regex, "regex");
    }

    @Override
    public String type() {
      return "logLine";
    }
  }

  /**
   * WinRM listener of a Windows guest.
   *
   * @param port 5985 for HTTP, 5986 for HTTPS
   * @param https whether the listener uses TLS
   * @since 0.1.0
   */
  record WinRm(int port, boolean https) implements Probe {
    @Override
    public String type() {
      return "winrm";
    }
  }

  /**
   * SSH server of a guest, ready when it sends its {@code SSH-} banner.
   *
   * @param port the port
   * @since 0.1.0
   */
  record Ssh(int port) implements Probe {
    @Override
    public String type() {
      return "ssh";
    }
  }

  /**
   * The guest agent answers.
   *
   * @since 0.1.0
   */
  record GuestAgent() implements Probe {
    @Override
    public String type() {
      return "guestAgent";
    }
  }
}
