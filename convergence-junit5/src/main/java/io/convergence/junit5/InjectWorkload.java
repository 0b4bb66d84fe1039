package io.convergence.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects one workload's {@link io.convergence.Workload} handle (address, endpoints, exec, logs,
 * file copy) into a field or parameter of that type: static fields once the class's lab is up,
 * instance fields and parameters before each test.
 *
 * @since 0.1.0
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectWorkload {

  /**
   * The workload's name in the lab spec.
   *
   * @return the name
   */
  String value();
}
