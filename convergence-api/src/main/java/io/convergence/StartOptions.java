package io.convergence;

import static java.util.Objects.requireNonNull;

import io.convergence.event.LabListener;
import java.util.ArrayList;
import java.util.List;

/**
 * How one lab is started.
 *
 * @since 0.1.0
 */
public final class StartOptions {

  /** Default options: roll back on failure, no extra listeners. */
  public static final StartOptions DEFAULTS = builder().build();

  private final boolean keepOnFailure;
  private final List<LabListener> listeners;

  private StartOptions(Builder b) {
    this.keepOnFailure = b.keepOnFailure;
    this.listeners = List.copyOf(b.listeners);
  }

  /**
   * A new builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether a lab that fails to start is kept for inspection (until its TTL ends) instead of rolled
   * back.
   *
   * @return true to keep it
   */
  public boolean keepOnFailure() {
    return keepOnFailure;
  }

  /**
   * Listeners of this lab's events, in addition to the client's.
   *
   * @return the listeners
   */
  public List<LabListener> listeners() {
    return listeners;
  }

  /**
   * Builds {@link StartOptions}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private boolean keepOnFailure;
    private final List<LabListener> listeners = new ArrayList<>();

    private Builder() {}

    /**
     * Keeps a lab that fails to start, until its TTL ends, instead of rolling it back.
     *
     * @param keep true to keep it
     * @return this builder
     */
    public Builder keepOnFailure(boolean keep) {
      this.keepOnFailure = keep;
      return this;
    }

    /**
     * Adds a listener of this lab's events.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(LabListener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     */
    public StartOptions build() {
      return new StartOptions(this);
    }
  }
}
