package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

/**
 * The session {@code Login} opened. The session key is deliberately not kept: on some servers it
 * equals the session cookie, which must not leak into logs.
 *
 * @param userName the user, as vCenter spells it (e.g. {@code VSPHERE.LOCAL\lab})
 * @param fullName the user's full name
 * @since 0.1.0
 */
public record UserSession(String userName, String fullName) {
  /**
   * Checks the components.
   *
   * @param userName the user
   * @param fullName the full name
   */
  public UserSession {
    requireNonNull(userName, "userName");
    requireNonNull(fullName, "fullName");
  }
}
