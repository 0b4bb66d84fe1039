/**
 * The KubeVirt backend ({@code kubevirt}): VMs as {@code kubevirt.io/v1} VirtualMachines next to
 * Pods on the same cluster, shared volumes through virtiofs or an in-lab file server, snapshots
 * through {@code snapshot.kubevirt.io}. Typed options: {@link
 * io.convergence.kubevirt.KubeVirtOptions}.
 *
 * <p>Settings (under {@code convergence.kubevirt.}): {@code kubeconfig}, {@code context}, {@code
 * namespace} (one namespace for every lab instead of one per lab), {@code storage-class}
 * (ReadWriteMany class for shared volumes), {@code golden-image-namespace} (where DataSources of
 * named images live, default {@code kubevirt-os-images}), {@code shared-volumes} ({@code auto},
 * {@code virtiofs} or {@code file-server}), {@code nfs-server-image}, {@code smb-server-image},
 * {@code linux-file-protocol} ({@code smb}, the default, or {@code nfs}, whose kernel server needs
 * privileged pods), {@code cluster-domain}, {@code exec-timeout}, {@code request-retries}, {@code
 * insecure-skip-tls-verify}.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.kubevirt;

import org.jspecify.annotations.NullMarked;
