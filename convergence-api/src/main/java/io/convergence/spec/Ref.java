package io.convergence.spec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference from one workload to an attribute of another one, resolved when the lab is applied:
 * the referenced workload is provisioned and ready first, then its address is substituted where the
 * reference stands.
 *
 * <p>References are written into environment values and user data as placeholders, so they compose
 * with text:
 *
 * <pre>{@code
 * .env("TESTER_HOST", ref("tester").host())                       // ${ref:tester.host}
 * .env("WSMAN_URL", "http://" + ref("tester").address(5985) + "/wsman")
 * }</pre>
 *
 * <p>The placeholder forms are {@code ${ref:NAME.host}}, {@code ${ref:NAME.port.N}} and {@code
 * ${ref:NAME.address.N}} ({@code host:port}). The host is the name or address under which the
 * workload is reachable from inside the lab; the port is the port number under which the exposed
 * port {@code N} is reachable there.
 *
 * @param workload the referenced workload's name
 * @param attribute which attribute is referenced
 * @param port the exposed port for {@link Attribute#PORT} and {@link Attribute#ADDRESS}, 0 for
 *     {@link Attribute#HOST}
 * @since 0.1.0
 */
public record Ref(String workload, Attribute attribute, int port) {

  /**
   * The attribute of a workload a {@link Ref} stands for.
   *
   * @since 0.1.0
   */
  public enum Attribute {
    /** The host name or IP address inside the lab. */
    HOST,
    /** The port number inside the lab of an exposed port. */
    PORT,
    /** {@code host:port} of an exposed port. */
    ADDRESS
  }

  private static final String PREFIX = "${ref:";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{ref:([^}]*)}");
  private static final Pattern BODY =
      Pattern.compile("([a-z0-9-]+)\\.(?:(host)|(port|address)\\.([0-9]{1,5}))");

  /**
   * Checks the components.
   *
   * @param workload the referenced workload's name
   * @param attribute which attribute is referenced
   * @param port the exposed port, or 0 for {@link Attribute#HOST}
   */
  public Ref {
    requireNonNull(workload, "workload");
    requireNonNull(attribute, "attribute");
  }

  /**
   * Starts a reference to the workload named {@code workload}.
   *
   * @param workload the referenced workload's name
   * @return a target to pick the attribute from
   */
  public static Target ref(String workload) {
    return new Target(workload);
  }

  /**
   * The placeholder text of this reference, e.g. {@code ${ref:tester.port.5985}}.
   *
   * @return the placeholder
   */
  public String expression() {
    switch (attribute) {
      case HOST:
        return PREFIX + workload + ".host}";
      case PORT:
        return PREFIX + workload + ".port." + port + "}";
      default:
        return PREFIX + workload + ".address." + port + "}";
    }
  }

  /** Returns {@link #expression()}, so that references can be concatenated into text. */
  @Override
  public String toString() {
    return expression();
  }

  /**
   * Whether {@code text} contains anything that looks like a reference placeholder.
   *
   * @param text any text
   * @return true when <code>${ref:</code> occurs in it
   */
  public static boolean mentionsRefs(String text) {
    return text.contains(PREFIX);
  }

  /**
   * Parses every placeholder in {@code text}.
   *
   * @param text text with placeholders
   * @return the references in order of appearance, and the placeholders that are malformed
   */
  public static Parsed parse(String text) {
    List<Ref> refs = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(text);
    int end = 0;
    while (m.find()) {
      Ref ref = parseBody(m.group(1));
      if (ref == null) {
        malformed.add(m.group());
      } else {
        refs.add(ref);
      }
      end = m.end();
    }
    int dangling = text.indexOf(PREFIX, end);
    if (dangling >= 0) {
      malformed.add(text.substring(dangling, Math.min(text.length(), dangling + 40)));
    }
    return new Parsed(List.copyOf(refs), List.copyOf(malformed));
  }

  /**
   * Replaces every well-formed placeholder in {@code text} with the value {@code resolver} gives
   * for it.
   *
   * @param text text with placeholders
   * @param resolver the value of each reference
   * @return the text with the references replaced
   */
  public static String resolve(String text, Function<Ref, String> resolver) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Ref ref = parseBody(m.group(1));
      m.appendReplacement(
          out, Matcher.quoteReplacement(ref == null ? m.group() : resolver.apply(ref)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Ref parseBody(String body) {
    Matcher b = BODY.matcher(body);
    if (!b.matches()) {
      return null;
    }
    if (b.group(2) != null) {
      return new Ref(b.group(1), Attribute.HOST, 0);
    }
    Attribute attribute = b.group(3).equals("port") ? Attribute.PORT : Attribute.ADDRESS;
    return new Ref(b.group(1), attribute, Integer.parseInt(b.group(4)));
  }

  /**
   * The result of {@link #parse(String)}.
   *
   * @param refs the well-formed references
   * @param malformed placeholders that start with <code>${ref:</code> but are not a valid reference
   * @since 0.1.0
   */
  public record Parsed(List<Ref> refs, List<String> malformed) {}

  /**
   * A workload that a reference points to; pick the attribute with {@link #host()}, {@link
   * #port(int)} or {@link #address(int)}.
   *
   * @param workload the referenced workload's name
   * @since 0.1.0
   */
  public record Target(String workload) {
    /**
     * Checks the component.
     *
     * @param workload the referenced workload's name
     */
    public Target {
      requireNonNull(workload, "workload");
    }

    /**
     * The workload's host inside the lab.
     *
     * @return the reference
     */
    public Ref host() {
      return new Ref(workload, Attribute.HOST, 0);
    }

    /**
     * The port inside the lab of the workload's exposed port {@code port}.
     *
     * @param port an exposed port of the referenced workload
     * @return the reference
     */
    public Ref port(int port) {
      return new Ref(workload, Attribute.PORT, port);
    }

    /**
     * {@code host:port} inside the lab of the workload's exposed port {@code port}.
     *
     * @param port an exposed port of the referenced workload
     * @return the reference
     */
    public Ref address(int port) {
      return new Ref(workload, Attribute.ADDRESS, port);
    }
  }
}
