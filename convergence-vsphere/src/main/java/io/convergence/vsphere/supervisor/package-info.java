/**
 * The VMware VCF Supervisor backend ({@code vsphere-supervisor}): VMs through the vSphere VM
 * Service (vm-operator) next to containers as Pods in one vSphere Namespace. Start with {@link
 * io.convergence.vsphere.supervisor.SupervisorBackendProvider}; per-VM options are {@link
 * io.convergence.vsphere.supervisor.SupervisorOptions}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.vsphere.supervisor;

import org.jspecify.annotations.NullMarked;
