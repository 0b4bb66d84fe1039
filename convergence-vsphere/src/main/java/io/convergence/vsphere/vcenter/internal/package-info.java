/** Internals of the vCenter backend; not an API. */
@NullMarked
package io.convergence.vsphere.vcenter.internal;

import org.jspecify.annotations.NullMarked;
