/**
 * The lab runtime: validation, planning, dependency-ordered parallel provisioning, staged readiness
 * with per-stage timeouts, reference resolution, rollback, teardown, events and redaction. No
 * compatibility promise.
 */
@NullMarked
package io.convergence.internal.runtime;

import org.jspecify.annotations.NullMarked;
