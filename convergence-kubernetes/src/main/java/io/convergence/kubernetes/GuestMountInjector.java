package io.convergence.kubernetes;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Adds the mounts of shared volumes to a guest's own customisation: a cloud-config part next to a
 * Linux guest's user data (multipart MIME, merged by appending lists so the user's {@code runcmd}
 * is kept), or first-logon commands in a Windows guest's sysprep answer file. Shared by the
 * backends whose VMs reach shared volumes through an in-lab file server (see {@link
 * SmbFileServer}).
 *
 * @since 0.1.0
 */
public final class GuestMountInjector {

  static final String UNATTEND_NS = "urn:schemas-microsoft-com:unattend";
  static final String WCM_NS = "http://schemas.microsoft.com/WMIConfig/2002/State";

  private GuestMountInjector() {}

  /** The cloud-config part that mounts the volumes. */
  static String mountCloudConfig(List<GuestMount> mounts) {
    StringBuilder s = new StringBuilder("#cloud-config\n");
    s.append(
        "merge_how:\n- name: list\n  settings: [append]\n- name: dict\n  settings: [no_replace, recurse_list]\n");
    s.append("runcmd:\n");
    for (GuestMount m : mounts) {
      String opts = m.readOnly() ? "ro" : "rw";
      s.append("- [mkdir, -p, '").append(m.path()).append("']\n");
      switch (m.kind()) {
        case VIRTIOFS:
          s.append("- [mount, -t, virtiofs, -o, ")
              .append(opts)
              .append(", ")
              .append(m.server())
              .append(", '")
              .append(m.path())
              .append("']\n");
          break;
        case NFS:
          s.append(
                  "- [sh, -c, 'command -v mount.nfs4 >/dev/null || (apt-get install -y nfs-common || dnf install")
              .append(" -y nfs-utils || yum install -y nfs-utils)']\n");
          if (!m.subPath().isEmpty()) {
            // the export holds many labs: mount it aside, make the lab's directory, bind it
            String root = "/run/convergence/exports/" + m.volume();
            s.append("- [mkdir, -p, '").append(root).append("']\n");
            s.append("- [mount, -t, nfs4, -o, rw, '")
                .append(m.server())
                .append(":")
                .append(m.share())
                .append("', '")
                .append(root)
                .append("']\n");
            s.append("- [mkdir, -p, '").append(root).append("/").append(m.subPath()).append("']\n");
            s.append("- [mount, --bind, '")
                .append(root)
                .append("/")
                .append(m.subPath())
                .append("', '")
                .append(m.path())
                .append("']\n");
            if (m.readOnly()) {
              s.append("- [mount, -o, 'remount,bind,ro', '").append(m.path()).append("']\n");
            }
            break;
          }
          s.append("- [mount, -t, nfs4, -o, ")
              .append(opts)
              .append(", '")
              .append(m.server())
              .append(":")
              .append(m.share())
              .append("', '")
              .append(m.path())
              .append("']\n");
          break;
        case SMB:
          s.append(
                  "- [sh, -c, 'command -v mount.cifs >/dev/null || (apt-get install -y cifs-utils || dnf install")
              .append(" -y cifs-utils || yum install -y cifs-utils)']\n");
          s.append("- [mount, -t, cifs, -o, '")
              .append(opts)
              .append(",vers=3.0,username=")
              .append(m.user())
              .append(",password=")
              .append(m.password())
              .append("', '//")
              .append(m.server())
              .append("/")
              .append(m.share())
              .append("', '")
              .append(m.path())
              .append("']\n");
          break;
        default:
          throw new AssertionError(m.kind());
      }
    }
    return s.toString();
  }

  /**
   * Linux user data that also mounts the volumes: the user's data and a mount part as multipart
   * MIME, or only the mount part when the user gave none.
   *
   * @param userData the user's cloud-init user data, or null
   * @param mounts the mounts
   * @return the user data to send
   */
  public static String cloudInit(String userData, List<GuestMount> mounts) {
    if (mounts.isEmpty()) {
      return userData;
    }
    String part = mountCloudConfig(mounts);
    if (userData == null || userData.isBlank()) {
      return part;
    }
    String head = userData.stripLeading();
    if (head.startsWith("Content-Type: multipart/")) {
      throw new IllegalArgumentException(
          "multipart user data cannot be extended with shared volume mounts");
    }
    String type =
        head.startsWith("#!")
            ? "text/x-shellscript"
            : head.startsWith("#include")
                ? "text/x-include-url"
                : head.startsWith("## template: jinja") ? "text/jinja2" : "text/cloud-config";
    String boundary =
        "==convergence-"
            + UUID.nameUUIDFromBytes(userData.getBytes(java.nio.charset.StandardCharsets.UTF_8))
            + "==";
    return "Content-Type: multipart/mixed; boundary=\""
        + boundary
        + "\"\nMIME-Version: 1.0\n\n"
        + "--"
        + boundary
        + "\nContent-Type: "
        + type
        + "; charset=\"utf-8\"\nContent-Disposition: attachment;"
        + " filename=\"user-data\"\n\n"
        + userData
        + (userData.endsWith("\n") ? "" : "\n")
        + "--"
        + boundary
        + "\nContent-Type: text/cloud-config; charset=\"utf-8\"\nContent-Disposition: attachment;"
        + " filename=\"convergence-mounts.cfg\"\n\n"
        + part
        + "--"
        + boundary
        + "--\n";
  }

  /**
   * A sysprep answer file that also maps the volumes' SMB shares to drive letters at first logon.
   *
   * @param unattendXml the user's answer file
   * @param mounts the SMB mounts
   * @return the answer file to send
   */
  public static String sysprep(String unattendXml, List<GuestMount> mounts) {
    if (mounts.isEmpty()) {
      return unattendXml;
    }
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder b = f.newDocumentBuilder();
      Document doc = b.parse(new InputSource(new StringReader(unattendXml)));
      Element root = doc.getDocumentElement();
      Element settings = child(root, "settings", "pass", "oobeSystem");
      if (settings == null) {
        settings = doc.createElementNS(UNATTEND_NS, "settings");
        settings.setAttribute("pass", "oobeSystem");
        root.appendChild(settings);
      }
      Element shell = child(settings, "component", "name", "Microsoft-Windows-Shell-Setup");
      if (shell == null) {
        shell = doc.createElementNS(UNATTEND_NS, "component");
        shell.setAttribute("name", "Microsoft-Windows-Shell-Setup");
        shell.setAttribute("processorArchitecture", "amd64");
        shell.setAttribute("publicKeyToken", "31bf3856ad364e35");
        shell.setAttribute("language", "neutral");
        shell.setAttribute("versionScope", "nonSxS");
        settings.appendChild(shell);
      }
      Element commands = child(shell, "FirstLogonCommands", null, null);
      if (commands == null) {
        commands = doc.createElementNS(UNATTEND_NS, "FirstLogonCommands");
        shell.appendChild(commands);
      }
      int order = 0;
      NodeList existing = commands.getElementsByTagNameNS(UNATTEND_NS, "Order");
      for (int i = 0; i < existing.getLength(); i++) {
        try {
          order = Math.max(order, Integer.parseInt(existing.item(i).getTextContent().trim()));
        } catch (NumberFormatException e) {
          // keep the highest number found
        }
      }
      for (GuestMount m : mounts) {
        if (m.kind() != GuestMount.Kind.SMB) {
          throw new IllegalArgumentException(
              "a Windows guest mounts " + m.volume() + " with SMB, not " + m.kind());
        }
        Element cmd = doc.createElementNS(UNATTEND_NS, "SynchronousCommand");
        cmd.setAttributeNS(WCM_NS, "wcm:action", "add");
        append(doc, cmd, "Order", Integer.toString(++order));
        append(doc, cmd, "Description", "Convergence: map shared volume " + m.volume());
        append(doc, cmd, "CommandLine", smbCommand(m));
        commands.appendChild(cmd);
      }
      Transformer t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.ENCODING, "utf-8");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "the sysprep answer file is not well-formed XML: " + e.getMessage(), e);
    }
  }

  private static String smbCommand(GuestMount m) {
    String target = m.path().toUpperCase(Locale.ROOT).replaceAll("\\\\$", "");
    String unc = "\\\\" + m.server() + "\\" + m.share();
    String prefix = "";
    if (!m.subPath().isEmpty()) {
      // the share holds many labs: connect to it, make the lab's directory, map that
      prefix =
          "net use "
              + unc
              + " "
              + m.password()
              + " /user:"
              + m.user()
              + " & mkdir "
              + unc
              + "\\"
              + m.subPath().replace('/', '\\')
              + " & ";
      unc = unc + "\\" + m.subPath().replace('/', '\\');
    }
    if (target.matches("[A-Z]:")) {
      return "cmd /c "
          + prefix
          + "net use "
          + target
          + " "
          + unc
          + " "
          + m.password()
          + " /user:"
          + m.user()
          + " /persistent:yes";
    }
    return "cmd /c "
        + prefix
        + "net use "
        + unc
        + " "
        + m.password()
        + " /user:"
        + m.user()
        + " /persistent:yes && mklink /d \""
        + m.path()
        + "\" "
        + unc;
  }

  private static void append(Document doc, Element parent, String name, String text) {
    Element e = doc.createElementNS(UNATTEND_NS, name);
    e.setTextContent(text);
    parent.appendChild(e);
  }

  private static Element child(Element parent, String name, String attribute, String value) {
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i) instanceof Element e
          && name.equals(e.getLocalName())
          && (attribute == null || value.equals(e.getAttribute(attribute)))) {
        return e;
      }
    }
    return null;
  }
}
