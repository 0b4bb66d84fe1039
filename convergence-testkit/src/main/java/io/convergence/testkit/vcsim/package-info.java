/**
 * vcsim, govmomi's vCenter simulator, started as a process for tests and the vCenter simulator
 * backend.
 *
 * @since 0.1.0
 */
package io.convergence.testkit.vcsim;
