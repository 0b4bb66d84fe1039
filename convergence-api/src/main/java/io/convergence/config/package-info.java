/**
 * Configuration: from code, system properties, environment variables and a {@code
 * convergence.properties} file on the classpath, in that order of precedence.
 *
 * @since 0.1.0
 */
@NullMarked
package io.convergence.config;

import org.jspecify.annotations.NullMarked;
