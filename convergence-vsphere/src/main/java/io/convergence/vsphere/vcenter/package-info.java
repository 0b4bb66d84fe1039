/**
 * The classic vCenter backend, {@code vsphere-vcenter}: VMs cloned from vCenter templates through
 * the vim25 API ({@link io.convergence.vsphere.vim}), containers as Pods on a Kubernetes cluster
 * given by {@code kubeconfig}. Settings are listed on {@link
 * io.convergence.vsphere.vcenter.VCenterBackendProvider}; per-VM options are {@link
 * io.convergence.vsphere.vcenter.VCenterOptions}.
 *
 * <h2>How a lab maps onto vCenter</h2>
 *
 * <ul>
 *   <li>Each lab gets a VM folder named after its lab id, below the {@code folder} setting. Every
 *       VM carries the lab's ownership labels (and its workload name) as custom attributes named
 *       after the label keys ({@code convergence.io/lab-id}, ...). Sweep lists the lab folders,
 *       reads the owner from the custom attributes of their VMs, and removes matching folders.
 *   <li>A VM is a clone of the template named by its image ({@code VmImage.named}), looked up in
 *       {@code template-folder}; a missing template is a plan-time error listing the templates
 *       there. The clone is full unless {@link
 *       io.convergence.vsphere.vcenter.VCenterOptions#linkedClone()} asks for a linked one, which
 *       needs a snapshot on the template (no silent full copy: a template without one fails the VM,
 *       and a server that makes a full copy anyway is reported in the workload's details).
 *   <li>After the clone, {@code ReconfigVM_Task} sets vCPUs, memory and, for Linux guests,
 *       cloud-init's {@code guestinfo.userdata}/{@code guestinfo.metadata}; then the VM is powered
 *       on.
 *   <li>Stages: CREATED (clone done), SCHEDULED ({@code runtime.host} set), RUNNING (powered on),
 *       NETWORK ({@code guest.ipAddress}), GUEST (VMware Tools running, when a guest agent is
 *       expected), PROBE (a TCP connect to the guest IP for tcp, ssh and winrm probes). They are
 *       read by polling the property collector with backoff: the vim25 client does not implement
 *       {@code WaitForUpdatesEx} yet.
 *   <li>Teardown powers off and destroys every VM of the lab folder, then the folder, and waits
 *       until it is gone.
 * </ul>
 *
 * <h2>Not supported yet</h2>
 *
 * <ul>
 *   <li>Sysprep for Windows guests: it needs a {@code CustomizationSpec} on the clone, which the
 *       vim25 client does not send; a spec with {@code sysprep} is refused at plan time (Windows
 *       templates that are already generalised work). vcsim ignores customization anyway, so it
 *       could not be tested there.
 *   <li>Extra disks, shared volumes, snapshots ({@code Snapshots}), guest operations (exec and file
 *       copy into VMs), images from URLs, registries or disks.
 *   <li>Sweep of VMs outside a lab folder (lab folders are found by their own attributes, or those
 *       of their VMs).
 *   <li>Counting vim25 requests ({@code RequestCounter} counts the Kubernetes side only), and
 *       {@code WaitForUpdatesEx} instead of polling.
 *   <li>Fault injection on vcsim: the contract suite's failure checks reach containers only.
 * </ul>
 *
 * <h2>Status</h2>
 *
 * <p>{@code VCenterLabIT} (VM labs on vcsim: every stage, ownership, close, sweep, template and
 * linked-clone errors) passes. {@code VCenterBackendContractIT} (vcsim plus the embedded cluster
 * with the fake kubelet) passes 11 of 17 checks; lifecycle, stageOrder, references, ownership,
 * planOnly and failureRollsBack fail because their labs use a shared volume. Nothing has run
 * against a real vCenter yet.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.vsphere.vcenter;

import org.jspecify.annotations.NullMarked;
