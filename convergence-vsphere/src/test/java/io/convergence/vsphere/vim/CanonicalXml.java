package io.convergence.vsphere.vim;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * A canonical, line-per-element rendering of an XML document for comparing requests from different
 * writers: element and attribute names by namespace URI (prefixes and namespace declarations do not
 * matter), {@code xsi:type} values resolved the same way ({@code xsd:string} whether or not the
 * writer declared {@code xsd}), element order and text kept exactly.
 */
public final class CanonicalXml {
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
  private static final String XSD = "http://www.w3.org/2001/XMLSchema";
  private static final String XMLNS = "http://www.w3.org/2000/xmlns/";

  private CanonicalXml() {}

  /**
   * Renders a document.
   *
   * @param xml the document
   * @return the canonical form
   */
  public static String of(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element root =
          f.newDocumentBuilder()
              .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)))
              .getDocumentElement();
      StringBuilder s = new StringBuilder();
      render(root, 0, s);
      return s.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException("not XML: " + e.getMessage(), e);
    }
  }

  private static void render(Element e, int depth, StringBuilder s) {
    s.append("  ".repeat(depth)).append(name(e.getNamespaceURI(), e.getLocalName()));
    Map<String, String> attrs = new TreeMap<>();
    NamedNodeMap map = e.getAttributes();
    for (int i = 0; i < map.getLength(); i++) {
      Attr a = (Attr) map.item(i);
      if (XMLNS.equals(a.getNamespaceURI())) {
        continue;
      }
      String key = name(a.getNamespaceURI(), a.getLocalName());
      String value = a.getValue();
      if (XSI.equals(a.getNamespaceURI()) && "type".equals(a.getLocalName())) {
        value = qname(e, value);
      }
      attrs.put(key, value);
    }
    attrs.forEach((k, v) -> s.append(" @").append(k).append("=\"").append(v).append('"'));
    boolean hasElements = false;
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element) {
        hasElements = true;
        break;
      }
    }
    if (!hasElements) {
      s.append(" = \"")
          .append(e.getTextContent().replace("\r", "\\r").replace("\n", "\\n"))
          .append("\"\n");
      return;
    }
    s.append('\n');
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        render(c, depth + 1, s);
      } else if (n.getNodeType() == Node.TEXT_NODE && !n.getTextContent().isBlank()) {
        s.append("  ".repeat(depth + 1))
            .append("#text \"")
            .append(n.getTextContent())
            .append("\"\n");
      }
    }
  }

  private static String qname(Element e, String value) {
    int colon = value.indexOf(':');
    if (colon < 0) {
      return value;
    }
    String prefix = value.substring(0, colon);
    String ns = e.lookupNamespaceURI(prefix);
    if (ns == null && "xsd".equals(prefix)) {
      ns = XSD;
    }
    return name(ns, value.substring(colon + 1));
  }

  private static String name(String ns, String local) {
    return ns == null ? local : "{" + ns + "}" + local;
  }
}
