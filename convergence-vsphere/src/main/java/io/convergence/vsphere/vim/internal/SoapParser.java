package io.convergence.vsphere.vim.internal;

import io.convergence.vsphere.vim.VimFault;
import io.convergence.vsphere.vim.VimValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.jspecify.annotations.Nullable;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Parses SOAP responses into {@link VimValue} trees and faults. The parser refuses DTDs and
 * external entities (a response is untrusted input).
 */
public final class SoapParser {
  private SoapParser() {}

  /**
   * A parsed response: either the method's response element or a fault.
   *
   * @param response the {@code *Response} element, or {@code null} for a fault
   * @param fault the fault, or {@code null}
   */
  public record Parsed(@Nullable VimValue response, @Nullable VimFault fault) {}

  /**
   * Parses a SOAP envelope.
   *
   * @param body the HTTP body
   * @return the response or fault
   * @throws IllegalArgumentException when the body is not a SOAP envelope with a body element
   */
  public static Parsed parse(byte[] body) {
    Element root = document(body).getDocumentElement();
    if (!XmlWriter.SOAPENV.equals(root.getNamespaceURI())
        || !"Envelope".equals(root.getLocalName())) {
      throw new IllegalArgumentException("not a SOAP envelope: <" + root.getNodeName() + ">");
    }
    Element soapBody = firstChild(root, XmlWriter.SOAPENV, "Body");
    if (soapBody == null) {
      throw new IllegalArgumentException("SOAP envelope without Body");
    }
    Element first = firstChild(soapBody, null, null);
    if (first == null) {
      throw new IllegalArgumentException("empty SOAP Body");
    }
    if (XmlWriter.SOAPENV.equals(first.getNamespaceURI()) && "Fault".equals(first.getLocalName())) {
      return new Parsed(null, fault(first));
    }
    return new Parsed(toValue(first), null);
  }

  private static VimFault fault(Element fault) {
    String code = childText(fault, "faultcode");
    String message = childText(fault, "faultstring");
    Element detail = firstChild(fault, null, "detail");
    Element typed = detail == null ? null : firstChild(detail, null, null);
    if (typed == null) {
      int colon = code.indexOf(':');
      String name = colon >= 0 ? code.substring(colon + 1) : code;
      return new VimFault(name.isEmpty() ? "Unknown" : name, message, null);
    }
    VimValue value = toValue(typed);
    String name =
        value
            .xsiType()
            .orElseGet(
                () -> {
                  String local = localName(typed);
                  return local.endsWith("Fault") && local.length() > 5
                      ? local.substring(0, local.length() - 5)
                      : local;
                });
    return new VimFault(name, message, value);
  }

  /**
   * Converts an element and its descendants.
   *
   * @param e the element
   * @return the value
   */
  public static VimValue toValue(Element e) {
    List<VimValue> children = new ArrayList<>();
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c) {
        children.add(toValue(c));
      }
    }
    String typeAttr = e.hasAttributeNS(null, "type") ? e.getAttributeNS(null, "type") : null;
    return new VimValue(
        localName(e), xsiType(e), typeAttr, children.isEmpty() ? e.getTextContent() : "", children);
  }

  private static @Nullable String xsiType(Element e) {
    if (!e.hasAttributeNS(XmlWriter.XSI, "type")) {
      return null;
    }
    String qname = e.getAttributeNS(XmlWriter.XSI, "type").trim();
    int colon = qname.indexOf(':');
    if (colon < 0) {
      return qname;
    }
    String prefix = qname.substring(0, colon);
    String local = qname.substring(colon + 1);
    String ns = e.lookupNamespaceURI(prefix);
    if (XmlWriter.XSD.equals(ns) || (ns == null && "xsd".equals(prefix))) {
      return "xsd:" + local;
    }
    return local;
  }

  /**
   * Reads the vim25 versions from {@code /sdk/vimServiceVersions.xml}: the current one first, then
   * the prior ones.
   *
   * @param xml the document
   * @return the versions of {@code urn:vim25}, possibly empty
   */
  public static List<String> serviceVersions(byte[] xml) {
    Element root = document(xml).getDocumentElement();
    List<String> versions = new ArrayList<>();
    for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element ns
          && "namespace".equals(localName(ns))
          && "urn:vim25".equals(childText(ns, "name"))) {
        String current = childText(ns, "version");
        if (!current.isEmpty()) {
          versions.add(current);
        }
        Element prior = firstChild(ns, null, "priorVersions");
        if (prior != null) {
          for (Node p = prior.getFirstChild(); p != null; p = p.getNextSibling()) {
            if (p instanceof Element v && "version".equals(localName(v))) {
              versions.add(v.getTextContent().trim());
            }
          }
        }
      }
    }
    return versions;
  }

  private static Document document(byte[] body) {
    try {
      DocumentBuilder builder = FACTORY.get().newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder.parse(new ByteArrayInputStream(body));
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    } catch (SAXException | IOException e) {
      throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static final ThreadLocal<DocumentBuilderFactory> FACTORY =
      ThreadLocal.withInitial(SoapParser::newFactory);

  private static DocumentBuilderFactory newFactory() {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setXIncludeAware(false);
    f.setExpandEntityReferences(false);
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("cannot harden the XML parser", e);
    }
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
    f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
    return f;
  }

  private static @Nullable Element firstChild(
      Element parent, @Nullable String ns, @Nullable String local) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c
          && (local == null || local.equals(localName(c)))
          && (ns == null || ns.equals(c.getNamespaceURI()))) {
        return c;
      }
    }
    return null;
  }

  private static String childText(Element parent, String local) {
    Element c = firstChild(parent, null, local);
    return c == null ? "" : c.getTextContent().trim();
  }

  private static String localName(Element e) {
    return e.getLocalName() != null ? e.getLocalName() : e.getNodeName();
  }
}
