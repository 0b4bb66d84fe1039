/**
 * Simulators of KubeVirt and CDI for any fabric8 client: {@link
 * io.convergence.testkit.kubevirt.FakeVirtController} (virt-controller and virt-handler), {@link
 * io.convergence.testkit.kubevirt.FakeCdiController} (DataVolumes, golden-image DataSources),
 * {@link io.convergence.testkit.kubevirt.FakeSnapshotController} (VirtualMachineSnapshot and
 * VirtualMachineRestore), wired together with the Kubernetes simulators by {@link
 * io.convergence.testkit.kubevirt.KubeVirtSimulator}, and {@link
 * io.convergence.testkit.kubevirt.EmbeddedKubeVirt}, an in-process KubeVirt cluster for tests and
 * demos.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.kubevirt;

import org.jspecify.annotations.NullMarked;
