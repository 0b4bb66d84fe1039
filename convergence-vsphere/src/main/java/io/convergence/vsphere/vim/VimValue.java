package io.convergence.vsphere.vim;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of one vim25 XML value from a response: a property value ({@code <val>}), a task
 * result, or a fault's detail. It keeps what the wire says, and no more: the element name, its
 * {@code xsi:type} (the vim25 data type, or {@code xsd:string} and friends for simple values), the
 * {@code type} attribute of a managed object reference, the text of a leaf, and the child elements
 * in order.
 *
 * <p>The typed views ({@link VirtualMachineInfo}, {@link TaskInfo}) are built from these; use them
 * directly for properties the typed views do not cover.
 *
 * @since 0.1.0
 */
public final class VimValue {
  private final String name;
  private final @Nullable String xsiType;
  private final @Nullable String typeAttribute;
  private final String text;
  private final List<VimValue> children;

  /**
   * Creates a value.
   *
   * @param name the element's local name
   * @param xsiType the {@code xsi:type}, with XML Schema types as {@code xsd:NAME}, or {@code null}
   * @param typeAttribute the {@code type} attribute (set on managed object references), or {@code
   *     null}
   * @param text the text of a leaf element (empty for elements with children)
   * @param children the child elements in document order
   */
  public VimValue(
      String name,
      @Nullable String xsiType,
      @Nullable String typeAttribute,
      String text,
      List<VimValue> children) {
    this.name = requireNonNull(name, "name");
    this.xsiType = xsiType;
    this.typeAttribute = typeAttribute;
    this.text = requireNonNull(text, "text");
    this.children = List.copyOf(children);
  }

  /**
   * The element's local name, e.g. {@code val}, {@code returnval}, {@code rootSnapshotList}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The {@code xsi:type}: a vim25 data type such as {@code VirtualMachineSnapshotInfo}, or {@code
   * xsd:string} / {@code xsd:int} / {@code xsd:boolean} for simple values.
   *
   * @return the type, if the element carries one
   */
  public Optional<String> xsiType() {
    return Optional.ofNullable(xsiType);
  }

  /**
   * The text of a leaf element; empty for elements with children.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * The child elements in document order.
   *
   * @return the children
   */
  public List<VimValue> children() {
    return children;
  }

  /**
   * The first child element with the given name.
   *
   * @param childName the element name
   * @return the child, if present
   */
  public Optional<VimValue> child(String childName) {
    for (VimValue c : children) {
      if (c.name.equals(childName)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /**
   * Every child element with the given name, in order (a repeated field such as {@code
   * rootSnapshotList}).
   *
   * @param childName the element name
   * @return the children, possibly empty
   */
  public List<VimValue> children(String childName) {
    List<VimValue> out = new ArrayList<>();
    for (VimValue c : children) {
      if (c.name.equals(childName)) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * The text of the first child with the given name.
   *
   * @param childName the element name
   * @return its text, if the child is present
   */
  public Optional<String> childText(String childName) {
    return child(childName).map(VimValue::text);
  }

  /**
   * Whether this is a managed object reference (it has a {@code type} attribute).
   *
   * @return whether it is
   */
  public boolean isReference() {
    return typeAttribute != null;
  }

  /**
   * This value as a managed object reference.
   *
   * @return the reference
   * @throws IllegalStateException when the element has no {@code type} attribute
   */
  public ManagedObjectReference asReference() {
    if (typeAttribute == null) {
      throw new IllegalStateException("<" + name + "> is not a managed object reference");
    }
    return new ManagedObjectReference(typeAttribute, text);
  }

  /**
   * This leaf's text as a boolean ({@code true} or {@code 1}).
   *
   * @return the boolean
   */
  public boolean asBoolean() {
    return "true".equals(text) || "1".equals(text);
  }

  /**
   * This leaf's text as a long.
   *
   * @return the number
   * @throws NumberFormatException when the text is not a number
   */
  public long asLong() {
    return Long.parseLong(text.trim());
  }

  /** {@return a compact XML-like rendering, for diagnostics} */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    render(s);
    return s.toString();
  }

  private void render(StringBuilder s) {
    s.append('<').append(name);
    if (xsiType != null) {
      s.append(" xsi:type=\"").append(xsiType).append('"');
    }
    if (typeAttribute != null) {
      s.append(" type=\"").append(typeAttribute).append('"');
    }
    s.append('>');
    if (children.isEmpty()) {
      s.append(text);
    } else {
      for (VimValue c : children) {
        c.render(s);
      }
    }
    s.append("</").append(name).append('>');
  }
}
