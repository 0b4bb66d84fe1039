package io.convergence.testkit.vmoperator.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes API version names ordered as discovery orders them (GA, then beta, then alpha; higher
 * numbers first), and what differs between the vm-operator versions the simulator writes.
 */
public final class ApiVersions {

  private ApiVersions() {}

  /** The vm-operator versions the simulator knows the schemas of, oldest first. */
  public static final List<String> KNOWN = List.of("v1alpha3", "v1alpha4", "v1alpha5", "v1alpha6");

  private static final Pattern VERSION = Pattern.compile("^v(\\d+)(?:(alpha|beta)(\\d+))?$");

  /**
   * Orders versions by Kubernetes' version priority, highest first: {@code v2 > v1 > v1beta2 >
   * v1beta1 > v1alpha6 > ... > v1alpha1}; names that are not versions go last, alphabetically.
   */
  public static final Comparator<String> PRIORITY =
      (a, b) -> {
        long pa = priority(a);
        long pb = priority(b);
        if (pa != pb) {
          return Long.compare(pb, pa);
        }
        return a.compareTo(b);
      };

  private static long priority(String v) {
    Matcher m = VERSION.matcher(v.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return Long.MIN_VALUE;
    }
    long major = Long.parseLong(m.group(1));
    int stability = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
    long minor = m.group(3) == null ? 0 : Long.parseLong(m.group(3));
    return major * 1_000_000L + stability * 10_000L + Math.min(minor, 9_999L);
  }

  /**
   * The level of a known vm-operator version: 3 for {@code v1alpha3} ... 6 for {@code v1alpha6}.
   *
   * @throws IllegalArgumentException for another version
   */
  public static int level(String version) {
    int i = KNOWN.indexOf(version);
    if (i < 0) {
      throw new IllegalArgumentException(
          "vm-operator API version " + version + " is not one the simulator knows: " + KNOWN);
    }
    return i + 3;
  }

  /**
   * The status field naming the ESXi host: {@code host} in v1alpha3, {@code nodeName} from
   * v1alpha4.
   */
  public static String hostField(String version) {
    return level(version) == 3 ? "host" : "nodeName";
  }

  /** Whether the VirtualMachine status has {@code class} (v1alpha3, v1alpha5+; not v1alpha4). */
  public static boolean statusClass(String version) {
    return level(version) != 4;
  }

  /** Whether the VirtualMachine status has {@code guest} and {@code hardware} (v1alpha5+). */
  public static boolean statusGuestAndHardware(String version) {
    return level(version) >= 5;
  }

  /**
   * Whether the simulator handles VirtualMachineSnapshots in this version: the {@code spec.vmName}
   * form of v1alpha5+ (v1alpha4's {@code spec.vmRef} form is not simulated).
   */
  public static boolean snapshots(String version) {
    return level(version) >= 5;
  }
}
