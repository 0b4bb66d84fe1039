/**
 * The VMware backend. Only its transport for classic vCenter exists so far: the vim25 SOAP client
 * in {@link io.convergence.vsphere.vim}. The backend itself (mapping lab specs onto vCenter, and
 * the VCF Supervisor / vm-operator mode) is not implemented yet.
 */
@NullMarked
package io.convergence.vsphere;

import org.jspecify.annotations.NullMarked;
