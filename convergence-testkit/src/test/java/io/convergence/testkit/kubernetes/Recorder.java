package io.convergence.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Records, through an informer, the successive states of the objects of one name, as a test client
 * would observe them: each add or change is described by a function, consecutive equal descriptions
 * are folded, a deletion is recorded as {@code DELETED}.
 */
public final class Recorder<T extends HasMetadata> implements AutoCloseable {

  /** Generous safety net for waits; tests assert order and final state, never timing. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final SharedIndexInformer<T> informer;
  private final List<String> states = new ArrayList<>();
  private volatile T last;

  private Recorder(Informable<T> source, Predicate<T> filter, Function<T, String> describe) {
    this.informer =
        source.inform(
            new ResourceEventHandler<T>() {
              @Override
              public void onAdd(T obj) {
                record(obj, filter, describe);
              }

              @Override
              public void onUpdate(T oldObj, T newObj) {
                record(newObj, filter, describe);
              }

              @Override
              public void onDelete(T obj, boolean unknown) {
                if (filter.test(obj)) {
                  synchronized (states) {
                    states.add("DELETED");
                  }
                  last = null;
                }
              }
            },
            0);
  }

  /**
   * Records the objects of one name.
   *
   * @param source the informable resource (namespace scoped)
   * @param name the name
   * @param describe what to record of each state
   * @return the running recorder
   */
  public static <T extends HasMetadata> Recorder<T> of(
      Informable<T> source, String name, Function<T, String> describe) {
    return new Recorder<>(source, o -> name.equals(o.getMetadata().getName()), describe);
  }

  /**
   * Records the objects matching a filter.
   *
   * @param source the informable resource
   * @param filter which objects
   * @param describe what to record of each state
   * @return the running recorder
   */
  public static <T extends HasMetadata> Recorder<T> matching(
      Informable<T> source, Predicate<T> filter, Function<T, String> describe) {
    return new Recorder<>(source, filter, describe);
  }

  private void record(T obj, Predicate<T> filter, Function<T, String> describe) {
    if (!filter.test(obj)) {
      return;
    }
    String d = describe.apply(obj);
    synchronized (states) {
      if (states.isEmpty() || !Objects.equals(states.get(states.size() - 1), d)) {
        states.add(d);
      }
    }
    last = obj;
  }

  /** The states seen so far. */
  public List<String> states() {
    synchronized (states) {
      return List.copyOf(states);
    }
  }

  /** The last state of the object, or null when deleted or never seen. */
  public T last() {
    return last;
  }

  /** Waits until some recorded state equals {@code state}. */
  public Recorder<T> awaitState(String state) {
    await(() -> states().contains(state), "state " + state + " in " + this);
    return this;
  }

  /** Waits until the last object matches. */
  public T await(Predicate<T> condition, String what) {
    await(
        () -> {
          T l = last;
          return l != null && condition.test(l);
        },
        what + " (states so far: " + states() + ")");
    return last;
  }

  /** Polls a condition until true, failing after {@link #TIMEOUT}. */
  public static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  /**
   * Waits until the recorded states contain these, in this order (others may come between), then
   * asserts it; the recorder's informer may lag behind a client's GET.
   */
  public void assertSequence(String... expected) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (isSubsequence(states(), List.of(expected))) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertThat(states()).containsSubsequence(expected);
  }

  private static boolean isSubsequence(List<String> actual, List<String> expected) {
    int i = 0;
    for (String a : actual) {
      if (i < expected.size() && expected.get(i).equals(a)) {
        i++;
      }
    }
    return i == expected.size();
  }

  @Override
  public void close() {
    informer.stop();
  }

  @Override
  public String toString() {
    return states().toString();
  }
}
