package io.convergence.event;

/**
 * Receives a lab's events as they happen. Called from Convergence's threads: keep it quick and
 * thread-safe; an exception it throws is logged and otherwise ignored.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface LabListener {
  /**
   * Called for each event.
   *
   * @param event the event
   */
  void onEvent(LabEvent event);
}
