package io.convergence.config;

import static java.util.Objects.requireNonNull;

import io.convergence.spec.DurationText;
import io.convergence.spec.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Convergence settings. Keys start with {@code convergence.}, e.g. {@code convergence.backend} or
 * {@code convergence.kubevirt.context}; the same key is read, in this order of precedence, from:
 *
 * <ol>
 *   <li>code ({@code Convergence.builder().property("kubevirt.context", "lab")}),
 *   <li>system properties ({@code -Dconvergence.kubevirt.context=lab}),
 *   <li>environment variables, upper case with {@code .} and {@code -} as {@code _} ({@code
 *       CONVERGENCE_KUBEVIRT_CONTEXT=lab}),
 *   <li>{@code convergence.properties} files on the classpath (the first one found wins for each
 *       key).
 * </ol>
 *
 * <p>Values of keys that look secret ({@code password}, {@code token}, {@code secret}, {@code
 * api-key}) never appear in {@link #toString()}.
 *
 * @since 0.1.0
 */
public final class ConvergenceConfig {

  /** The prefix of every key. */
  public static final String PREFIX = "convergence.";

  /** The classpath resource read last. */
  public static final String PROPERTIES_FILE = "convergence.properties";

  private static final Pattern SECRET_KEY =
      Pattern.compile(
          ".*(password|passwd|token|secret|api-?key|credential).*", Pattern.CASE_INSENSITIVE);

  private final Map<String, Entry> entries;
  private final String scope;

  private record Entry(String value, String source) {}

  private ConvergenceConfig(Map<String, Entry> entries, String scope) {
    this.entries = entries;
    this.scope = scope;
  }

  /**
   * Reads system properties, environment and classpath files, with no settings from code.
   *
   * @return the configuration
   */
  public static ConvergenceConfig load() {
    return load(Map.of());
  }

  /**
   * Reads settings from code, system properties, environment and classpath files.
   *
   * @param code settings from code; keys with or without the {@code convergence.} prefix
   * @return the configuration
   */
  public static ConvergenceConfig load(Map<String, String> code) {
    return load(
        code,
        System.getProperties(),
        System.getenv(),
        Thread.currentThread().getContextClassLoader());
  }

  /**
   * Reads settings from the given sources (for tests).
   *
   * @param code settings from code
   * @param systemProperties system properties
   * @param environment environment variables
   * @param classLoader where to find {@value #PROPERTIES_FILE}, or {@code null} to skip the file
   * @return the configuration
   */
  public static ConvergenceConfig load(
      Map<String, String> code,
      Properties systemProperties,
      Map<String, String> environment,
      ClassLoader classLoader) {
    Map<String, Entry> entries = new TreeMap<>();
    if (classLoader != null) {
      readFiles(classLoader, entries);
    }
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("CONVERGENCE_")) {
            entries.put(envToKey(name), new Entry(value, "environment variable " + name));
          }
        });
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith(PREFIX)) {
        entries.put(name, new Entry(systemProperties.getProperty(name), "system property " + name));
      }
    }
    code.forEach(
        (key, value) -> entries.put(qualify(key), new Entry(requireNonNull(value, key), "code")));
    return new ConvergenceConfig(Collections.unmodifiableMap(entries), PREFIX);
  }

  private static void readFiles(ClassLoader classLoader, Map<String, Entry> entries) {
    try {
      Enumeration<URL> urls = classLoader.getResources(PROPERTIES_FILE);
      Map<String, Entry> fromFiles = new LinkedHashMap<>();
      while (urls.hasMoreElements()) {
        URL url = urls.nextElement();
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
          p.load(in);
        }
        for (String name : p.stringPropertyNames()) {
          fromFiles.putIfAbsent(qualify(name), new Entry(p.getProperty(name), url.toString()));
        }
      }
      entries.putAll(fromFiles);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PROPERTIES_FILE + " from the classpath", e);
    }
  }

  private static String qualify(String key) {
    return key.startsWith(PREFIX) ? key : PREFIX + key;
  }

  /**
   * The environment variable name of a key, e.g. {@code CONVERGENCE_KUBEVIRT_CONTEXT}.
   *
   * @param key a key, with or without the prefix
   * @return the variable name
   */
  public static String environmentVariable(String key) {
    return qualify(key).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static String envToKey(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /**
   * This configuration with one more setting, which wins over every other source; for a backend
   * that configures the backend it delegates to.
   *
   * @param key the key, relative to this view's scope, e.g. {@code kubeconfig}
   * @param value the value
   * @param source where the value comes from, for messages
   * @return the new configuration, in the same scope
   */
  public ConvergenceConfig with(String key, String value, String source) {
    Map<String, Entry> copy = new TreeMap<>(entries);
    copy.put(scope + key, new Entry(requireNonNull(value, key), requireNonNull(source, "source")));
    return new ConvergenceConfig(Collections.unmodifiableMap(copy), scope);
  }

  /**
   * A view of the keys under {@code convergence.<scope>.}, e.g. {@code scoped("kubevirt")} reads
   * {@code context} as {@code convergence.kubevirt.context}. Environment variables cannot tell
   * {@code .} from {@code -}, so a scoped key {@code api-key} is also found as {@code
   * CONVERGENCE_NUTANIX_API_KEY}.
   *
   * @param scope e.g. a backend id
   * @return the view
   */
  public ConvergenceConfig scoped(String scope) {
    return new ConvergenceConfig(entries, this.scope + scope + ".");
  }

  private Optional<Entry> entry(String key) {
    String full = scope + key;
    Entry e = entries.get(full);
    if (e == null) {
      e = entries.get(full.replace('-', '.'));
    }
    return Optional.ofNullable(e);
  }

  /**
   * A setting.
   *
   * @param key the key relative to this view, e.g. {@code context}
   * @return the value
   */
  public Optional<String> get(String key) {
    return entry(key).map(Entry::value).filter(v -> !v.isBlank());
  }

  /**
   * Where a setting comes from, for messages, e.g. {@code system property convergence.backend}.
   *
   * @param key the key relative to this view
   * @return the source
   */
  public Optional<String> source(String key) {
    return entry(key).map(Entry::source);
  }

  /**
   * A setting that must be present.
   *
   * @param key the key relative to this view
   * @return the value
   * @throws IllegalStateException naming the key and how to set it when it is missing
   */
  public String require(String key) {
    return get(key)
        .orElseThrow(() -> new IllegalStateException("missing setting " + describe(key)));
  }

  /**
   * How a key can be set, for messages: {@code convergence.x.y (system property, or
   * CONVERGENCE_X_Y)}.
   *
   * @param key the key relative to this view
   * @return the description
   */
  public String describe(String key) {
    return scope
        + key
        + " (system property, environment variable "
        + environmentVariable(scope + key)
        + ", or "
        + PROPERTIES_FILE
        + ")";
  }

  /**
   * A duration setting, e.g. {@code 30s}.
   *
   * @param key the key relative to this view
   * @param defaultValue the value when the key is not set
   * @return the duration
   * @throws IllegalArgumentException naming the key when the value is not a duration
   */
  public Duration getDuration(String key, Duration defaultValue) {
    return typed(key, defaultValue, DurationText::parse, "a duration such as 30s or 5m");
  }

  /**
   * An integer setting.
   *
   * @param key the key relative to this view
   * @param defaultValue the value when the key is not set
   * @return the integer
   * @throws IllegalArgumentException naming the key when the value is not an integer
   */
  public int getInt(String key, int defaultValue) {
    return typed(
        key,
        defaultValue,
        v -> {
          try {
            return Optional.of(Integer.parseInt(v.trim()));
          } catch (NumberFormatException e) {
            return Optional.empty();
          }
        },
        "an integer");
  }

  /**
   * A boolean setting ({@code true} or {@code false}).
   *
   * @param key the key relative to this view
   * @param defaultValue the value when the key is not set
   * @return the boolean
   * @throws IllegalArgumentException naming the key when the value is neither
   */
  public boolean getBoolean(String key, boolean defaultValue) {
    return typed(
        key,
        defaultValue,
        v ->
            v.equalsIgnoreCase("true")
                ? Optional.of(true)
                : v.equalsIgnoreCase("false") ? Optional.of(false) : Optional.empty(),
        "true or false");
  }

  /**
   * A secret setting (password, token), kept in a {@link SecretValue}.
   *
   * @param key the key relative to this view
   * @return the secret
   */
  public Optional<SecretValue> getSecret(String key) {
    return get(key).map(SecretValue::of);
  }

  private <T> T typed(
      String key, T defaultValue, Function<String, Optional<T>> parse, String expected) {
    Optional<String> raw = get(key);
    if (raw.isEmpty()) {
      return defaultValue;
    }
    return parse
        .apply(raw.get().trim())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    scope
                        + key
                        + " = \""
                        + raw.get()
                        + "\" (from "
                        + source(key).orElse("?")
                        + ") is not "
                        + expected));
  }

  /**
   * The keys of this view that are set, relative to it.
   *
   * @return the keys, sorted
   */
  public java.util.Set<String> keys() {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String k : entries.keySet()) {
      if (k.startsWith(scope)) {
        keys.add(k.substring(scope.length()));
      }
    }
    return keys;
  }

  /**
   * The settings of this view with their sources; secret-looking values are replaced by {@code
   * ****}.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("ConvergenceConfig{");
    boolean first = true;
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (!e.getKey().startsWith(scope)) {
        continue;
      }
      if (!first) {
        s.append(", ");
      }
      first = false;
      String value = SECRET_KEY.matcher(e.getKey()).matches() ? "****" : e.getValue().value();
      s.append(e.getKey())
          .append('=')
          .append(value)
          .append(" (")
          .append(e.getValue().source())
          .append(')');
    }
    return s.append('}').toString();
  }
}
