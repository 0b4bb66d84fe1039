package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * A value that must never appear in logs, exception messages, {@code toString}, plans or events: a
 * password, a token, cloud-init user data or a sysprep answer file.
 *
 * <p>A secret is either a literal given in code or YAML, or a reference to an environment variable
 * or a file that is read only when the lab is applied ({@link #reveal()}), so that a spec file can
 * be committed without the secret in it. Backends pass revealed values only to the platform's
 * secret store (a Kubernetes Secret, a guest customisation spec).
 *
 * <p>{@link #toString()} never shows the value, whatever the source. Two secrets are equal when
 * their source and reference (or literal value) are equal.
 *
 * @since 0.1.0
 */
public final class SecretValue {

  /**
   * Where a secret's value comes from.
   *
   * @since 0.1.0
   */
  public enum Source {
    /** The value itself, given in code or in the spec file. */
    LITERAL,
    /** The name of an environment variable, read when the lab is applied. */
    ENV,
    /** The path of a file whose UTF-8 content is the value, read when the lab is applied. */
    FILE
  }

  private static final String REDACTED = "****";

  private final Source source;
  private final String reference;

  private SecretValue(Source source, String reference) {
    this.source = requireNonNull(source, "source");
    this.reference = requireNonNull(reference, "reference");
  }

  /**
   * A secret whose value is given directly.
   *
   * @param value the secret value; may be empty
   * @return the secret
   */
  public static SecretValue of(String value) {
    return new SecretValue(Source.LITERAL, value);
  }

  /**
   * A secret read from an environment variable when the lab is applied.
   *
   * @param variable the variable's name, e.g. {@code "LAB_ADMIN_PASSWORD"}
   * @return the secret
   */
  public static SecretValue fromEnv(String variable) {
    return new SecretValue(Source.ENV, variable);
  }

  /**
   * A secret read from a UTF-8 file when the lab is applied.
   *
   * @param path the file
   * @return the secret
   */
  public static SecretValue fromFile(Path path) {
    return new SecretValue(Source.FILE, path.toString());
  }

  /**
   * A secret of the given source and reference, as read from a spec file.
   *
   * @param source where the value comes from
   * @param reference the literal value, the variable name or the file path
   * @return the secret
   */
  public static SecretValue from(Source source, String reference) {
    return new SecretValue(source, reference);
  }

  /**
   * Where the value comes from.
   *
   * @return the source
   */
  public Source source() {
    return source;
  }

  /**
   * The variable name or file path for {@link Source#ENV} and {@link Source#FILE}. For {@link
   * Source#LITERAL} this is the secret itself, so this method is for codecs and validation only;
   * everything else uses {@link #reveal()} at the moment the value is handed to the platform.
   *
   * @return the reference, or the literal value
   */
  public String reference() {
    return reference;
  }

  /**
   * Reads the secret's value. Call it only where the value is handed to the platform.
   *
   * @return the value
   * @throws IllegalStateException when the environment variable is not set
   * @throws UncheckedIOException when the file cannot be read
   */
  public String reveal() {
    return reveal(System::getenv);
  }

  /**
   * Reads the secret's value, looking environment variables up through {@code environment}.
   *
   * @param environment returns a variable's value, or {@code null} when it is not set
   * @return the value
   * @throws IllegalStateException when the environment variable is not set
   * @throws UncheckedIOException when the file cannot be read
   */
  public String reveal(Function<String, String> environment) {
    switch (source) {
      case LITERAL:
        return reference;
      case ENV:
        String value = environment.apply(reference);
        if (value == null) {
          throw new IllegalStateException(
              "environment variable "
                  + reference
                  + " holding a secret is not set; export it before starting the lab");
        }
        return value;
      case FILE:
        try {
          return Files.readString(Path.of(reference), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(
              "cannot read the secret file " + reference + ": " + e.getMessage(), e);
        }
      default:
        throw new AssertionError(source);
    }
  }

  /**
   * A copy holding the result of applying {@code transform} to the revealed value, as a literal.
   * Used to resolve references inside user data without the value ever leaving a {@code
   * SecretValue}.
   *
   * @param transform the transformation of the revealed value
   * @return a literal secret
   */
  public SecretValue map(Function<String, String> transform) {
    return of(transform.apply(reveal()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other
        && source == other.source
        && reference.equals(other.reference);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, reference);
  }

  /** Shows where the secret comes from, never a literal value. */
  @Override
  public String toString() {
    switch (source) {
      case ENV:
        return "SecretValue[env " + reference + "]";
      case FILE:
        return "SecretValue[file " + reference + "]";
      default:
        return "SecretValue[" + REDACTED + "]";
    }
  }
}
