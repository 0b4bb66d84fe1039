package io.convergence.internal.runtime;

import io.convergence.config.ConvergenceConfig;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.LabSpec;
import io.convergence.spec.NamedWorkload;
import io.convergence.spec.SecretValue;
import io.convergence.spec.VmSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces known secret values in text and exception chains, as a last line of defence: backends
 * never put secrets in messages on purpose, but a platform's error may quote what it was sent.
 */
public final class Redactor {

  static final String MASK = "****";
  private static final int MIN_SECRET_LENGTH = 4;
  private static final int MIN_LINE_LENGTH = 8;

  private final List<String> secrets;

  private Redactor(Set<String> secrets) {
    List<String> sorted = new ArrayList<>(secrets);
    sorted.sort(Comparator.comparingInt(String::length).reversed());
    this.secrets = List.copyOf(sorted);
  }

  /** A redactor that changes nothing. */
  public static Redactor none() {
    return new Redactor(Set.of());
  }

  /**
   * A redactor of the literal secrets of a materialised spec and the secret-looking settings of a
   * configuration.
   */
  public static Redactor of(LabSpec materialized, ConvergenceConfig config) {
    Set<String> values = new LinkedHashSet<>();
    for (NamedWorkload w : materialized.workloads()) {
      if (w.spec() instanceof VmSpec vm) {
        vm.cloudInit().ifPresent(s -> add(values, s));
        vm.sysprep().ifPresent(s -> add(values, s));
      } else if (w.spec() instanceof ContainerSpec c) {
        for (EnvValue v : c.env().values()) {
          if (v instanceof EnvValue.Secret s) {
            add(values, s.value());
          }
        }
      }
    }
    for (String key : config.keys()) {
      if (key.matches("(?i).*(password|passwd|token|secret|api-?key|credential).*")) {
        config.get(key).ifPresent(v -> addText(values, v));
      }
    }
    return new Redactor(values);
  }

  private static void add(Set<String> values, SecretValue secret) {
    if (secret.source() == SecretValue.Source.LITERAL) {
      addText(values, secret.reference());
    }
  }

  private static void addText(Set<String> values, String text) {
    if (text.length() >= MIN_SECRET_LENGTH) {
      values.add(text);
    }
    if (text.contains("\n")) {
      text.lines()
          .map(String::strip)
          .filter(l -> l.length() >= MIN_LINE_LENGTH)
          .forEach(values::add);
    }
  }

  /** {@code text} with every known secret replaced by {@code ****}. */
  public String scrub(String text) {
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, MASK);
      }
    }
    return out;
  }

  /** Whether {@code text} holds a known secret. */
  public boolean leaks(String text) {
    for (String secret : secrets) {
      if (text.contains(secret)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code t} itself when no message in its chain holds a secret; otherwise an equivalent chain of
   * {@link RedactedException}s with scrubbed messages and the original stack traces.
   */
  public Throwable scrub(Throwable t) {
    if (!chainLeaks(t)) {
      return t;
    }
    Throwable cause = t.getCause() == null || t.getCause() == t ? null : scrub(t.getCause());
    RedactedException copy =
        new RedactedException(t.getClass().getName(), scrub(String.valueOf(t.getMessage())), cause);
    copy.setStackTrace(t.getStackTrace());
    return copy;
  }

  private boolean chainLeaks(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && leaks(c.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** Stands in for an exception whose message held a secret. */
  public static final class RedactedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String originalType;

    RedactedException(String originalType, String message, Throwable cause) {
      super(originalType + ": " + message, cause);
      this.originalType = originalType;
    }

    /** The class name of the exception this stands in for. */
    public String originalType() {
      return originalType;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
