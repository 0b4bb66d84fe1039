/**
 * The lab benchmark: a plain harness (not JMH: a lab takes seconds, not nanoseconds) that
 * provisions labs of growing size on a simulated platform with a fixed simulated readiness latency
 * (the embedded KubeVirt simulator, or the fake Prism Central plus a fake container cluster for the
 * Nutanix backend) and reports SDK overhead, requests, watches, threads and heap.
 */
@NullMarked
package io.convergence.benchmark;

import org.jspecify.annotations.NullMarked;
