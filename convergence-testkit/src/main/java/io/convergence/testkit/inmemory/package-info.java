/**
 * An in-memory platform and the backend that uses it: a store of objects with labels, watches, a
 * controller that moves workloads through their readiness stages with configurable latencies, fault
 * injection and a count of the requests it received. Users can test code built on Convergence
 * without any cluster.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.inmemory;

import org.jspecify.annotations.NullMarked;
