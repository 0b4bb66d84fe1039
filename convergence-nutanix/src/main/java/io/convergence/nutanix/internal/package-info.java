/** Internals of the Nutanix backend: settings, planning, the lab driver. Not API. */
package io.convergence.nutanix.internal;
