/**
 * The lab benchmark: a plain harness (not JMH: a lab takes seconds, not nanoseconds) that
 * provisions labs of growing size on the embedded KubeVirt simulator with a fixed simulated
 * readiness latency and reports SDK overhead, requests, watches, threads and heap.
 */
@NullMarked
package io.convergence.benchmark;

import org.jspecify.annotations.NullMarked;
