/**
 * The container plane every Kubernetes-based backend shares (KubeVirt, VCF Supervisor, and the
 * container side of vCenter and Nutanix labs): a namespace per lab, containers as Pods, a Service
 * per workload with exposed ports (its DNS name is the workload's name), Secrets for secret
 * environment values and user data, RWX PersistentVolumeClaims for shared volumes; readiness from
 * one informer per kind per lab; exec, logs and port-forwarding; teardown and sweep by ownership
 * labels.
 *
 * <p>It uses only what the fabric8 CRUD mock and a real API server do alike: create, get, list,
 * watch, delete, JSON patch and equality label selectors.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.kubernetes;

import org.jspecify.annotations.NullMarked;
