/**
 * The lab model: a {@link io.convergence.spec.LabSpec} of named VM and container workloads, shared
 * volumes, labels and a TTL.
 *
 * <p>Every type here is immutable, built with a builder or a static factory, and free of any
 * backend or serialization library. Builders check only for {@code null}; {@link
 * io.convergence.spec.LabSpec#validate()} checks everything else and reports every problem with its
 * field path, before any backend is called.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.spec;

import org.jspecify.annotations.NullMarked;
