/**
 * A simulator of the vSphere Supervisor's VM Service (vmware-tanzu/vm-operator) for any fabric8
 * client: {@link io.convergence.testkit.vmoperator.FakeVmOperatorController} (VirtualMachine,
 * VirtualMachineService, VirtualMachineSnapshot), wired together with the Kubernetes simulators and
 * seeded VirtualMachineClasses and images by {@link
 * io.convergence.testkit.vmoperator.VmOperatorSimulator}, and {@link
 * io.convergence.testkit.vmoperator.EmbeddedVmOperator}, an in-process Supervisor namespace API for
 * tests.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.vmoperator;

import org.jspecify.annotations.NullMarked;
