/** Internals of the Supervisor backend; not an API. */
@NullMarked
package io.convergence.vsphere.supervisor.internal;

import org.jspecify.annotations.NullMarked;
