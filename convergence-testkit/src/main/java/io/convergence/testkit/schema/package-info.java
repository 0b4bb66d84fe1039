/**
 * Checks objects against the OpenAPI v3 schemas of real CustomResourceDefinitions, the way a
 * Kubernetes API server's structural schema validation and pruning would, so that a test of a
 * backend's mapper fails on a field a real cluster would reject or silently drop.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.testkit.schema;

import org.jspecify.annotations.NullMarked;
