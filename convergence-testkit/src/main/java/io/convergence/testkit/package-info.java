/**
 * The backend contract suite: {@link io.convergence.testkit.AbstractBackendContractTest} is the
 * test class every backend extends, through a {@link io.convergence.testkit.ContractTarget} that
 * gives the suite a client of the platform under test and a view into it (objects, request count,
 * fault injection).
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit;

import org.jspecify.annotations.NullMarked;
