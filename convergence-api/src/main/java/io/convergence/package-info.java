/**
 * Convergence: converged test labs of VMs and containers on KubeVirt, VMware and Nutanix through
 * one API.
 *
 * <p>Start with {@link io.convergence.Convergence}: pick a backend, {@link
 * io.convergence.Convergence#start(io.convergence.spec.LabSpec) start} a {@link
 * io.convergence.spec.LabSpec}, use the {@link io.convergence.Lab}'s {@link io.convergence.Workload
 * workloads}, and close the lab.
 *
 * <pre>{@code
 * try (Lab lab = Convergence.backend("kubevirt").start(spec)) {
 *   lab.workload("analysis").exec("python", "-c", "print(1)");
 * }
 * }</pre>
 *
 * <p>Every exception is a {@link io.convergence.ConvergenceException}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence;

import org.jspecify.annotations.NullMarked;
