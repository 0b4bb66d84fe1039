package io.convergence.plan;

import static java.util.Objects.requireNonNull;

/**
 * One object a backend sends to its platform, rendered as the platform receives it with secret
 * values replaced by {@code <redacted>}.
 *
 * @param kind the platform's kind, e.g. {@code VirtualMachine}, {@code Pod}, {@code CloneVM_Task}
 * @param name the object's name
 * @param format how {@code content} is written
 * @param content the rendered object
 * @since 0.1.0
 */
public record NativeObject(String kind, String name, Format format, String content) {

  /**
   * How a {@link NativeObject} is rendered.
   *
   * @since 0.1.0
   */
  public enum Format {
    /** YAML (Kubernetes objects, in-memory records). */
    YAML,
    /** JSON (REST bodies, e.g. Prism v4). */
    JSON,
    /** XML (SOAP bodies, e.g. vim25). */
    XML
  }

  /** The text that replaces secret values in rendered objects. */
  public static final String REDACTED = "<redacted>";

  /**
   * Checks the components.
   *
   * @param kind the kind
   * @param name the name
   * @param format the format
   * @param content the rendered object
   */
  public NativeObject {
    requireNonNull(kind, "kind");
    requireNonNull(name, "name");
    requireNonNull(format, "format");
    requireNonNull(content, "content");
  }
}
