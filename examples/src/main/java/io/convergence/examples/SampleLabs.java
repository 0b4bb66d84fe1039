package io.convergence.examples;

import static io.convergence.spec.Ref.ref;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.PortSpec;
import io.convergence.spec.Probe;
import io.convergence.spec.SecretValue;
import io.convergence.spec.SharedVolume;
import io.convergence.spec.Stage;
import io.convergence.spec.VmSpec;
import java.time.Duration;

/**
 * The sample converged lab, in code; {@code labs/wafer-analysis.yaml} is the same lab as a file.
 */
public final class SampleLabs {

  private SampleLabs() {}

  /**
   * A Windows test-tool VM, a Linux VM and a Python analysis container sharing a results volume:
   * the analysis side finds the tester through references, which also make it wait until the tester
   * is ready.
   *
   * @return the lab
   */
  public static LabSpec waferAnalysis() {
    return waferAnalysis(
        "wafer-analysis",
        "win2019-tester",
        "fedora-41",
        SecretValue.fromEnv("TESTER_UNATTEND_XML"));
  }

  /**
   * The same lab on other images, e.g. a platform's own templates.
   *
   * @param name the lab's name
   * @param windowsImage the tester's image (a Windows template or image of the platform)
   * @param linuxImage the prober's image
   * @param unattend the tester's sysprep answer file
   * @return the lab
   */
  public static LabSpec waferAnalysis(
      String name, String windowsImage, String linuxImage, SecretValue unattend) {
    return LabSpec.builder(name)
        .label("team", "metrology")
        .sharedVolume(SharedVolume.named("results").withSize("20Gi"))
        .vm(
            "tester",
            VmSpec.builder()
                .image(windowsImage)
                .guestOs(GuestOs.WINDOWS)
                .cpus(4)
                .memory("8Gi")
                .sysprep(unattend)
                .guestAgent(true)
                .expose(PortSpec.tcp(5985, "winrm"))
                .mount("results", "R:")
                .probe(Probe.winRm())
                .timeout(Stage.GUEST, Duration.ofMinutes(30))
                .build())
        .vm(
            "prober",
            VmSpec.builder()
                .image(linuxImage)
                .cpus(2)
                .memory("4Gi")
                .cloudInit(
                    "#cloud-config\n"
                        + "write_files:\n"
                        + "- path: /etc/lab/tester\n"
                        + "  content: \""
                        + ref("tester").address(5985)
                        + "\"\n")
                .expose(22)
                .mount("results", "/mnt/results")
                .probe(Probe.ssh())
                .build())
        .container(
            "analysis",
            ContainerSpec.builder()
                .image("python:3.12-slim")
                .command("python", "-m", "http.server", "8000")
                .env("TESTER_HOST", ref("tester").host())
                .env("WSMAN_URL", "http://" + ref("tester").address(5985) + "/wsman")
                .env("RESULTS_DIR", "/data")
                .resources("500m", "512Mi")
                .expose(8000)
                .mount("results", "/data")
                .probe(Probe.http(8000, "/"))
                .build())
        .build();
  }

  /**
   * A sysprep answer file for the demo; a real one sets the administrator password and enables
   * WinRM.
   */
  static final String DEMO_UNATTEND =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
          + "<unattend xmlns=\"urn:schemas-microsoft-com:unattend\">\n"
          + "  <settings pass=\"oobeSystem\"><component name=\"Microsoft-Windows-Shell-Setup\">\n"
          + "    <UserAccounts><AdministratorPassword><Value>demo-only</Value></AdministratorPassword></UserAccounts>\n"
          + "  </component></settings>\n"
          + "</unattend>\n";
}
