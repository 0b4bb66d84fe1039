package io.convergence.vsphere.vcenter.internal;

import io.convergence.kubernetes.Observation;
import io.convergence.spec.Stage;
import org.jspecify.annotations.Nullable;

/**
 * Maps what the property collector says about a cloned VM to the highest stage reached:
 *
 * <ul>
 *   <li>{@code CREATED}: the clone task finished (the VM exists);
 *   <li>{@code SCHEDULED}: it is placed ({@code runtime.host} is set);
 *   <li>{@code RUNNING}: {@code runtime.powerState} is {@code poweredOn};
 *   <li>{@code NETWORK}: {@code guest.ipAddress} is set (VMware Tools reports it; vcsim takes it
 *       from the {@code SET.guest.ipAddress} extraConfig key);
 *   <li>{@code GUEST}: {@code guest.toolsRunningStatus} is {@code guestToolsRunning}, when a guest
 *       agent is expected;
 *   <li>{@code PROBE}: a TCP connect to the guest IP succeeded on every probed port, when probes
 *       are declared.
 * </ul>
 */
final class VimStatusToStage {

  private VimStatusToStage() {}

  /**
   * What one poll saw.
   *
   * @param exists whether the clone exists
   * @param powerState {@code runtime.powerState}, or {@code null}
   * @param host {@code runtime.host} (its reference value), or {@code null}
   * @param ip {@code guest.ipAddress}, or {@code null}
   * @param toolsRunningStatus {@code guest.toolsRunningStatus}, or {@code null}
   * @param guestExpected whether the plan waits for the guest agent
   * @param probeExpected whether the plan waits for probes
   * @param probeOk whether the probes succeeded on this poll
   */
  record Seen(
      boolean exists,
      @Nullable String powerState,
      @Nullable String host,
      @Nullable String ip,
      @Nullable String toolsRunningStatus,
      boolean guestExpected,
      boolean probeExpected,
      boolean probeOk) {}

  static Observation observe(Seen s) {
    if (!s.exists()) {
      return Observation.NOTHING;
    }
    if (s.host() == null || s.host().isEmpty()) {
      return Observation.reached(Stage.CREATED, "clone done");
    }
    if (!"poweredOn".equals(s.powerState())) {
      return Observation.reached(Stage.SCHEDULED, "host " + s.host());
    }
    if (s.ip() == null || s.ip().isEmpty()) {
      return Observation.reached(Stage.RUNNING, "powered on on host " + s.host());
    }
    if (s.guestExpected()) {
      if (!"guestToolsRunning".equals(s.toolsRunningStatus())) {
        return Observation.reached(Stage.NETWORK, "IP " + s.ip());
      }
      if (!s.probeExpected() || !s.probeOk()) {
        return Observation.reached(Stage.GUEST, "VMware Tools running, IP " + s.ip());
      }
      return Observation.reached(Stage.PROBE, "probes answered at " + s.ip());
    }
    if (s.probeExpected() && s.probeOk()) {
      return Observation.reached(Stage.PROBE, "probes answered at " + s.ip());
    }
    return Observation.reached(Stage.NETWORK, "IP " + s.ip());
  }
}
