package io.convergence.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GuestMountInjectorTest {

  private static final GuestMount NFS =
      new GuestMount(
          "results",
          "/mnt/results",
          true,
          GuestMount.Kind.NFS,
          "results-nfs.ns.svc.cluster.local",
          "/",
          "",
          "");
  private static final GuestMount SMB =
      new GuestMount(
          "results",
          "R:",
          false,
          GuestMount.Kind.SMB,
          "results-smb.ns.svc.cluster.local",
          "results",
          "lab",
          "pw1");

  @Test
  @DisplayName("without user data the mount part is the whole cloud-config")
  void onlyMounts() {
    String data = GuestMountInjector.cloudInit(null, List.of(NFS));
    assertThat(data)
        .startsWith("#cloud-config\n")
        .contains(
            "[mount, -t, nfs4, -o, ro, 'results-nfs.ns.svc.cluster.local:/', '/mnt/results']");
  }

  @Test
  @DisplayName(
      "a user's script and the mount part become a multipart document keeping the script intact")
  void multipart() {
    String script = "#!/bin/sh\necho hello\n";
    String data = GuestMountInjector.cloudInit(script, List.of(NFS));
    assertThat(data)
        .startsWith("Content-Type: multipart/mixed; boundary=")
        .contains(
            "Content-Type: text/x-shellscript",
            script,
            "Content-Type: text/cloud-config",
            "merge_how");
    assertThat(GuestMountInjector.cloudInit(script, List.of())).isSameAs(script);
  }

  @Test
  @DisplayName("sysprep keeps the user's settings and appends numbered first-logon commands")
  void sysprep() {
    String xml =
        "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\" xmlns:wcm=\"http://schemas.microsoft.com/WMIConfig/2002/State\">"
            + "<settings pass=\"oobeSystem\"><component name=\"Microsoft-Windows-Shell-Setup\"><FirstLogonCommands>"
            + "<SynchronousCommand wcm:action=\"add\"><Order>3</Order><CommandLine>cmd /c echo mine</CommandLine>"
            + "</SynchronousCommand></FirstLogonCommands></component></settings></unattend>";

    String out = GuestMountInjector.sysprep(xml, List.of(SMB));

    assertThat(out)
        .contains(
            "cmd /c echo mine",
            "<Order>4</Order>",
            "net use R: \\\\results-smb.ns.svc.cluster.local\\results pw1 /user:lab /persistent:yes");
  }

  @Test
  @DisplayName("an answer file that is not XML is refused with the parser's reason")
  void badXml() {
    assertThatThrownBy(() -> GuestMountInjector.sysprep("<unattend>", List.of(SMB)))
        .hasMessageContaining("not well-formed XML");
  }

  @Test
  @DisplayName(
      "a volume below a shared export is mounted aside, its directory made, then bound in place")
  void nfsSubPath() {
    GuestMount files =
        new GuestMount(
            "results",
            "/mnt/results",
            false,
            GuestMount.Kind.NFS,
            "files01.lab.example",
            "/convergence",
            "",
            "",
            "lab-1a2b/results");

    String data = GuestMountInjector.cloudInit(null, List.of(files));

    assertThat(data)
        .containsSubsequence(
            "- [mount, -t, nfs4, -o, rw, 'files01.lab.example:/convergence',"
                + " '/run/convergence/exports/results']",
            "- [mkdir, -p, '/run/convergence/exports/results/lab-1a2b/results']",
            "- [mount, --bind, '/run/convergence/exports/results/lab-1a2b/results',"
                + " '/mnt/results']");
  }

  @Test
  @DisplayName("a Windows guest makes its lab's directory on a shared share before mapping it")
  void smbSubPath() {
    GuestMount files =
        new GuestMount(
            "results",
            "R:",
            false,
            GuestMount.Kind.SMB,
            "files01.lab.example",
            "convergence",
            "LAB\\svc-tester",
            "pw",
            "lab-1a2b/results");
    String xml = "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\"/>";

    String out = GuestMountInjector.sysprep(xml, List.of(files));

    assertThat(out)
        .contains(
            "cmd /c net use \\\\files01.lab.example\\convergence pw /user:LAB\\svc-tester"
                + " &amp; mkdir \\\\files01.lab.example\\convergence\\lab-1a2b\\results &amp;"
                + " net use R: \\\\files01.lab.example\\convergence\\lab-1a2b\\results pw"
                + " /user:LAB\\svc-tester /persistent:yes");
    assertThat(files.toString()).doesNotContain("pw");
  }
}
