/**
 * A small vim25 SOAP client for vCenter on {@code java.net.http}, with no vendor SDK: session
 * login/logout, the property collector, inventory search, folders, cloning (full and linked),
 * reconfiguration, power, snapshots, destroy, a task waiter and custom attributes.
 *
 * <p>Start with {@link io.convergence.vsphere.vim.Vim25Config} and {@link
 * io.convergence.vsphere.vim.Vim25Client}:
 *
 * <pre>{@code
 * Vim25Config config = Vim25Config.builder(URI.create("https://vc.example.com/sdk"))
 *     .credentials("lab@vsphere.local", password)
 *     .build();
 * try (Vim25Client vc = Vim25Client.connect(config)) {
 *   vc.login();
 *   ManagedObjectReference template = vc.findByInventoryPath("DC1/vm/templates/ubuntu").orElseThrow();
 *   CloneResult clone = vc.cloneVm(template, CloneSpec.builder("lab-vm-1", folder).pool(pool).build());
 *   vc.powerOn(clone.vm()).await();
 * }
 * }</pre>
 *
 * <p>Errors are {@link io.convergence.vsphere.vim.VimException}s: a SOAP fault or a failed task is
 * a {@link io.convergence.vsphere.vim.VimFaultException} naming the vim25 fault type (e.g. {@code
 * InvalidLogin}, {@code InvalidPowerState}); an unreachable server is a {@link
 * io.convergence.vsphere.vim.VimTransportException}. Passwords never appear in messages, logs or
 * {@code toString()}.
 *
 * <p>This is only the transport: the {@code vsphere-vcenter} backend ({@code
 * io.convergence.vsphere.vcenter}) maps lab specs onto vCenter folders, templates and clones with
 * it.
 */
@NullMarked
package io.convergence.vsphere.vim;

import org.jspecify.annotations.NullMarked;
