/**
 * Simulators of a Kubernetes cluster's moving parts, for any fabric8 client: {@link
 * io.convergence.testkit.kubernetes.FakeKubelet} (scheduler and kubelet for Pods), {@link
 * io.convergence.testkit.kubernetes.FakeVolumeProvisioner} (binds PersistentVolumeClaims), an
 * in-process API server ({@link io.convergence.testkit.kubernetes.EmbeddedKubernetes}, fabric8's
 * CRUD mock with fault injection and request counting) and a launcher of a real kube-apiserver
 * ({@link io.convergence.testkit.kubernetes.KubeApiServer}). Faults and latencies are set per
 * workload, the value of the {@value io.convergence.testkit.kubernetes.Faults#WORKLOAD_LABEL}
 * label.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.kubernetes;

import org.jspecify.annotations.NullMarked;
