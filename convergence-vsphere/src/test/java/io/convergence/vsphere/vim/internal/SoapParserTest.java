package io.convergence.vsphere.vim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.convergence.vsphere.vim.Fixtures;
import io.convergence.vsphere.vim.ManagedObjectReference;
import io.convergence.vsphere.vim.VimFault;
import io.convergence.vsphere.vim.VimValue;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Fault envelopes and hostile input, from recorded vcsim and vCenter answers. */
class SoapParserTest {

  @Test
  void vcsimInvalidLoginFault() {
    VimFault f = Fixtures.recorded(2).fault();
    assertThat(f.name()).isEqualTo("InvalidLogin");
    assertThat(f.message()).isEqualTo("Login failure");
    assertThat(f.detail()).isNotNull();
  }

  @Test
  void vcenterInvalidLoginFault() {
    SoapParser.Parsed p =
        SoapParser.parse(Fixtures.bytes("vcenter/InvalidLogin.fault.response.xml"));
    assertThat(p.response()).isNull();
    assertThat(p.fault().name()).isEqualTo("InvalidLogin");
    assertThat(p.fault().message())
        .isEqualTo("Cannot complete login due to an incorrect user name or password.");
  }

  @Test
  void faultFieldsAreReadable() {
    VimFault duplicate = Fixtures.recorded(10).fault();
    assertThat(duplicate.name()).isEqualTo("DuplicateName");
    assertThat(duplicate.field("name")).hasValue("lab-recorded");
    assertThat(duplicate.detail().child("object").map(VimValue::asReference))
        .hasValueSatisfying(r -> assertThat(r.type()).isEqualTo("Folder"));

    VimFault notFound = Fixtures.recorded(47).fault();
    assertThat(notFound.name()).isEqualTo("ManagedObjectNotFound");
    assertThat(notFound.message()).contains("already been deleted");

    VimFault notAuthenticated = Fixtures.recorded(53).fault();
    assertThat(notAuthenticated.name()).isEqualTo(VimFault.NOT_AUTHENTICATED);
    assertThat(notAuthenticated.message()).isEmpty();
    assertThat(notAuthenticated.field("privilegeId")).hasValue("System.View");

    VimFault inProgress =
        SoapParser.parse(Fixtures.bytes("vcenter/TaskInProgress.fault.response.xml")).fault();
    assertThat(inProgress.name()).isEqualTo("TaskInProgress");
    assertThat(inProgress.detail().child("task").map(VimValue::asReference))
        .hasValue(ManagedObjectReference.of("Task", "task-2001"));
  }

  @Test
  void faultWithoutDetailIsNamedAfterTheFaultCode() {
    String xml =
        "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode>"
            + "<faultstring>Unable to parse body</faultstring></soapenv:Fault></soapenv:Body>"
            + "</soapenv:Envelope>";
    VimFault f = SoapParser.parse(xml.getBytes(StandardCharsets.UTF_8)).fault();
    assertThat(f.name()).isEqualTo("Client");
    assertThat(f.message()).isEqualTo("Unable to parse body");
    assertThat(f.detail()).isNull();
  }

  @Test
  void xsiTypesAreResolvedWhateverThePrefix() {
    // vcsim binds the XSI namespace to the prefix "XMLSchema-instance" on each value
    VimValue response = Fixtures.recorded(8).responseValue();
    VimValue first = response.child("returnval").orElseThrow().children("objects").get(0);
    VimValue nameVal = first.children("propSet").get(0).child("val").orElseThrow();
    assertThat(nameVal.xsiType()).hasValue("xsd:string");
    assertThat(nameVal.text()).isEqualTo("DC0_H0_VM0");
  }

  @Test
  void refusesDoctypesAndExternalEntities() {
    String xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">"
            + "<soapenv:Body><r>&e;</r></soapenv:Body></soapenv:Envelope>";
    assertThatThrownBy(() -> SoapParser.parse(xxe.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  void refusesWhatIsNotASoapEnvelope() {
    assertThatThrownBy(
            () ->
                SoapParser.parse(
                    "<html><body>login</body></html>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a SOAP envelope");
    assertThatThrownBy(
            () -> SoapParser.parse("Service Unavailable".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serviceVersions() {
    assertThat(SoapParser.serviceVersions(Fixtures.bytes("fetched/vimServiceVersions.xml")))
        .containsExactly("6.5", "6.0", "5.5");
  }
}
