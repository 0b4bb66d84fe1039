package io.convergence.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the field or no-argument method of a {@link ConvergenceLab} test class that gives the lab's
 * {@link io.convergence.spec.LabSpec}. A static member gives one lab for the whole class (started
 * before all its tests, removed after them); an instance member gives a lab per test.
 *
 * @since 0.1.0
 */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface LabDefinition {}
