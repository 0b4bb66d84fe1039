package io.convergence.vsphere.vim;

import io.convergence.BackendException;
import org.jspecify.annotations.Nullable;

/**
 * Something went wrong talking vim25 to vCenter. The subtypes say what: {@link VimFaultException}
 * (vCenter answered with a fault, or a task failed), {@link VimTransportException} (no usable
 * answer), {@link VimTaskTimeoutException} (a task did not finish in time). Messages never contain
 * passwords or session cookies.
 *
 * @since 0.1.0
 */
public class VimException extends BackendException {
  private static final long serialVersionUID = 1L;

  /** The backend id these exceptions carry: {@value}. */
  public static final String BACKEND_ID = "vcenter";

  /**
   * Creates the exception.
   *
   * @param operation the vim25 method or client operation, e.g. {@code CloneVM_Task}
   * @param statusCode the HTTP status, or -1
   * @param platformCode the fault name, or {@code null}
   * @param platformMessage what vCenter or the transport said
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public VimException(
      String operation,
      int statusCode,
      @Nullable String platformCode,
      String platformMessage,
      String hint,
      @Nullable Throwable cause) {
    super(BACKEND_ID, operation, statusCode, platformCode, platformMessage, hint, cause);
  }
}
