package io.convergence.vsphere.vim;

import org.jspecify.annotations.Nullable;

/**
 * No usable answer from vCenter: the connection failed or timed out, TLS verification refused the
 * server's certificate, the HTTP status was not a SOAP one, or the body was not a SOAP envelope.
 * Reads are retried a bounded number of times before this is thrown; calls that change state are
 * not retried, so after such a failure the change may or may not have happened.
 *
 * @since 0.1.0
 */
public class VimTransportException extends VimException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param operation the vim25 method or request
   * @param statusCode the HTTP status, or -1 when there was no response
   * @param message what went wrong
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public VimTransportException(
      String operation, int statusCode, String message, String hint, @Nullable Throwable cause) {
    super(operation, statusCode, null, message, hint, cause);
  }
}
