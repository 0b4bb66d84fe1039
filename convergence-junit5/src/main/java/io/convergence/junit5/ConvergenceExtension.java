package io.convergence.junit5;

import static java.util.Objects.requireNonNull;

import io.convergence.BackendNotFoundException;
import io.convergence.BackendUnavailableException;
import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.StartOptions;
import io.convergence.Workload;
import io.convergence.codec.LabSpecCodec;
import io.convergence.event.LabEvent;
import io.convergence.junit5.internal.DiagnosticsBundle;
import io.convergence.junit5.internal.LabSource;
import io.convergence.junit5.internal.Settings;
import io.convergence.spec.LabSpec;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link ConvergenceLab}, also usable on its own with
 * {@code @RegisterExtension}: on a static field it gives one lab for the class, on an instance
 * field a lab per test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static ConvergenceExtension lab =
 *     ConvergenceExtension.forSpec(SampleLabs.waferAnalysis()).keepOnFailure(true);
 *
 * @Test
 * void collectorIsUp() {
 *   assertThat(lab.workload("collector").logs()).contains("listening");
 * }
 * }</pre>
 *
 * <p>What it does:
 *
 * <ul>
 *   <li>Starts the lab before the class's tests (or before each test) on the backend named by the
 *       annotation, else {@code convergence.backend}, else the autodetected one, through the shared
 *       thread-safe {@link Convergence} client of that backend; classes run in parallel get labs of
 *       their own (ids never collide).
 *   <li>Stores the lab in the JUnit extension store as an {@link AutoCloseable}, so it is torn down
 *       after the class (or test) whatever happened: failed tests, failed {@code @BeforeAll}, an
 *       aborted class. A JVM killed outright leaves the lab to its TTL and {@code sweep}.
 *   <li>Injects the {@link Lab} and {@link Workload} handles into {@link InjectLab}/{@link
 *       InjectWorkload} fields and parameters (parameters of type {@code Lab} need no annotation).
 *   <li>Skips the class with the reason when the backend is unavailable, or fails it when asked
 *       ({@link ConvergenceLab#failIfUnavailable()}, the {@code CI} environment variable, or the
 *       configuration parameter {@code convergence.unavailable=fail}); availability checks are
 *       bounded by the backend's own timeouts, never a hang.
 *   <li>When a test, a lifecycle method or the lab's start fails, writes a diagnostics bundle to
 *       {@code target/convergence-reports/<class>/<test>/} (parameter {@code
 *       convergence.reports.dir}): the effective spec, the plan, the event timeline with stage
 *       timings, each workload's state, platform diagnostics and logs, secrets redacted; the
 *       failure carries the bundle's path as a suppressed exception.
 *   <li>Keeps failed labs for inspection when asked, printing how to reach and remove them; reuses
 *       labs across classes and runs when asked (see {@link ConvergenceLab#reuse()}).
 * </ul>
 *
 * @since 0.1.0
 */
public final class ConvergenceExtension
    implements ExecutionCondition,
        BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler,
        LifecycleMethodExecutionExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ConvergenceExtension.class);

  private final @Nullable Programmatic programmatic;
  private final ExtensionContext.Namespace namespace;
  private volatile @Nullable ClassLab classLab;

  /** What a {@code @RegisterExtension} field configured in code. */
  private record Programmatic(
      Function<Class<?>, LabSource> source,
      String backend,
      @Nullable Convergence client,
      boolean failIfUnavailable,
      boolean keepOnFailure,
      boolean reuse) {}

  /** The class lab of a static registration, for {@link #lab()} and {@link #workload}. */
  private record ClassLab(Lab lab) {}

  /** Used by {@link ConvergenceLab}: the lab and settings come from the annotated class. */
  public ConvergenceExtension() {
    this(null);
  }

  private ConvergenceExtension(@Nullable Programmatic programmatic) {
    this.programmatic = programmatic;
    this.namespace = ExtensionContext.Namespace.create(ConvergenceExtension.class, this);
  }

  /**
   * An extension that starts {@code spec}, for {@code @RegisterExtension}.
   *
   * @param spec the lab
   * @return the extension
   */
  public static ConvergenceExtension forSpec(LabSpec spec) {
    requireNonNull(spec, "spec");
    return new ConvergenceExtension(
        new Programmatic(testClass -> LabSource.of(spec, false), "", null, false, false, false));
  }

  /**
   * An extension that starts the lab of a YAML/JSON classpath resource, for
   * {@code @RegisterExtension}; a name without a leading {@code /} is looked up from the classpath
   * root first, then next to the test class.
   *
   * @param resource the resource, e.g. {@code labs/wafer.yaml}
   * @return the extension
   */
  public static ConvergenceExtension forResource(String resource) {
    requireNonNull(resource, "resource");
    return new ConvergenceExtension(
        new Programmatic(
            testClass -> LabSource.resource(resource, testClass, false),
            "",
            null,
            false,
            false,
            false));
  }

  private ConvergenceExtension with(Programmatic p) {
    return new ConvergenceExtension(p);
  }

  private Programmatic programmatic() {
    if (programmatic == null) {
      throw new IllegalStateException(
          "settings of a @ConvergenceLab class are set on the annotation, not in code");
    }
    return programmatic;
  }

  /**
   * Uses the backend of this id instead of configuration or autodetection.
   *
   * @param backendId e.g. {@code kubevirt}
   * @return a new extension with the setting
   */
  public ConvergenceExtension backend(String backendId) {
    Programmatic p = programmatic();
    return with(
        new Programmatic(
            p.source(),
            requireNonNull(backendId, "backendId"),
            p.client(),
            p.failIfUnavailable(),
            p.keepOnFailure(),
            p.reuse()));
  }

  /**
   * Uses this client (e.g. one built with {@link Convergence#builder()} for a cluster of its own)
   * instead of the backend's shared client; the extension does not close it.
   *
   * @param client the client
   * @return a new extension with the setting
   */
  public ConvergenceExtension client(Convergence client) {
    Programmatic p = programmatic();
    return with(
        new Programmatic(
            p.source(),
            client.backendId(),
            requireNonNull(client, "client"),
            p.failIfUnavailable(),
            p.keepOnFailure(),
            p.reuse()));
  }

  /**
   * Fails the class, instead of skipping it, when the backend is unavailable.
   *
   * @param fail true to fail
   * @return a new extension with the setting
   */
  public ConvergenceExtension failIfUnavailable(boolean fail) {
    Programmatic p = programmatic();
    return with(
        new Programmatic(p.source(), p.backend(), p.client(), fail, p.keepOnFailure(), p.reuse()));
  }

  /**
   * Keeps a failed lab for inspection until its TTL ends.
   *
   * @param keep true to keep
   * @return a new extension with the setting
   */
  public ConvergenceExtension keepOnFailure(boolean keep) {
    Programmatic p = programmatic();
    return with(
        new Programmatic(
            p.source(), p.backend(), p.client(), p.failIfUnavailable(), keep, p.reuse()));
  }

  /**
   * Reuses a running lab of the same spec across classes and runs (see {@link
   * ConvergenceLab#reuse()}).
   *
   * @param reuse true to reuse
   * @return a new extension with the setting
   */
  public ConvergenceExtension reuse(boolean reuse) {
    Programmatic p = programmatic();
    return with(
        new Programmatic(
            p.source(), p.backend(), p.client(), p.failIfUnavailable(), p.keepOnFailure(), reuse));
  }

  /**
   * The lab of a static registration, once the class's tests run.
   *
   * @return the lab
   * @throws IllegalStateException before the lab started, or for a per-test registration (take the
   *     lab as a test parameter there)
   */
  public Lab lab() {
    ClassLab c = classLab;
    if (c == null) {
      throw new IllegalStateException(
          "no class lab: the lab starts before the class's tests, and a ConvergenceExtension on an"
              + " instance field gives a lab per test (take it as a Lab parameter)");
    }
    return c.lab();
  }

  /**
   * A workload of the class's lab.
   *
   * @param name the workload's name
   * @return its handle
   */
  public Workload workload(String name) {
    return lab().workload(name);
  }

  // ---------------------------------------------------------------- JUnit callbacks

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent()) {
      return ConditionEvaluationResult.enabled("decided for the class");
    }
    Settings settings = settings(context);
    try {
      client(context, settings);
      return ConditionEvaluationResult.enabled("backend available");
    } catch (BackendUnavailableException e) {
      if (settings.failIfUnavailable()) {
        return ConditionEvaluationResult.enabled(
            "backend unavailable, failing as asked: " + e.getMessage());
      }
      return ConditionEvaluationResult.disabled(
          "Convergence backend unavailable, skipping "
              + context.getDisplayName()
              + " (fail instead with @ConvergenceLab(failIfUnavailable = true), CI=true or"
              + " -D"
              + Settings.UNAVAILABLE
              + "=fail): "
              + e.getMessage());
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Optional<LabResource> enclosing = current(context);
    if (enclosing.isPresent()) {
      // A @Nested class inside a class that has its lab: it shares that lab.
      injectStatic(context.getRequiredTestClass(), enclosing.get().lab);
      return;
    }
    LabSource source = source(context);
    if (source.perTest()) {
      return;
    }
    LabResource resource = start(context, source, null, "beforeAll");
    if (programmatic != null) {
      classLab = new ClassLab(resource.lab);
    }
    injectStatic(context.getRequiredTestClass(), resource.lab);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    LabResource resource = current(context).orElse(null);
    if (resource == null) {
      LabSource source = source(context);
      if (!source.perTest() && programmatic == null) {
        // A static source whose beforeAll did not run: nothing to inject.
        return;
      }
      resource = start(context, source, context.getRequiredTestInstance(), testName(context));
    }
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      injectInstance(instance, resource.lab);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    context.getExecutionException().ifPresent(e -> markFailed(context));
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (parameter.isAnnotated(InjectWorkload.class)) {
      if (type != Workload.class) {
        throw new ExtensionConfigurationException(
            "@InjectWorkload parameter "
                + parameter.getParameter().getName()
                + " must be of type Workload, not "
                + type.getSimpleName());
      }
      return true;
    }
    return type == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Lab lab =
        current(context)
            .map(r -> r.lab)
            .orElseThrow(
                () ->
                    new ExtensionConfigurationException(
                        "no lab is running for "
                            + context.getDisplayName()
                            + ": a class lab is injected into tests and @BeforeEach/@AfterEach,"
                            + " and into @BeforeAll methods only as static fields"));
    Optional<InjectWorkload> w = parameter.findAnnotation(InjectWorkload.class);
    return w.isPresent() ? lab.workload(w.get().value()) : lab;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw onFailure(context, throwable, testName(context));
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw onFailure(context, t, "beforeAll");
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw onFailure(context, t, testName(context) + "-beforeEach");
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw onFailure(context, t, testName(context) + "-afterEach");
  }

  @Override
  public void handleAfterAllMethodExecutionException(ExtensionContext context, Throwable t)
      throws Throwable {
    throw onFailure(context, t, "afterAll");
  }

  // ---------------------------------------------------------------- starting and stopping

  /** A running lab in the extension store; closed by JUnit when its scope ends. */
  private final class LabResource implements AutoCloseable {
    private final Lab lab;
    private final Settings settings;
    private volatile boolean failed;

    LabResource(Lab lab, Settings settings) {
      this.lab = lab;
      this.settings = settings;
    }

    @Override
    public void close() {
      if (failed && settings.keepOnFailure()) {
        lab.keep();
        log.warn(keptMessage(lab));
      }
      lab.close();
    }
  }

  private LabResource start(
      ExtensionContext context, LabSource source, @Nullable Object instance, String phase) {
    Settings settings = settings(context);
    Convergence client;
    try {
      client = client(context, settings);
    } catch (BackendUnavailableException e) {
      if (settings.failIfUnavailable()) {
        throw e;
      }
      throw new TestAbortedException("Convergence backend unavailable: " + e.getMessage(), e);
    }
    LabSpec spec = source.spec().apply(instance);
    List<LabEvent> events = new CopyOnWriteArrayList<>();
    StartOptions options =
        StartOptions.builder()
            .keepOnFailure(settings.keepOnFailure())
            .reuse(settings.reuse())
            .listener(events::add)
            .build();
    Lab lab;
    try {
      lab = client.start(spec, options);
    } catch (RuntimeException e) {
      RuntimeException failure = e;
      if (!(e instanceof io.convergence.InvalidLabSpecException)) {
        Path dir = DiagnosticsBundle.directory(settings.reportsDir(), className(context), phase);
        try {
          String plan;
          try {
            plan = client.plan(spec).render();
          } catch (RuntimeException planFailure) {
            plan = null;
          }
          DiagnosticsBundle.writeStartFailure(
              dir, LabSpecCodec.create().writeYaml(spec, true), plan, events, e.getMessage());
          e.addSuppressed(new LabDiagnostics(dir, "the lab did not start"));
        } catch (RuntimeException io) {
          log.warn("Cannot write the diagnostics of {} to {}: {}", spec.name(), dir, io.toString());
        }
      }
      throw failure;
    }
    LabResource resource = new LabResource(lab, settings);
    ExtensionContext.Store store = context.getStore(namespace);
    store.put(LabResource.class, resource);
    context.publishReportEntry("convergence.lab", lab.id() + " on " + lab.backendId());
    return resource;
  }

  private Optional<LabResource> current(ExtensionContext context) {
    return Optional.ofNullable(
        context.getStore(namespace).get(LabResource.class, LabResource.class));
  }

  private void markFailed(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      LabResource r = c.get().getStore(namespace).get(LabResource.class, LabResource.class);
      if (r != null) {
        r.failed = true;
      }
    }
  }

  private Throwable onFailure(ExtensionContext context, Throwable throwable, String phase) {
    if (throwable instanceof TestAbortedException) {
      return throwable;
    }
    markFailed(context);
    Optional<LabResource> resource = current(context);
    if (resource.isEmpty()) {
      return throwable;
    }
    Lab lab = resource.get().lab;
    Path dir =
        DiagnosticsBundle.directory(
            resource.get().settings.reportsDir(), className(context), phase);
    try {
      DiagnosticsBundle.write(
          dir,
          lab.report(),
          context.getDisplayName() + " failed with " + throwable.getClass().getName());
      throwable.addSuppressed(new LabDiagnostics(dir, "lab " + lab.id()));
      context.publishReportEntry("convergence.diagnostics", dir.toString());
      log.warn("{} failed; diagnostics of lab {} in {}", context.getDisplayName(), lab.id(), dir);
    } catch (RuntimeException e) {
      log.warn("Cannot write the diagnostics of lab {} to {}: {}", lab.id(), dir, e.toString());
    }
    return throwable;
  }

  /** Names a diagnostics bundle in a failure's stack trace; carries no stack of its own. */
  static final class LabDiagnostics extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LabDiagnostics(Path dir, String what) {
      super("Convergence diagnostics of " + what + ": " + dir.toUri(), null, false, false);
    }
  }

  private static String keptMessage(Lab lab) {
    String reach =
        lab.workloads().stream()
            .map(
                w -> {
                  String host;
                  try {
                    host = w.host();
                  } catch (RuntimeException e) {
                    host = "(no address)";
                  }
                  String ports =
                      w.spec().ports().isEmpty()
                          ? ""
                          : " ports "
                              + w.spec().ports().stream()
                                  .map(p -> Integer.toString(p.number()))
                                  .collect(Collectors.joining(","));
                  return "    " + w.name() + ": " + host + ports;
                })
            .collect(Collectors.joining("\n"));
    return "Kept lab "
        + lab.id()
        + " on "
        + lab.backendId()
        + " for inspection until "
        + lab.expiresAt()
        + ".\n  Reach it:\n"
        + reach
        + "\n  Remove it: Convergence.backend(\""
        + lab.backendId()
        + "\").sweep(SweepRequest.lab(\""
        + lab.id()
        + "\")), or delete the platform objects labelled convergence.io/lab-id="
        + lab.id()
        + "; it is swept once expired in any case.";
  }

  // ---------------------------------------------------------------- settings and sources

  private Settings settings(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(namespace)
        .getOrComputeIfAbsent(
            "settings:" + context.getRequiredTestClass().getName(),
            k -> computeSettings(context),
            Settings.class);
  }

  private Settings computeSettings(ExtensionContext context) {
    if (programmatic != null) {
      return Settings.resolve(
          programmatic.backend(),
          programmatic.failIfUnavailable(),
          programmatic.keepOnFailure(),
          programmatic.reuse(),
          context::getConfigurationParameter,
          System::getenv);
    }
    ConvergenceLab a = annotation(context.getRequiredTestClass());
    return Settings.resolve(
        a.backend(),
        a.failIfUnavailable(),
        a.keepOnFailure(),
        a.reuse(),
        context::getConfigurationParameter,
        System::getenv);
  }

  private LabSource source(ExtensionContext context) {
    if (programmatic != null) {
      LabSource s = programmatic.source().apply(context.getRequiredTestClass());
      // A registration on an instance field never sees beforeAll: it starts a lab per test.
      return new LabSource(
          context.getTestMethod().isPresent() && current(context).isEmpty(),
          s.description(),
          s.spec());
    }
    Class<?> testClass = context.getRequiredTestClass();
    return LabSource.declaredBy(testClass, annotation(testClass).value());
  }

  private static ConvergenceLab annotation(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      Optional<ConvergenceLab> a = AnnotationSupport.findAnnotation(c, ConvergenceLab.class);
      if (a.isPresent()) {
        return a.get();
      }
    }
    throw new ExtensionConfigurationException(
        "ConvergenceExtension on "
            + testClass.getName()
            + " without @ConvergenceLab: annotate the class with @ConvergenceLab, or register"
            + " the extension with ConvergenceExtension.forSpec(...) in a @RegisterExtension field");
  }

  private Convergence client(ExtensionContext context, Settings settings) {
    if (programmatic != null && programmatic.client() != null) {
      return programmatic.client();
    }
    try {
      return settings.backend().isEmpty()
          ? Convergence.autodetect()
          : Convergence.backend(settings.backend());
    } catch (BackendNotFoundException e) {
      throw new ExtensionConfigurationException(
          context.getDisplayName() + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- injection

  private static void injectStatic(Class<?> testClass, Lab lab) {
    for (Field f : injectable(testClass)) {
      if (Modifier.isStatic(f.getModifiers())) {
        set(f, null, lab);
      }
    }
  }

  private static void injectInstance(Object instance, Lab lab) {
    for (Field f : injectable(instance.getClass())) {
      if (!Modifier.isStatic(f.getModifiers())) {
        set(f, instance, lab);
      }
    }
  }

  private static List<Field> injectable(Class<?> type) {
    return ReflectionSupport.findFields(
        type,
        f -> f.isAnnotationPresent(InjectLab.class) || f.isAnnotationPresent(InjectWorkload.class),
        HierarchyTraversalMode.TOP_DOWN);
  }

  private static void set(Field f, @Nullable Object target, Lab lab) {
    Object value;
    InjectWorkload w = f.getAnnotation(InjectWorkload.class);
    if (w != null) {
      if (f.getType() != Workload.class) {
        throw new ExtensionConfigurationException(
            "@InjectWorkload field " + f.getName() + " must be of type Workload");
      }
      value = lab.workload(w.value());
    } else {
      if (f.getType() != Lab.class) {
        throw new ExtensionConfigurationException(
            "@InjectLab field " + f.getName() + " must be of type Lab");
      }
      value = lab;
    }
    if (Modifier.isFinal(f.getModifiers())) {
      throw new ExtensionConfigurationException(
          "field " + f.getName() + " is final; injected fields cannot be");
    }
    try {
      f.setAccessible(true);
      f.set(target, value);
    } catch (IllegalAccessException e) {
      throw new ExtensionConfigurationException("cannot inject field " + f.getName(), e);
    }
  }

  // ---------------------------------------------------------------- names

  private static String className(ExtensionContext context) {
    return context.getRequiredTestClass().getName();
  }

  private static String testName(ExtensionContext context) {
    String method = context.getTestMethod().map(m -> m.getName()).orElse("class");
    String display = context.getDisplayName();
    return display.equals(method + "()") || display.equals(method)
        ? method
        : method + "-" + display;
  }

  @Override
  public String toString() {
    return "ConvergenceExtension{"
        + (programmatic == null ? "declarative" : "programmatic, backend " + programmatic.backend())
        + "}";
  }
}
