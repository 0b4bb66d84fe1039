/**
 * The Nutanix AHV backend ({@link io.convergence.nutanix.NutanixBackendProvider}, id {@code
 * nutanix}): VMs through Prism Central v4, containers on a Kubernetes cluster.
 *
 * @since 0.1.0
 */
package io.convergence.nutanix;
