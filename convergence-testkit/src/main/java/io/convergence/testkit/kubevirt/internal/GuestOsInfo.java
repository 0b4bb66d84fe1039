package io.convergence.testkit.kubevirt.internal;

import io.convergence.testkit.kubernetes.internal.Json;
import java.util.Locale;
import java.util.Map;

/** What a guest agent reports as {@code status.guestOSInfo}, guessed from the boot image. */
public final class GuestOsInfo {

  private GuestOsInfo() {}

  /**
   * The guest OS of an image (containerDisk image, DataSource or DataVolume name).
   *
   * @param image the image or source name, e.g. {@code quay.io/containerdisks/fedora:41}
   * @return the {@code guestOSInfo} map
   */
  public static Map<String, Object> of(String image) {
    String i = image.toLowerCase(Locale.ROOT);
    if (i.contains("win")) {
      String version = i.contains("2022") ? "2022" : i.contains("11") ? "11" : "2019";
      boolean server = !version.equals("11");
      String pretty =
          server ? "Windows Server " + version + " Datacenter" : "Windows 11 Enterprise";
      return Json.obj(
          "id",
          "mswindows",
          "name",
          server ? "Microsoft Windows Server " + version : "Microsoft Windows 11",
          "prettyName",
          pretty,
          "version",
          version.equals("2022") ? "2022" : version.equals("11") ? "11" : "2019",
          "versionId",
          version,
          "kernelRelease",
          version.equals("2022") ? "20348" : version.equals("11") ? "22631" : "17763",
          "kernelVersion",
          "10.0",
          "machine",
          "x86_64");
    }
    if (i.contains("ubuntu")) {
      return Json.obj(
          "id", "ubuntu",
          "name", "Ubuntu",
          "prettyName", "Ubuntu 24.04.1 LTS",
          "version", "24.04.1 LTS (Noble Numbat)",
          "versionId", "24.04",
          "kernelRelease", "6.8.0-45-generic",
          "kernelVersion", "#45-Ubuntu SMP PREEMPT_DYNAMIC",
          "machine", "x86_64");
    }
    if (i.contains("centos") || i.contains("rhel")) {
      return Json.obj(
          "id", "centos",
          "name", "CentOS Stream",
          "prettyName", "CentOS Stream 9",
          "version", "9",
          "versionId", "9",
          "kernelRelease", "5.14.0-503.el9.x86_64",
          "kernelVersion", "#1 SMP PREEMPT_DYNAMIC",
          "machine", "x86_64");
    }
    if (i.contains("cirros")) {
      return Json.obj(
          "id", "cirros",
          "name", "CirrOS",
          "prettyName", "CirrOS 0.6.2",
          "version", "0.6.2",
          "versionId", "0.6.2",
          "kernelRelease", "5.15.0-71-generic",
          "kernelVersion", "#78-Ubuntu SMP",
          "machine", "x86_64");
    }
    return Json.obj(
        "id", "fedora",
        "name", "Fedora Linux",
        "prettyName", "Fedora Linux 41 (Cloud Edition)",
        "version", "41 (Cloud Edition)",
        "versionId", "41",
        "kernelRelease", "6.11.4-301.fc41.x86_64",
        "kernelVersion", "#1 SMP PREEMPT_DYNAMIC",
        "machine", "x86_64");
  }
}
