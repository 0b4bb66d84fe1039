/**
 * Lab specs as YAML and JSON documents: {@link io.convergence.codec.LabSpecCodec} reads a document
 * into a {@link io.convergence.spec.LabSpec} (every unknown field and malformed value reported with
 * its path) and writes a spec back to an equal document.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.codec;

import org.jspecify.annotations.NullMarked;
