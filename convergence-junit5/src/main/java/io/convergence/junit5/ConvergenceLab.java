package io.convergence.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a converged lab: started before its tests, torn down after them whatever
 * happened, injected into fields and parameters, with a diagnostics bundle under {@code
 * target/convergence-reports/} when a test fails.
 *
 * <p>The lab comes from the YAML/JSON resource named by {@link #value()}, or from the one field or
 * method of the class annotated {@link LabDefinition}: a static one gives one lab for the whole
 * class, an instance one a lab per test.
 *
 * <pre>{@code
 * @ConvergenceLab
 * class WaferAnalysisTest {
 *   @LabDefinition
 *   static LabSpec lab() {
 *     return LabSpec.builder("wafer").vm("tester", ...).container("analysis", ...).build();
 *   }
 *
 *   @InjectWorkload("analysis")
 *   static Workload analysis;
 *
 *   @Test
 *   void analysisReachesTheTester(@InjectWorkload("tester") Workload tester) {
 *     assertThat(analysis.exec("nc", "-z", tester.host(), "5985").exitCode()).isZero();
 *   }
 * }
 * }</pre>
 *
 * <p>Settings left at their defaults fall back to JUnit configuration parameters and Convergence
 * configuration (system properties, {@code CONVERGENCE_*} environment variables, {@code
 * convergence.properties}): see {@link ConvergenceExtension}.
 *
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConvergenceExtension.class)
public @interface ConvergenceLab {

  /**
   * A classpath resource holding the lab spec as YAML or JSON, e.g. {@code labs/wafer.yaml}; a name
   * without a leading {@code /} is looked up from the classpath root first, then next to the test
   * class. Empty: the lab comes from the class's {@link LabDefinition}.
   *
   * @return the resource, or empty
   */
  String value() default "";

  /**
   * The backend's id, e.g. {@code kubevirt}; empty: {@code convergence.backend} from configuration,
   * or autodetection.
   *
   * @return the backend id, or empty
   */
  String backend() default "";

  /**
   * Fail the class, instead of skipping it, when the backend is unavailable. Unavailable backends
   * also fail the class when the {@code CI} environment variable is set, unless the JUnit
   * configuration parameter (or system property) {@code convergence.unavailable}, or the
   * environment variable {@code CONVERGENCE_UNAVAILABLE}, is {@code skip}.
   *
   * @return true to fail
   */
  boolean failIfUnavailable() default false;

  /**
   * Keep the lab for inspection (until its TTL ends) when a test or the lab's start fails, and
   * print how to reach it and how to remove it.
   *
   * @return true to keep
   */
  boolean keepOnFailure() default false;

  /**
   * Reuse a running lab of the same spec across test classes and runs instead of starting one, and
   * leave it running afterwards (until its TTL ends); a changed spec starts a new lab and removes
   * the superseded one. Off when the {@code CI} environment variable is set, unless the JUnit
   * configuration parameter or Convergence setting {@code convergence.reuse} is {@code true};
   * {@code false} there turns it off everywhere.
   *
   * @return true to reuse
   */
  boolean reuse() default false;
}
