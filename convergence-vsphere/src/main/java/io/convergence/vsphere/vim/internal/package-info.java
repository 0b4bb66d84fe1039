/**
 * Internals of the vim25 client: the XML codec (request encoding in the WSDL's element order,
 * response and fault decoding), the HTTP transport with the session cookie, and TLS setup. Not an
 * API: may change without notice.
 */
@NullMarked
package io.convergence.vsphere.vim.internal;

import org.jspecify.annotations.NullMarked;
