/**
 * Plumbing shared by the Kubernetes simulators: a work queue, a controller base with informers and
 * per-step latencies, JSON map helpers and condition lists. No compatibility promise.
 */
@NullMarked
package io.convergence.testkit.kubernetes.internal;

import org.jspecify.annotations.NullMarked;
