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
  private final boolean reuse;
  private final List<LabListener> listeners;

  private StartOptions(Builder b) {
    this.keepOnFailure = b.keepOnFailure;
    this.reuse = b.reuse;
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
   * Whether the lab may be reused: a running lab of the same spec and owner, started with reuse and
   * not about to expire, is adopted instead of created; a lab of the same name and owner with
   * another spec is superseded (removed); closing the lab leaves it running for the next run, until
   * its TTL ends. See {@link Ownership#REUSE_RUN_ID}.
   *
   * @return true to reuse
   */
  public boolean reuse() {
    return reuse;
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
    private boolean reuse;
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
     * Reuses a running lab of the same spec and owner across test classes and runs, and leaves this
     * one running when it is closed (until its TTL ends). See {@link StartOptions#reuse()}.
     *
     * @param reuse true to reuse
     * @return this builder
     */
    public Builder reuse(boolean reuse) {
      this.reuse = reuse;
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
