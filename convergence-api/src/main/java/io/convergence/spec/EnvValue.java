package io.convergence.spec;

import static java.util.Objects.requireNonNull;

/**
 * The value of a container's environment variable: plain text (which may contain {@link Ref}
 * placeholders), or a {@link SecretValue} that the backend delivers through the platform's secret
 * store.
 *
 * @since 0.1.0
 */
public sealed interface EnvValue {

  /**
   * Plain text, possibly with {@link Ref} placeholders.
   *
   * @param value the text
   * @return the value
   */
  static EnvValue plain(String value) {
    return new Plain(value);
  }

  /**
   * A secret.
   *
   * @param value the secret
   * @return the value
   */
  static EnvValue secret(SecretValue value) {
    return new Secret(value);
  }

  /**
   * A plain environment value.
   *
   * @param value the text, possibly with {@link Ref} placeholders
   * @since 0.1.0
   */
  record Plain(String value) implements EnvValue {
    /**
     * Checks the component.
     *
     * @param value the text
     */
    public Plain {
      requireNonNull(value, "value");
    }
  }

  /**
   * A secret environment value.
   *
   * @param value the secret
   * @since 0.1.0
   */
  record Secret(SecretValue value) implements EnvValue {
    /**
     * Checks the component.
     *
     * @param value the secret
     */
    public Secret {
      requireNonNull(value, "value");
    }
  }
}
