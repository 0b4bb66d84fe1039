package io.convergence.junit5.internal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * How the extension runs one class's labs, from the annotation or builder and, where those are
 * silent, JUnit configuration parameters, Convergence settings and the {@code CI} environment
 * variable.
 *
 * @param backend the backend id, or empty for configuration/autodetection
 * @param failIfUnavailable fail (instead of skip) when the backend is unavailable
 * @param keepOnFailure keep a failed lab for inspection
 * @param reuse reuse labs across classes and runs
 * @param reportsDir where diagnostics bundles go
 */
public record Settings(
    String backend,
    boolean failIfUnavailable,
    boolean keepOnFailure,
    boolean reuse,
    Path reportsDir) {

  /** JUnit configuration parameter / Convergence setting: {@code skip} or {@code fail}. */
  public static final String UNAVAILABLE = "convergence.unavailable";

  /** JUnit configuration parameter / Convergence setting: {@code true} or {@code false}. */
  public static final String REUSE = "convergence.reuse";

  /** JUnit configuration parameter / Convergence setting: the diagnostics directory. */
  public static final String REPORTS_DIR = "convergence.reports.dir";

  /** The default diagnostics directory, relative to the working directory. */
  public static final String DEFAULT_REPORTS_DIR = "target/convergence-reports";

  /**
   * Checks the components.
   *
   * @param backend the backend id or empty
   * @param failIfUnavailable whether to fail
   * @param keepOnFailure whether to keep
   * @param reuse whether to reuse
   * @param reportsDir the reports directory
   */
  public Settings {
    requireNonNull(backend, "backend");
    requireNonNull(reportsDir, "reportsDir");
  }

  /**
   * Resolves the effective settings.
   *
   * @param backend the backend id asked for, or empty
   * @param askedToFail whether the annotation/builder asks to fail when unavailable
   * @param keepOnFailure whether the annotation/builder asks to keep failed labs
   * @param askedToReuse whether the annotation/builder opts into reuse
   * @param parameter a JUnit configuration parameter (which also sees system properties and
   *     junit-platform.properties), or empty
   * @param environment environment variables
   * @return the settings
   * @throws IllegalArgumentException when a parameter has a value that is not understood
   */
  public static Settings resolve(
      String backend,
      boolean askedToFail,
      boolean keepOnFailure,
      boolean askedToReuse,
      Function<String, Optional<String>> parameter,
      Function<String, @Nullable String> environment) {
    boolean ci = isCi(environment);
    boolean fail;
    Optional<String> unavailable = setting(UNAVAILABLE, parameter, environment);
    if (askedToFail) {
      fail = true;
    } else if (unavailable.isPresent()) {
      fail =
          switch (unavailable.get().toLowerCase(Locale.ROOT)) {
            case "fail" -> true;
            case "skip" -> false;
            default ->
                throw new IllegalArgumentException(
                    UNAVAILABLE
                        + ": \""
                        + unavailable.get()
                        + "\" is not understood; use skip or fail");
          };
    } else {
      fail = ci;
    }
    Optional<String> reuseSetting = setting(REUSE, parameter, environment);
    Optional<Boolean> reuseAnswer =
        reuseSetting.map(
            v ->
                switch (v.toLowerCase(Locale.ROOT)) {
                  case "true" -> true;
                  case "false" -> false;
                  default ->
                      throw new IllegalArgumentException(
                          REUSE + ": \"" + v + "\" is not understood; use true or false");
                });
    boolean reuse = askedToReuse && reuseAnswer.orElse(!ci);
    Path reports =
        Path.of(setting(REPORTS_DIR, parameter, environment).orElse(DEFAULT_REPORTS_DIR));
    return new Settings(backend, fail, keepOnFailure, reuse, reports);
  }

  private static Optional<String> setting(
      String key,
      Function<String, Optional<String>> parameter,
      Function<String, @Nullable String> environment) {
    Optional<String> p = parameter.apply(key).filter(v -> !v.isBlank());
    if (p.isPresent()) {
      return p;
    }
    String env = environment.apply(key.toUpperCase(Locale.ROOT).replace('.', '_'));
    return Optional.ofNullable(env).filter(v -> !v.isBlank());
  }

  /**
   * Whether this runs in CI: the {@code CI} variable is set to anything but {@code false}.
   *
   * @param environment environment variables
   * @return whether it does
   */
  public static boolean isCi(Function<String, @Nullable String> environment) {
    String ci = environment.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
  }
}
