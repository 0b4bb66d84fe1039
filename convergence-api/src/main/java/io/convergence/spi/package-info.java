/**
 * The service provider interface backends implement.
 *
 * <p>A backend module registers a {@link io.convergence.spi.BackendProvider} in {@code
 * META-INF/services/io.convergence.spi.BackendProvider}. The provider creates a {@link
 * io.convergence.spi.Backend} (one per client, holding the platform client shared by all its labs).
 * For each lab the runtime asks the backend for a {@link io.convergence.spi.BackendPlan} (pure: the
 * native objects it will send, and a capability check), then opens a {@link
 * io.convergence.spi.LabDriver} and drives it: {@code prepare}, then {@code create} and {@code
 * observe} per workload in dependency order, {@code destroy} on close or failure.
 *
 * <p>Division of work: the runtime owns ordering, parallelism, stage timeouts, reference
 * resolution, rollback, events and redaction; the backend owns the platform: what to send, how to
 * watch (or poll), how to map the platform's states to {@link io.convergence.spec.Stage stages},
 * and how to delete by ownership.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.spi;

import org.jspecify.annotations.NullMarked;
