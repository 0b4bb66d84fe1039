package io.convergence.testkit.inmemory;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An object stored by the {@link InMemoryPlatform}: a kind, a name unique per kind and lab, labels,
 * the spec the client sent, and the status the platform's controller writes. Immutable; the
 * platform replaces it on change.
 *
 * @param kind e.g. {@code Lab}, {@code Volume}, {@code VirtualMachine}, {@code Container}, {@code
 *     Secret}
 * @param name the name
 * @param labels labels, including ownership
 * @param spec what the client sent
 * @param status what the platform reports
 * @param resourceVersion increases on every change
 * @param terminating whether deletion has started
 * @since 0.1.0
 */
public record InMemoryObject(
    String kind,
    String name,
    Map<String, String> labels,
    Map<String, Object> spec,
    Map<String, Object> status,
    long resourceVersion,
    boolean terminating) {

  /**
   * Checks and copies the components.
   *
   * @param kind the kind
   * @param name the name
   * @param labels labels
   * @param spec the spec
   * @param status the status
   * @param resourceVersion the version
   * @param terminating whether deletion has started
   */
  public InMemoryObject {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    labels = Map.copyOf(labels);
    spec = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spec));
    status = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(status));
  }

  /**
   * {@code kind/name}.
   *
   * @return the reference
   */
  public String ref() {
    return kind + "/" + name;
  }

  /**
   * A label.
   *
   * @param key the key
   * @return the value
   */
  public Optional<String> label(String key) {
    return Optional.ofNullable(labels.get(key));
  }

  /**
   * A status field.
   *
   * @param key the field
   * @return the value
   */
  public Optional<Object> statusField(String key) {
    return Optional.ofNullable(status.get(key));
  }

  InMemoryObject withStatus(Map<String, Object> newStatus, long version) {
    return new InMemoryObject(kind, name, labels, spec, newStatus, version, terminating);
  }

  InMemoryObject terminating(long version) {
    return new InMemoryObject(kind, name, labels, spec, status, version, true);
  }
}
