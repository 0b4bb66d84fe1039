package io.convergence.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects the running {@link io.convergence.Lab} into a field of that type: static fields once the
 * class's lab is up, instance fields before each test. Parameters of type {@code Lab} need no
 * annotation.
 *
 * @since 0.1.0
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectLab {}
