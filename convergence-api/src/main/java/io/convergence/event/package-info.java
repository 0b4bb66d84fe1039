/**
 * What happens to a lab, as events: planned, each workload reaching each readiness stage with its
 * timing, ready, failed, rolled back, torn down. {@link io.convergence.event.LoggingLabListener}
 * logs one line per milestone.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.event;

import org.jspecify.annotations.NullMarked;
