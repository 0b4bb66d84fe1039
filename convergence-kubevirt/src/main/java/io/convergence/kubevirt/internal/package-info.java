/** Internals of the KubeVirt backend; no compatibility promise. */
@NullMarked
package io.convergence.kubevirt.internal;

import org.jspecify.annotations.NullMarked;
