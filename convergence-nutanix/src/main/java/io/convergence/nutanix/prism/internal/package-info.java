/**
 * Internals of the Prism Central v4 client: the HTTP transport (authentication, session cookie,
 * retries with backoff, request ids, redacted logging), error-body decoding, JSON bodies, OData and
 * path encoding, and TLS setup. Not an API: may change without notice.
 */
@NullMarked
package io.convergence.nutanix.prism.internal;

import org.jspecify.annotations.NullMarked;
