/**
 * JUnit 5 extension: a converged lab per test class (or per test), injected into fields and
 * parameters, torn down whatever happened, with a diagnostics bundle when a test fails.
 *
 * <p>Declarative: {@link io.convergence.junit5.ConvergenceLab} on the class, the spec from a
 * resource or a {@link io.convergence.junit5.LabDefinition} member; programmatic: a {@link
 * io.convergence.junit5.ConvergenceExtension} field with {@code @RegisterExtension}.
 */
@NullMarked
package io.convergence.junit5;

import org.jspecify.annotations.NullMarked;
