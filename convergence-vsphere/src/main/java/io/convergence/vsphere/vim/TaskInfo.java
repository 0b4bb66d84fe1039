package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A task's state as the task waiter reads it ({@code info.state}, {@code info.error}, {@code
 * info.result}).
 *
 * @param task the task
 * @param state the state
 * @param error the fault when the state is {@link State#ERROR}, else {@code null}
 * @param result the result when the task has one (e.g. the new VM of {@code CloneVM_Task}), else
 *     {@code null}
 * @since 0.1.0
 */
public record TaskInfo(
    ManagedObjectReference task, State state, @Nullable VimFault error, @Nullable VimValue result) {

  /**
   * Checks the components.
   *
   * @param task the task
   * @param state the state
   * @param error the fault, or {@code null}
   * @param result the result, or {@code null}
   */
  public TaskInfo {
    requireNonNull(task, "task");
    requireNonNull(state, "state");
  }

  /**
   * The task's fault.
   *
   * @return the fault, when the task failed
   */
  public Optional<VimFault> fault() {
    return Optional.ofNullable(error);
  }

  /**
   * The task's result.
   *
   * @return the result, when the task has one
   */
  public Optional<VimValue> resultValue() {
    return Optional.ofNullable(result);
  }

  /**
   * The result as a managed object reference (clone, create snapshot, create VM).
   *
   * @return the reference, when the result is one
   */
  public Optional<ManagedObjectReference> resultReference() {
    return resultValue().filter(VimValue::isReference).map(VimValue::asReference);
  }

  /** A task's state ({@code TaskInfoState}). */
  public enum State {
    /** Waiting to run. */
    QUEUED("queued"),
    /** Running. */
    RUNNING("running"),
    /** Finished successfully. */
    SUCCESS("success"),
    /** Finished with an error. */
    ERROR("error");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    /**
     * The name on the wire, e.g. {@code running}.
     *
     * @return the name
     */
    public String wireName() {
      return wireName;
    }

    /**
     * Whether the task has finished.
     *
     * @return whether the state is success or error
     */
    public boolean isDone() {
      return this == SUCCESS || this == ERROR;
    }

    /**
     * Parses a wire name.
     *
     * @param wire e.g. {@code success}
     * @return the state
     * @throws IllegalArgumentException for an unknown name
     */
    public static State fromWire(String wire) {
      for (State s : values()) {
        if (s.wireName.equals(wire)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown TaskInfoState: " + wire);
    }
  }
}
