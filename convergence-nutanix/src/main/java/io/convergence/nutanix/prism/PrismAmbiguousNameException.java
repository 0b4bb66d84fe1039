package io.convergence.nutanix.prism;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * More than one entity has the name looked up (e.g. two subnets named {@code vlan0} on different
 * clusters); the message lists their extIds. Look the entity up by extId, or narrow the lookup
 * (e.g. {@link PrismClient#findSubnet(String, String)}).
 *
 * @since 0.1.0
 */
public class PrismAmbiguousNameException extends PrismException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param operation what the client was doing
   * @param call the HTTP request that failed, or {@code null}
   * @param httpStatus the HTTP status, or -1
   * @param messages the platform's messages, may be empty
   * @param message what went wrong when {@code messages} is empty (or a summary before them)
   * @param hint what to check next, or empty
   * @param cause the cause, or {@code null}
   */
  public PrismAmbiguousNameException(
      String operation,
      @Nullable PrismCall call,
      int httpStatus,
      List<PrismErrorMessage> messages,
      String message,
      String hint,
      @Nullable Throwable cause) {
    super(operation, call, httpStatus, messages, message, hint, cause);
  }
}
