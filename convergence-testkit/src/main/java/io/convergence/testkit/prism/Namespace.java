package io.convergence.testkit.prism;

import java.util.Locale;

/**
 * A Prism Central v4 API namespace: the prefix of its {@code $objectType}s, of its error codes and
 * of its paths.
 */
enum Namespace {
  VMM("vmm", "VMM"),
  PRISM("prism", "PRISM"),
  NETWORKING("networking", "NET"),
  CLUSTERMGMT("clustermgmt", "CLU"),
  DATAPROTECTION("dataprotection", "DP");

  /** The v4 API version every path uses. */
  static final String VERSION = "v4.0";

  private final String id;
  private final String codePrefix;

  Namespace(String id, String codePrefix) {
    this.id = id;
    this.codePrefix = codePrefix;
  }

  /** The namespace's name in paths and {@code $objectType}s, e.g. {@code vmm}. */
  String id() {
    return id;
  }

  /**
   * A type of this namespace, e.g. {@code type("ahv.config.Vm")} is {@code vmm.v4.ahv.config.Vm}.
   */
  String type(String suffix) {
    return id + ".v4." + suffix;
  }

  /** An error type of this namespace, e.g. {@code vmm.v4.error.AppMessage}. */
  String errorType(String simpleName) {
    return id + ".v4.error." + simpleName;
  }

  /** An error code of this namespace, e.g. {@code VMM-20005}. */
  String code(int number) {
    return codePrefix + "-" + number;
  }

  /** The path prefix of this namespace, e.g. {@code /api/vmm/v4.0}. */
  String pathPrefix() {
    return "/api/" + id + "/" + VERSION;
  }

  /**
   * The namespace a path belongs to, {@link #PRISM} when it names none (the gateway's own errors).
   */
  static Namespace ofPath(String path) {
    String[] parts = path.split("/");
    if (parts.length > 2 && parts[1].equals("api")) {
      String id = parts[2].toLowerCase(Locale.ROOT);
      for (Namespace ns : values()) {
        if (ns.id.equals(id)) {
          return ns;
        }
      }
    }
    return PRISM;
  }
}
