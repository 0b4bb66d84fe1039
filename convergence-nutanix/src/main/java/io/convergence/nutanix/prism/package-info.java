/**
 * A small Prism Central (Nutanix) v4 REST client on {@code java.net.http} and Jackson, with no
 * Nutanix SDK: the transport of the Nutanix backend.
 *
 * <p>Start with {@link io.convergence.nutanix.prism.PrismConfig} and {@link
 * io.convergence.nutanix.prism.PrismClient} (whose class documentation has a usage example).
 * Requests and answers follow {@code docs/nutanix-prism-v4-wire.md}: v4.0 paths, {@code
 * NTNX-Request-Id} on every mutation, {@code If-Match} ETags, the {@code data}/{@code metadata}
 * envelope, and tasks for asynchronous mutations ({@link io.convergence.nutanix.prism.PrismTask}).
 *
 * <p>Errors are {@link io.convergence.nutanix.prism.PrismException}s, classified by HTTP status and
 * then {@code errorGroup}. Passwords, API keys, session cookies and guest customization payloads
 * never appear in messages, logs or {@code toString()}.
 */
@NullMarked
package io.convergence.nutanix.prism;

import org.jspecify.annotations.NullMarked;
