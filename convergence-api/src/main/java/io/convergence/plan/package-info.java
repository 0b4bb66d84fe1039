/**
 * What a backend will do for a lab, before it does it: the steps in dependency order and the exact
 * native objects each step sends (secrets redacted). {@code Convergence#plan} computes it without
 * creating anything; {@code Lab#plan} returns what a running lab was built from.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.plan;

import org.jspecify.annotations.NullMarked;
