package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A vim25 fault: from a SOAP fault envelope ({@code <detail><InvalidLoginFault
 * xsi:type="InvalidLogin"/></detail>} plus the {@code faultstring}), from a failed task's {@code
 * info.error} (a {@code LocalizedMethodFault}), or from a property the collector could not read.
 *
 * @param name the fault type, e.g. {@code InvalidLogin}, {@code NotAuthenticated}, {@code
 *     ManagedObjectNotFound}, {@code InvalidPowerState}, {@code DuplicateName}, {@code
 *     InvalidArgument}, {@code TaskInProgress}; when the server sent no typed detail, the SOAP
 *     {@code faultcode} (e.g. {@code ServerFaultCode})
 * @param message the {@code faultstring} or {@code localizedMessage} (may be empty)
 * @param detail the fault element with its fields (e.g. {@code existingState}, {@code
 *     invalidProperty}), or {@code null} when there is none
 * @since 0.1.0
 */
public record VimFault(String name, String message, @Nullable VimValue detail) {

  /** The fault a vCenter sends when the session is gone (expired, or logged out): {@value}. */
  public static final String NOT_AUTHENTICATED = "NotAuthenticated";

  /** The fault for a wrong user name or password: {@value}. */
  public static final String INVALID_LOGIN = "InvalidLogin";

  /**
   * Checks the components.
   *
   * @param name the fault type
   * @param message the message
   * @param detail the detail, or {@code null}
   */
  public VimFault {
    requireNonNull(name, "name");
    requireNonNull(message, "message");
  }

  /**
   * Whether this fault has the given type name.
   *
   * @param faultName a vim25 fault type, e.g. {@code InvalidPowerState}
   * @return whether the names are equal
   */
  public boolean is(String faultName) {
    return name.equals(faultName);
  }

  /**
   * The text of one field of the fault, e.g. {@code invalidProperty} of {@code InvalidArgument} or
   * {@code existingState} of {@code InvalidPowerState}.
   *
   * @param field the field's element name
   * @return its text, if the fault has it
   */
  public Optional<String> field(String field) {
    return detail == null ? Optional.empty() : detail.childText(field);
  }
}
