/** What the KubeVirt simulators compute from objects (printable status, guest OS). No promise. */
@NullMarked
package io.convergence.testkit.kubevirt.internal;

import org.jspecify.annotations.NullMarked;
