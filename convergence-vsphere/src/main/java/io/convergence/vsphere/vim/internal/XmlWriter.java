package io.convergence.vsphere.vim.internal;

import io.convergence.vsphere.vim.ManagedObjectReference;

/**
 * Appends vim25 request XML. Element names are trusted constants; text and attribute values are
 * escaped. Characters XML 1.0 cannot carry (most control characters) are refused, and a carriage
 * return is written as {@code &#13;} so that it survives the parser's line-end normalisation.
 */
public final class XmlWriter {
  /** The XML Schema instance namespace, bound to {@code xsi} on the envelope. */
  public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  /** The XML Schema namespace, bound to {@code xsd} on the envelope. */
  public static final String XSD = "http://www.w3.org/2001/XMLSchema";

  /** The vim25 namespace. */
  public static final String VIM25 = "urn:vim25";

  /** The SOAP 1.1 envelope namespace. */
  public static final String SOAPENV = "http://schemas.xmlsoap.org/soap/envelope/";

  private final StringBuilder out = new StringBuilder(512);

  /**
   * Opens the method element in the vim25 namespace.
   *
   * @param method e.g. {@code CloneVM_Task}
   * @return this writer
   */
  public XmlWriter method(String method) {
    out.append('<').append(method).append(" xmlns=\"").append(VIM25).append("\">");
    return this;
  }

  /**
   * Opens an element.
   *
   * @param name the element name
   * @return this writer
   */
  public XmlWriter start(String name) {
    out.append('<').append(name).append('>');
    return this;
  }

  /**
   * Opens an element with an {@code xsi:type}.
   *
   * @param name the element name
   * @param xsiType e.g. {@code OptionValue}
   * @return this writer
   */
  public XmlWriter startTyped(String name, String xsiType) {
    out.append('<').append(name).append(" xsi:type=\"").append(xsiType).append("\">");
    return this;
  }

  /**
   * Closes an element.
   *
   * @param name the element name
   * @return this writer
   */
  public XmlWriter end(String name) {
    out.append("</").append(name).append('>');
    return this;
  }

  /**
   * Writes an element with text.
   *
   * @param name the element name
   * @param value the text
   * @return this writer
   */
  public XmlWriter text(String name, String value) {
    start(name);
    escape(value, false);
    return end(name);
  }

  /**
   * Writes an element with text and an {@code xsi:type}, e.g. {@code <value
   * xsi:type="xsd:string">}.
   *
   * @param name the element name
   * @param xsiType the type
   * @param value the text
   * @return this writer
   */
  public XmlWriter textTyped(String name, String xsiType, String value) {
    startTyped(name, xsiType);
    escape(value, false);
    return end(name);
  }

  /**
   * Writes a boolean element.
   *
   * @param name the element name
   * @param value the value
   * @return this writer
   */
  public XmlWriter bool(String name, boolean value) {
    return start(name).raw(value ? "true" : "false").end(name);
  }

  /**
   * Writes a number element.
   *
   * @param name the element name
   * @param value the value
   * @return this writer
   */
  public XmlWriter number(String name, long value) {
    return start(name).raw(Long.toString(value)).end(name);
  }

  /**
   * Writes a managed object reference, e.g. {@code <_this type="VirtualMachine">vm-1</_this>}.
   *
   * @param name the element name
   * @param ref the reference
   * @return this writer
   */
  public XmlWriter ref(String name, ManagedObjectReference ref) {
    out.append('<').append(name).append(" type=\"");
    escape(ref.type(), true);
    out.append("\">");
    escape(ref.value(), false);
    return end(name);
  }

  /**
   * Writes an empty element ({@code <name></name>}, as govmomi writes it).
   *
   * @param name the element name
   * @return this writer
   */
  public XmlWriter empty(String name) {
    return start(name).end(name);
  }

  private XmlWriter raw(String s) {
    out.append(s);
    return this;
  }

  private void escape(String s, boolean attribute) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append(attribute ? "&quot;" : "\"");
        case '\r' -> out.append("&#13;");
        case '\t', '\n' -> {
          if (attribute) {
            out.append(c == '\t' ? "&#9;" : "&#10;");
          } else {
            out.append(c);
          }
        }
        default -> {
          if (c < 0x20 || c == 0xFFFE || c == 0xFFFF) {
            throw new IllegalArgumentException(
                "character U+" + String.format("%04X", (int) c) + " cannot be sent in XML 1.0");
          }
          out.append(c);
        }
      }
    }
  }

  /**
   * The XML written so far.
   *
   * @return the XML
   */
  @Override
  public String toString() {
    return out.toString();
  }

  /**
   * Wraps a method element into a SOAP envelope with the namespace declarations vCenter and pyvmomi
   * use ({@code soapenc}, {@code soapenv}, {@code xsd}, {@code xsi}).
   *
   * @param methodXml the method element
   * @return the whole request body
   */
  public static String envelope(String methodXml) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<soapenv:Envelope"
        + " xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\""
        + " xmlns:soapenv=\""
        + SOAPENV
        + "\" xmlns:xsd=\""
        + XSD
        + "\" xmlns:xsi=\""
        + XSI
        + "\"><soapenv:Body>"
        + methodXml
        + "</soapenv:Body></soapenv:Envelope>";
  }
}
