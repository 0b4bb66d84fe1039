package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * vCenter refused a call with a SOAP fault, or a task ended in error. {@link #faultName()} is the
 * vim25 fault type ({@code InvalidLogin}, {@code NotAuthenticated}, {@code ManagedObjectNotFound},
 * {@code InvalidPowerState}, {@code DuplicateName}, {@code InvalidArgument}, {@code
 * TaskInProgress}, ...), {@link #faultString()} vCenter's message.
 *
 * @since 0.1.0
 */
public class VimFaultException extends VimException {
  private static final long serialVersionUID = 1L;

  private static final Map<String, String> HINTS =
      Map.of(
          "InvalidLogin", "the user name and password (the account may also be locked)",
          "NotAuthenticated", "the session expired or was logged out; log in again",
          "ManagedObjectNotFound", "the object was deleted meanwhile, or the reference is stale",
          "InvalidPowerState", "the VM's power state (e.g. power it off before destroying it)",
          "DuplicateName", "an object with this name already exists in the folder",
          "InvalidArgument", "the argument named by invalidProperty",
          "TaskInProgress", "another task is running on the object; retry when it is done",
          "NoPermission", "the privileges of the user on the object");

  private final transient VimFault fault;
  private final transient @Nullable ManagedObjectReference task;

  /**
   * Creates the exception.
   *
   * @param operation the vim25 method, e.g. {@code Login}, or the task's operation
   * @param statusCode the HTTP status of a SOAP fault (500 on vCenter), or -1 for a task error
   * @param fault the fault
   * @param task the failed task, or {@code null} for a SOAP fault
   */
  public VimFaultException(
      String operation, int statusCode, VimFault fault, @Nullable ManagedObjectReference task) {
    super(
        task == null ? operation : operation + " (" + task + ")",
        statusCode,
        requireNonNull(fault, "fault").name(),
        fault.message().isEmpty() ? "(no message)" : fault.message(),
        hint(fault),
        null);
    this.fault = fault;
    this.task = task;
  }

  private static String hint(VimFault fault) {
    String hint = HINTS.getOrDefault(fault.name(), "");
    if (fault.is("InvalidArgument")) {
      return fault.field("invalidProperty").map(p -> "the argument " + p).orElse(hint);
    }
    return hint;
  }

  /**
   * The vim25 fault type, e.g. {@code InvalidPowerState}.
   *
   * @return the name
   */
  public String faultName() {
    return fault.name();
  }

  /**
   * vCenter's message: the SOAP {@code faultstring}, or the task error's {@code localizedMessage}.
   *
   * @return the message, possibly empty
   */
  public String faultString() {
    return fault.message();
  }

  /**
   * The whole fault, with its fields.
   *
   * @return the fault
   */
  public VimFault fault() {
    return fault;
  }

  /**
   * The task that failed, for task errors.
   *
   * @return the task, or empty for a SOAP fault
   */
  public Optional<ManagedObjectReference> task() {
    return Optional.ofNullable(task);
  }

  /**
   * Whether the fault has the given name.
   *
   * @param faultName a vim25 fault type
   * @return whether it has
   */
  public boolean is(String faultName) {
    return fault.is(faultName);
  }
}
