package io.convergence.vsphere.vim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.VimValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XmlWriterTest {

  private static VimValue roundTrip(String text) {
    String xml =
        new XmlWriter()
            .method("X")
            .text("value", text)
            .ref("obj", ManagedObjectReference.of("A\"<", "v&1"))
            .end("X")
            .toString();
    return SoapParser.parse(XmlWriter.envelope(xml).getBytes(StandardCharsets.UTF_8)).response();
  }

  @Test
  void textSurvivesTheParserUnchanged() {
    String userData =
        "#cloud-config\r\nruncmd:\n - [sh, -c, 'echo \"a<b>&c\"\t> /tmp/x']\n - ünïcödé 🚀\n";
    VimValue v = roundTrip(userData);
    assertThat(v.childText("value")).hasValue(userData);
    assertThat(v.child("obj").orElseThrow().asReference())
        .isEqualTo(ManagedObjectReference.of("A\"<", "v&1"));
  }

  @Test
  void refusesCharactersXmlCannotCarry() {
    assertThatThrownBy(() -> new XmlWriter().text("v", "a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("U+0000");
    assertThatThrownBy(() -> new XmlWriter().text("v", "\u001b[31m"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envelopeDeclaresTheNamespacesVcenterUses() {
    String env = XmlWriter.envelope("<X xmlns=\"urn:vim25\"/>");
    assertThat(env)
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .contains("xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"")
        .contains("xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"")
        .contains("xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"")
        .contains("<soapenv:Body><X xmlns=\"urn:vim25\"/></soapenv:Body>");
  }
}
