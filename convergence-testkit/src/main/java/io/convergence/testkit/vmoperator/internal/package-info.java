/**
 * What the vm-operator simulator computes (API version features and ordering, condition lists in
 * vm-operator's style, minimal CRDs for the embedded server, made-up vSphere identities). No
 * promise.
 */
@NullMarked
package io.convergence.testkit.vmoperator.internal;

import org.jspecify.annotations.NullMarked;
