package io.convergence.spi;

import io.convergence.Feature;
import io.convergence.SweepReport;
import io.convergence.SweepRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One backend instance: a platform client shared by all labs of a {@code Convergence} client.
 * Thread-safe.
 *
 * @since 0.1.0
 */
public interface Backend extends AutoCloseable {

  /**
   * The backend's id, as its provider's.
   *
   * @return the id
   */
  String id();

  /**
   * What the backend can do; the runtime checks a spec against it before {@link
   * #plan(PlanRequest)}.
   *
   * @return the features
   */
  Set<io.convergence.Feature> features();

  /**
   * Plans a lab: maps every workload to the native objects the backend will send, adds auxiliary
   * workloads (such as an in-lab file server), and rejects what it cannot honour. May read the
   * platform (discovery, capability probes, image lookups) but must not change anything.
   *
   * @param request the validated spec, with secrets readable, and the lab's ownership
   * @return the plan
   * @throws io.convergence.InvalidLabSpecException listing every field the backend cannot honour,
   *     with the alternative
   */
  BackendPlan plan(PlanRequest request);

  /**
   * Opens a driver for one lab. Must not contact the platform; the runtime calls {@link
   * LabDriver#prepare()} next.
   *
   * @param plan the plan this backend made
   * @return the driver
   */
  LabDriver open(BackendPlan plan);

  /**
   * Finds labs by their ownership labels across everything this backend can see, and removes those
   * matching {@code request} (unless it is a dry run), waiting until they are gone.
   *
   * @param request which labs
   * @param now the current time, for expiry
   * @return what was found and removed
   */
  SweepReport sweep(SweepRequest request, Instant now);

  /**
   * The native client, e.g. a fabric8 {@code KubernetesClient}.
   *
   * @param type the client type
   * @param <T> the client type
   * @return the client, or empty when {@code type} is not supported
   */
  default <T> Optional<T> unwrap(Class<T> type) {
    return Optional.empty();
  }

  /**
   * The types {@link #unwrap(Class)} supports, for messages.
   *
   * @return the types
   */
  default List<Class<?>> unwrapTypes() {
    return List.of();
  }

  /** Releases the platform client. Labs still open are not removed: they expire by TTL. */
  @Override
  void close();

  /**
   * Whether this backend supports a feature.
   *
   * @param feature the feature
   * @return true when supported
   */
  default boolean supports(Feature feature) {
    return features().contains(feature);
  }
}
