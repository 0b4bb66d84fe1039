/**
 * An in-process fake of the Prism Central v4 REST API (Nutanix), built on the JDK's HTTP server,
 * for testing the Nutanix backend and its client without a Prism Central. It speaks the subset of
 * the API written down in {@code docs/nutanix-prism-v4-wire.md}: VMs (create, get, list, update,
 * delete, power on and off, revert), images, subnets, clusters, categories, tasks and recovery
 * points, with asynchronous tasks, ETag and {@code If-Match} concurrency, {@code NTNX-Request-Id}
 * idempotency, Basic and API-key authentication with session cookies, schema validation and
 * scriptable faults.
 *
 * <p>Start with {@link io.convergence.testkit.prism.FakePrismCentral#builder()}; script faults with
 * {@link io.convergence.testkit.prism.PrismFaults}; inspect what clients sent with {@link
 * io.convergence.testkit.prism.RecordedRequest} and the entity snapshots ({@link
 * io.convergence.testkit.prism.PrismVm}, {@link io.convergence.testkit.prism.PrismTask}, ...).
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.prism;

import org.jspecify.annotations.NullMarked;
