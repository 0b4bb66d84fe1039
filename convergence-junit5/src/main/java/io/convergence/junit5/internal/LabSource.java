package io.convergence.junit5.internal;

import io.convergence.codec.LabSpecCodec;
import io.convergence.junit5.LabDefinition;
import io.convergence.spec.LabSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Where a test class's lab spec comes from, and whether it gives one lab for the class or one per
 * test.
 *
 * @param perTest whether each test gets its own lab
 * @param description what the source is, for messages
 * @param spec reads the spec; takes the test instance (null for a class lab)
 */
public record LabSource(
    boolean perTest, String description, Function<@Nullable Object, LabSpec> spec) {

  /**
   * A spec given in code.
   *
   * @param spec the spec
   * @param perTest whether each test gets its own lab
   * @return the source
   */
  public static LabSource of(LabSpec spec, boolean perTest) {
    return new LabSource(perTest, "lab " + spec.name() + " given in code", x -> spec);
  }

  /**
   * A YAML/JSON classpath resource, read when the lab starts.
   *
   * @param resource the resource's name
   * @param testClass the test class, for relative names and its class loader
   * @param perTest whether each test gets its own lab
   * @return the source
   */
  public static LabSource resource(String resource, Class<?> testClass, boolean perTest) {
    return new LabSource(perTest, "resource " + resource, x -> readResource(resource, testClass));
  }

  /**
   * The source of a {@link io.convergence.junit5.ConvergenceLab} class: its resource when given,
   * else its one {@link LabDefinition} member.
   *
   * @param testClass the test class
   * @param resource the annotation's resource, or empty
   * @return the source
   * @throws IllegalStateException naming the class and what to fix, when there is no source or
   *     several, or a member has the wrong shape
   */
  public static LabSource declaredBy(Class<?> testClass, String resource) {
    List<Member> members = new ArrayList<>();
    members.addAll(
        AnnotationSupport.findAnnotatedFields(
            testClass, LabDefinition.class, f -> true, HierarchyTraversalMode.TOP_DOWN));
    members.addAll(
        AnnotationSupport.findAnnotatedMethods(
            testClass, LabDefinition.class, HierarchyTraversalMode.TOP_DOWN));
    if (!resource.isEmpty()) {
      if (!members.isEmpty()) {
        throw new IllegalStateException(
            testClass.getName()
                + " names the lab resource "
                + resource
                + " in @ConvergenceLab and also has @LabDefinition "
                + describe(members.get(0))
                + "; keep one of them");
      }
      return resource(resource, testClass, false);
    }
    if (members.isEmpty()) {
      throw new IllegalStateException(
          testClass.getName()
              + " has @ConvergenceLab but no lab: name a YAML resource, @ConvergenceLab(\"labs/my-lab.yaml\"),"
              + " or add a field or no-argument method returning LabSpec annotated @LabDefinition"
              + " (static: one lab for the class; instance: one lab per test)");
    }
    if (members.size() > 1) {
      throw new IllegalStateException(
          testClass.getName()
              + " has "
              + members.size()
              + " @LabDefinition members ("
              + String.join(", ", members.stream().map(LabSource::describe).toList())
              + "); a class has one lab: keep one, or register a ConvergenceExtension per extra"
              + " lab with @RegisterExtension");
    }
    Member m = members.get(0);
    boolean isStatic = Modifier.isStatic(m.getModifiers());
    if (m instanceof Method method) {
      if (method.getParameterCount() != 0
          || !LabSpec.class.isAssignableFrom(method.getReturnType())) {
        throw new IllegalStateException(
            "@LabDefinition "
                + describe(m)
                + " must take no arguments and return LabSpec; it returns "
                + method.getReturnType().getSimpleName());
      }
      return new LabSource(
          !isStatic,
          "@LabDefinition " + describe(m),
          instance ->
              checked(m, ReflectionSupport.invokeMethod(method, isStatic ? null : instance)));
    }
    Field field = (Field) m;
    if (!LabSpec.class.isAssignableFrom(field.getType())) {
      throw new IllegalStateException(
          "@LabDefinition "
              + describe(m)
              + " must be of type LabSpec; it is "
              + field.getType().getSimpleName());
    }
    return new LabSource(
        !isStatic,
        "@LabDefinition " + describe(m),
        instance -> {
          try {
            return checked(
                m, ReflectionSupport.tryToReadFieldValue(field, isStatic ? null : instance).get());
          } catch (Exception e) {
            throw new IllegalStateException(
                "cannot read @LabDefinition " + describe(m) + ": " + e, e);
          }
        });
  }

  private static LabSpec checked(Member m, @Nullable Object value) {
    if (value == null) {
      throw new IllegalStateException(
          "@LabDefinition " + describe(m) + " gave null, not a LabSpec");
    }
    return (LabSpec) value;
  }

  private static String describe(Member m) {
    return m.getDeclaringClass().getSimpleName()
        + "."
        + m.getName()
        + (m instanceof Method ? "()" : "");
  }

  private static LabSpec readResource(String resource, Class<?> testClass) {
    URL url = null;
    String absolute = resource.startsWith("/") ? resource.substring(1) : resource;
    ClassLoader loader = testClass.getClassLoader();
    if (loader != null) {
      url = loader.getResource(absolute);
    }
    if (url == null && !resource.startsWith("/")) {
      url = testClass.getResource(resource);
    }
    if (url == null) {
      throw new IllegalStateException(
          "lab resource "
              + resource
              + " of "
              + testClass.getName()
              + " is not on the classpath (looked for /"
              + absolute
              + " and next to the class, in "
              + testClass.getPackageName().replace('.', '/')
              + "/); put it under src/test/resources");
    }
    String text;
    try (InputStream in = url.openStream()) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lab resource " + url, e);
    }
    return LabSpecCodec.create().readYaml(text, url.toString());
  }
}
