/**
 * Backends on embedded simulators, for tests and demos without a cluster: {@code
 * kubevirt-simulator} runs the real KubeVirt backend against an in-process Kubernetes API server
 * driven by the testkit's fake virt-controller, CDI, snapshot controller and kubelet. Add this
 * module with test scope; {@code @ConvergenceLab(backend = "kubevirt-simulator")}, or autodetection
 * when no real cluster is configured, picks it.
 */
@NullMarked
package io.convergence.simulator;

import org.jspecify.annotations.NullMarked;
