package io.convergence.internal.runtime;

import io.convergence.event.LabEvent;
import io.convergence.event.LabListener;
import io.convergence.spec.Stage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a lab's timeline and hands each event to the listeners, in one order for everyone: events
 * are emitted under a lock, so the timeline and every listener see the same sequence.
 */
final class EventBus {
  private static final Logger log = LoggerFactory.getLogger(EventBus.class);

  private final String labId;
  private final Clock clock;
  private final List<LabListener> listeners;
  private final Redactor redactor;
  private final Instant started;
  private final List<LabEvent> timeline = new ArrayList<>();

  EventBus(String labId, Clock clock, List<LabListener> listeners, Redactor redactor) {
    this.labId = labId;
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
    this.redactor = redactor;
    this.started = clock.instant();
  }

  Clock clock() {
    return clock;
  }

  Instant started() {
    return started;
  }

  void lab(LabEvent.Type type, String message) {
    emit(type, null, null, Duration.between(started, clock.instant()), message);
  }

  void workload(
      LabEvent.Type type,
      String workload,
      @Nullable Stage stage,
      Duration elapsed,
      String message) {
    emit(type, workload, stage, elapsed, message);
  }

  private synchronized void emit(
      LabEvent.Type type,
      @Nullable String workload,
      @Nullable Stage stage,
      Duration elapsed,
      String message) {
    LabEvent event =
        new LabEvent(
            clock.instant(), labId, type, workload, stage, elapsed, redactor.scrub(message));
    timeline.add(event);
    for (LabListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("Lab listener {} failed on {}: {}", l, event.type(), e.toString());
      }
    }
  }

  synchronized List<LabEvent> timeline() {
    return List.copyOf(timeline);
  }
}
