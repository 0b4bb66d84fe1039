package io.convergence.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Checks a {@link LabSpec} and collects every problem with its field path. Pure: no I/O, no secret
 * is read. Secrets given as environment variables or files are checked by the runtime when it reads
 * them.
 */
final class LabSpecValidator {

  static final int MAX_LAB_NAME = 30;
  static final int MAX_WORKLOAD_NAME = 40;
  static final int MAX_WINDOWS_COMPUTER_NAME = 15;
  static final int MAX_CPUS = 128;
  static final long MIN_VM_MEMORY = 128L << 20;
  static final long MIN_WINDOWS_MEMORY = 2L << 30;
  static final long MAX_VM_MEMORY = 4L << 40;
  static final long MIN_CONTAINER_MEMORY = 4L << 20;
  static final long MAX_USER_DATA_BYTES = 512L << 10;
  static final Duration MAX_STAGE_TIMEOUT = Duration.ofHours(24);
  static final Duration MIN_PROBE_INTERVAL = Duration.ofMillis(100);
  static final Duration MAX_PROBE_INTERVAL = Duration.ofMinutes(5);
  static final String RESERVED_LABEL_PREFIX = "convergence.io/";

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern IMAGE_REF =
      Pattern.compile(
          "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
              + "(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
  private static final Pattern WINDOWS_DRIVE = Pattern.compile("[A-Za-z]:\\\\?");
  private static final Pattern WINDOWS_PATH = Pattern.compile("[A-Za-z]:\\\\[^<>:\"/|?*]+");
  private static final List<String> CLOUD_INIT_HEADERS =
      List.of(
          "#cloud-config",
          "#!",
          "#include",
          "#cloud-boothook",
          "#part-handler",
          "## template: jinja",
          "Content-Type: multipart/");

  private final LabSpec spec;
  private final List<SpecProblem> problems = new ArrayList<>();
  private final Map<String, WorkloadSpec> workloadsByName = new LinkedHashMap<>();
  private final Set<String> volumeNames = new HashSet<>();

  private LabSpecValidator(LabSpec spec) {
    this.spec = spec;
  }

  static List<SpecProblem> validate(LabSpec spec) {
    LabSpecValidator v = new LabSpecValidator(spec);
    v.run();
    return List.copyOf(v.problems);
  }

  private void problem(String path, String message) {
    problems.add(new SpecProblem(path, message));
  }

  private void run() {
    checkName("name", spec.name(), MAX_LAB_NAME, "lab name");
    checkTtl();
    checkLabels("labels", spec.labels());
    checkVolumes();
    if (spec.workloads().isEmpty()) {
      problem("workloads", "a lab needs at least one workload; add a vm or a container");
    }
    for (NamedWorkload w : spec.workloads()) {
      String path = "workloads[" + w.name() + "]";
      if (workloadsByName.containsKey(w.name())) {
        problem(path, "duplicate workload name; names must be unique across VMs and containers");
        continue;
      }
      workloadsByName.put(w.name(), w.spec());
      checkName(path, w.name(), MAX_WORKLOAD_NAME, "workload name");
    }
    Set<String> checked = new HashSet<>();
    for (NamedWorkload w : spec.workloads()) {
      if (checked.add(w.name()) && workloadsByName.get(w.name()) == w.spec()) {
        checkWorkload(w.name(), w.spec());
      }
    }
    checkCycles();
  }

  private void checkName(String path, String name, int max, String what) {
    if (name.isEmpty()) {
      problem(
          path, what + " is empty; use lower-case letters, digits and '-', e.g. wafer-analysis");
    } else if (name.length() > max) {
      problem(
          path,
          what + " \"" + name + "\" has " + name.length() + " characters; use at most " + max);
    } else if (!DNS_LABEL.matcher(name).matches()) {
      problem(
          path,
          what
              + " \""
              + name
              + "\" is not a DNS label; use lower-case letters, digits and '-', starting with a letter and"
              + " ending with a letter or digit, e.g. "
              + suggestDnsLabel(name));
    }
  }

  private static String suggestDnsLabel(String name) {
    String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    s = s.replaceAll("^[^a-z]+", "").replaceAll("-+$", "");
    return s.isEmpty() ? "lab-1" : s;
  }

  private void checkTtl() {
    Duration ttl = spec.ttl();
    if (ttl.compareTo(LabSpec.MIN_TTL) < 0 || ttl.compareTo(LabSpec.MAX_TTL) > 0) {
      problem(
          "ttl",
          DurationText.format(ttl)
              + " is out of range; use between "
              + DurationText.format(LabSpec.MIN_TTL)
              + " and "
              + DurationText.format(LabSpec.MAX_TTL)
              + ", e.g. 2h");
    }
  }

  private void checkLabels(String path, Map<String, String> labels) {
    labels.forEach(
        (key, value) -> {
          String p = path + "[" + key + "]";
          if (key.startsWith(RESERVED_LABEL_PREFIX)) {
            problem(
                p,
                "the prefix "
                    + RESERVED_LABEL_PREFIX
                    + " is reserved for ownership labels; use another key");
          } else if (!isLabelKey(key)) {
            problem(
                p,
                "\""
                    + key
                    + "\" is not a label key; use an optional DNS prefix and '/', then at most 63 letters, digits,"
                    + " '-', '_' or '.', e.g. team or example.com/team");
          }
          if (value.length() > 63 || (!value.isEmpty() && !LABEL_NAME.matcher(value).matches())) {
            problem(
                p,
                "\""
                    + value
                    + "\" is not a label value; use at most 63 letters, digits, '-', '_' or '.', starting and"
                    + " ending with a letter or digit");
          }
        });
  }

  private static boolean isLabelKey(String key) {
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  private void checkVolumes() {
    for (SharedVolume v : spec.sharedVolumes()) {
      String path = "sharedVolumes[" + v.name() + "]";
      if (!volumeNames.add(v.name())) {
        problem(path, "duplicate shared volume name; give each volume its own name");
        continue;
      }
      checkName(path, v.name(), MAX_WORKLOAD_NAME, "volume name");
      checkQuantity(path + ".size", v.size(), 1L << 20, Long.MAX_VALUE, "1Mi");
    }
  }

  private void checkQuantity(String path, String text, long min, long max, String minText) {
    var size = MemorySize.tryParse(text);
    if (size.isEmpty()) {
      problem(path, MemorySize.describeInvalid(text));
    } else if (size.get().bytes() < min) {
      problem(path, text + " is too small; use at least " + minText);
    } else if (size.get().bytes() > max) {
      problem(path, text + " is too large; use at most " + new MemorySize(max));
    }
  }

  private void checkWorkload(String name, WorkloadSpec w) {
    String kind = w.kind() == WorkloadKind.VM ? "vm" : "container";
    String path = "workloads[" + name + "]." + kind;
    if (w instanceof VmSpec vm) {
      checkVm(name, path, vm);
    } else if (w instanceof ContainerSpec c) {
      checkContainer(path, c);
    }
    checkPorts(path, w);
    checkMounts(path, w);
    checkReadiness(path, w);
    checkDependsOn(name, path, w);
    checkRefs(name, path, w);
    checkLabels(path + ".labels", w.labels());
    checkOptions(path, w);
  }

  private void checkVm(String name, String path, VmSpec vm) {
    if (vm.image().isEmpty()) {
      problem(
          path + ".image",
          "a VM needs an image; name a template or image, e.g. image: win2019-tester");
    } else {
      checkVmImage(path + ".image", vm.image().get());
    }
    if (vm.cpus() < 1 || vm.cpus() > MAX_CPUS) {
      problem(path + ".cpus", vm.cpus() + " is out of range; use 1 to " + MAX_CPUS);
    }
    boolean windows = vm.guestOs() == GuestOs.WINDOWS;
    long minMemory = windows ? MIN_WINDOWS_MEMORY : MIN_VM_MEMORY;
    checkQuantity(
        path + ".memory",
        vm.memory(),
        minMemory,
        MAX_VM_MEMORY,
        windows ? "2Gi for Windows" : "128Mi");
    Set<String> diskNames = new HashSet<>();
    for (DiskSpec disk : vm.disks()) {
      String p = path + ".disks[" + disk.name() + "]";
      if (!diskNames.add(disk.name())) {
        problem(p, "duplicate disk name; give each disk its own name");
      }
      checkName(p, disk.name(), MAX_WORKLOAD_NAME, "disk name");
      checkQuantity(p + ".size", disk.size(), 1L << 20, 64L << 40, "1Mi");
    }
    if (windows && name.length() > MAX_WINDOWS_COMPUTER_NAME) {
      problem(
          "workloads[" + name + "]",
          "a Windows guest takes the workload name as its computer name, which has at most "
              + MAX_WINDOWS_COMPUTER_NAME
              + " characters; \""
              + name
              + "\" has "
              + name.length());
    }
    vm.cloudInit()
        .ifPresent(
            data -> {
              if (windows) {
                problem(
                    path + ".cloudInit",
                    "a Windows guest is customised with sysprep, not cloud-init; move the answer file to sysprep");
              } else {
                checkUserData(path + ".cloudInit", data, true);
              }
            });
    vm.sysprep()
        .ifPresent(
            data -> {
              if (!windows) {
                problem(
                    path + ".sysprep",
                    "a Linux guest is customised with cloud-init, not sysprep; use cloudInit or set guestOs: windows");
              } else {
                checkUserData(path + ".sysprep", data, false);
              }
            });
  }

  private void checkVmImage(String path, VmImage image) {
    String ref = image.reference();
    switch (image.kind()) {
      case NAMED:
      case DISK:
        if (ref.isBlank() || ref.chars().anyMatch(Character::isWhitespace)) {
          problem(
              path,
              "\""
                  + ref
                  + "\" is not an image name; use a name without spaces, e.g. win2019-tester");
        }
        break;
      case URL:
        try {
          URI uri = new URI(ref);
          if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
              || uri.getHost() == null) {
            problem(
                path,
                "\""
                    + ref
                    + "\" is not an http(s) URL; use e.g. https://images.example.com/disk.qcow2");
          }
        } catch (URISyntaxException e) {
          problem(path, "\"" + ref + "\" is not a URL (" + e.getReason() + ")");
        }
        break;
      case REGISTRY:
        if (!IMAGE_REF.matcher(ref).matches()) {
          problem(
              path,
              "\""
                  + ref
                  + "\" is not an OCI image reference; use e.g. quay.io/containerdisks/fedora:41");
        }
        break;
      default:
        throw new AssertionError(image.kind());
    }
  }

  private void checkUserData(String path, SecretValue data, boolean cloudInit) {
    switch (data.source()) {
      case ENV:
        if (!ENV_NAME.matcher(data.reference()).matches()) {
          problem(path, "\"" + data.reference() + "\" is not an environment variable name");
        }
        return;
      case FILE:
        if (data.reference().isBlank()) {
          problem(path, "the file name is empty; name the file holding the user data");
        }
        return;
      default:
        break;
    }
    String text = data.reference();
    if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_USER_DATA_BYTES) {
      problem(path, "user data is larger than 512Ki; move large files into a shared volume");
    }
    if (cloudInit) {
      String head = text.stripLeading();
      if (CLOUD_INIT_HEADERS.stream().noneMatch(head::startsWith)) {
        problem(
            path,
            "cloud-init ignores user data without a header; start it with #cloud-config (or #! for a script)");
      }
    } else if (!text.contains("<unattend")) {
      problem(
          path,
          "a sysprep answer file is an XML <unattend> document (autounattend.xml); this one has none");
    }
  }

  private void checkContainer(String path, ContainerSpec c) {
    if (c.image().isEmpty()) {
      problem(path + ".image", "a container needs an image; e.g. image: python:3.12-slim");
    } else if (!IMAGE_REF.matcher(c.image()).matches()) {
      problem(
          path + ".image",
          "\"" + c.image() + "\" is not an OCI image reference; use e.g. python:3.12-slim");
    }
    c.env()
        .forEach(
            (name, value) -> {
              String p = path + ".env[" + name + "]";
              if (!ENV_NAME.matcher(name).matches()) {
                problem(
                    p,
                    "\""
                        + name
                        + "\" is not a variable name; use letters, digits and '_', not starting with a digit");
              }
              if (value instanceof EnvValue.Secret s
                  && s.value().source() == SecretValue.Source.ENV
                  && !ENV_NAME.matcher(s.value().reference()).matches()) {
                problem(p, "\"" + s.value().reference() + "\" is not an environment variable name");
              }
            });
    c.resources()
        .optionalCpu()
        .ifPresent(
            cpu -> {
              if (CpuAmount.tryParse(cpu).isEmpty()) {
                problem(
                    path + ".resources.cpu",
                    "\"" + cpu + "\" is not a CPU quantity; use e.g. 500m or 2");
              }
            });
    c.resources()
        .optionalMemory()
        .ifPresent(
            memory ->
                checkQuantity(
                    path + ".resources.memory", memory, MIN_CONTAINER_MEMORY, 1L << 40, "4Mi"));
  }

  private void checkPorts(String path, WorkloadSpec w) {
    Set<String> seen = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (PortSpec port : w.ports()) {
      String p = path + ".ports[" + port.number() + "]";
      if (port.number() < 1 || port.number() > 65535) {
        problem(p, port.number() + " is not a port number; use 1 to 65535");
        continue;
      }
      if (!seen.add(port.number() + "/" + port.protocol())) {
        problem(
            p,
            "port "
                + port.number()
                + "/"
                + port.protocol()
                + " is exposed twice; expose each port once");
      }
      port.optionalName()
          .ifPresent(
              n -> {
                if (!names.add(n)) {
                  problem(
                      p + ".name",
                      "port name \"" + n + "\" is used twice; give each port its own name");
                }
                if (n.length() > 15
                    || !PORT_NAME.matcher(n).matches()
                    || !n.matches(".*[a-z].*")
                    || n.contains("--")) {
                  problem(
                      p + ".name",
                      "\""
                          + n
                          + "\" is not a port name; use at most 15 lower-case letters, digits and '-', e.g. winrm");
                }
              });
    }
  }

  private void checkMounts(String path, WorkloadSpec w) {
    Set<String> targets = new HashSet<>();
    Set<String> volumes = new HashSet<>();
    boolean windows = w instanceof VmSpec vm && vm.guestOs() == GuestOs.WINDOWS;
    for (Mount m : w.mounts()) {
      String p = path + ".mounts[" + m.volume() + "]";
      if (!volumeNames.contains(m.volume())) {
        String declared =
            volumeNames.isEmpty() ? "none is declared" : "declared: " + sorted(volumeNames);
        problem(
            p,
            "no shared volume named \""
                + m.volume()
                + "\"; declare it under sharedVolumes ("
                + declared
                + ")");
      }
      if (!volumes.add(m.volume())) {
        problem(p, "volume \"" + m.volume() + "\" is mounted twice; mount each volume once");
      }
      String target =
          windows ? m.path().toUpperCase(java.util.Locale.ROOT).replaceAll("\\\\$", "") : m.path();
      if (!targets.add(target)) {
        problem(
            p + ".path", m.path() + " is the target of two mounts; give each mount its own path");
      }
      if (windows) {
        if (!WINDOWS_DRIVE.matcher(m.path()).matches()
            && !WINDOWS_PATH.matcher(m.path()).matches()) {
          problem(
              p + ".path",
              "\""
                  + m.path()
                  + "\" is not a Windows mount point; use a drive letter (R:) or C:\\data");
        }
      } else if (!m.path().startsWith("/")
          || m.path().equals("/")
          || m.path().matches(".*(^|/)\\.\\.(/|$).*")) {
        problem(
            p + ".path",
            "\"" + m.path() + "\" is not a mount point; use an absolute path below /, e.g. /data");
      }
    }
  }

  private void checkReadiness(String path, WorkloadSpec w) {
    String p = path + ".readiness";
    Readiness r = w.readiness();
    r.timeoutOverrides()
        .forEach(
            (stage, timeout) -> {
              if (timeout.isZero()
                  || timeout.isNegative()
                  || timeout.compareTo(MAX_STAGE_TIMEOUT) > 0) {
                problem(
                    p + ".timeouts." + stage.id(),
                    DurationText.format(timeout)
                        + " is out of range; use more than 0s and at most 24h");
              }
            });
    if (r.probeInterval().compareTo(MIN_PROBE_INTERVAL) < 0
        || r.probeInterval().compareTo(MAX_PROBE_INTERVAL) > 0) {
      problem(
          p + ".probeInterval",
          DurationText.format(r.probeInterval()) + " is out of range; use 100ms to 5m");
    }
    boolean vm = w instanceof VmSpec;
    for (int i = 0; i < r.probes().size(); i++) {
      checkProbe(p + ".probes[" + i + "]", r.probes().get(i), w, vm);
    }
  }

  private void checkProbe(String path, Probe probe, WorkloadSpec w, boolean vm) {
    if (probe.port() != 0 || probe instanceof Probe.Tcp || probe instanceof Probe.Http) {
      if (probe.port() < 1 || probe.port() > 65535) {
        problem(path + ".port", probe.port() + " is not a port number; use 1 to 65535");
      }
    }
    if (vm && (probe instanceof Probe.Exec || probe instanceof Probe.LogLine)) {
      problem(
          path,
          "a "
              + probe.type()
              + " probe needs a container; probe a VM with tcp, http, ssh, winrm or guestAgent");
      return;
    }
    if (!vm
        && (probe instanceof Probe.WinRm
            || probe instanceof Probe.Ssh
            || probe instanceof Probe.GuestAgent)) {
      problem(
          path,
          "a "
              + probe.type()
              + " probe is for VMs; probe a container with tcp, http, exec or logLine");
      return;
    }
    if (probe instanceof Probe.Http http) {
      if (!http.path().startsWith("/")) {
        problem(
            path + ".path",
            "\"" + http.path() + "\" is not an HTTP path; start it with /, e.g. /health");
      }
      if (http.expectedStatus() != null
          && (http.expectedStatus() < 100 || http.expectedStatus() > 599)) {
        problem(
            path + ".expectedStatus",
            http.expectedStatus() + " is not an HTTP status; use 100 to 599");
      }
    } else if (probe instanceof Probe.Exec exec) {
      if (exec.command().isEmpty() || exec.command().get(0).isBlank()) {
        problem(
            path + ".command",
            "the command is empty; give the program and its arguments, e.g. [pg_isready]");
      }
    } else if (probe instanceof Probe.LogLine line) {
      try {
        Pattern.compile(line.regex());
      } catch (PatternSyntaxException e) {
        problem(path + ".regex", "not a regular expression: " + e.getDescription());
      }
    } else if (probe instanceof Probe.WinRm) {
      if (((VmSpec) w).guestOs() != GuestOs.WINDOWS) {
        problem(path, "a winrm probe needs a Windows guest; probe a Linux guest with ssh or tcp");
      }
    } else if (probe instanceof Probe.GuestAgent) {
      if (!((VmSpec) w).guestAgent()) {
        problem(
            path,
            "a guestAgent probe needs guestAgent: true; set it, or probe with tcp, ssh or winrm");
      }
    }
  }

  private void checkDependsOn(String name, String path, WorkloadSpec w) {
    for (String dep : w.dependsOn()) {
      String p = path + ".dependsOn[" + dep + "]";
      if (dep.equals(name)) {
        problem(p, "a workload cannot depend on itself");
      } else if (!workloadsByName.containsKey(dep)) {
        problem(
            p, "no workload named \"" + dep + "\"; workloads: " + sorted(workloadsByName.keySet()));
      }
    }
  }

  private void checkRefs(String name, String path, WorkloadSpec w) {
    w.templatedText()
        .forEach(
            (field, text) -> {
              String p = path + "." + field;
              Ref.Parsed parsed = Ref.parse(text);
              for (String bad : parsed.malformed()) {
                problem(
                    p,
                    "\""
                        + bad
                        + "\" is not a reference; use ${ref:NAME.host}, ${ref:NAME.port.N} or ${ref:NAME.address.N}");
              }
              for (Ref ref : parsed.refs()) {
                WorkloadSpec target = workloadsByName.get(ref.workload());
                if (ref.workload().equals(name)) {
                  problem(
                      p,
                      ref.expression()
                          + " refers to the workload itself; a workload cannot wait for itself");
                } else if (target == null) {
                  problem(
                      p,
                      ref.expression()
                          + " refers to no workload; workloads: "
                          + sorted(workloadsByName.keySet()));
                } else if (ref.attribute() != Ref.Attribute.HOST
                    && target.port(ref.port()).isEmpty()) {
                  String exposed =
                      target.ports().isEmpty()
                          ? "it exposes no port"
                          : "it exposes "
                              + target.ports().stream()
                                  .map(x -> Integer.toString(x.number()))
                                  .collect(Collectors.joining(", "));
                  problem(
                      p,
                      ref.expression()
                          + " refers to port "
                          + ref.port()
                          + " of "
                          + ref.workload()
                          + ", which it does not expose; "
                          + exposed);
                }
              }
            });
  }

  private void checkOptions(String path, WorkloadSpec w) {
    Set<String> backends = new HashSet<>();
    for (BackendOptions o : w.options()) {
      if (!backends.add(o.backendId())) {
        problem(
            path + ".options[" + o.backendId() + "]",
            "options for this backend are given twice; merge them");
      }
    }
  }

  private void checkCycles() {
    Map<String, Set<String>> edges = new HashMap<>();
    workloadsByName.forEach(
        (name, w) -> {
          Set<String> deps = new LinkedHashSet<>(w.prerequisites());
          deps.retainAll(workloadsByName.keySet());
          deps.remove(name);
          edges.put(name, deps);
        });
    Set<String> done = new HashSet<>();
    Set<String> reported = new HashSet<>();
    for (String start : workloadsByName.keySet()) {
      List<String> stack = new ArrayList<>();
      findCycle(start, edges, stack, new HashSet<>(), done, reported);
    }
  }

  private void findCycle(
      String node,
      Map<String, Set<String>> edges,
      List<String> stack,
      Set<String> onStack,
      Set<String> done,
      Set<String> reported) {
    if (done.contains(node)) {
      return;
    }
    if (onStack.contains(node)) {
      List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(node), stack.size()));
      Set<String> key = new java.util.TreeSet<>(cycle);
      if (reported.add(String.join(",", key))) {
        cycle.add(node);
        problem(
            "workloads[" + node + "]",
            "dependency cycle "
                + String.join(" -> ", cycle)
                + "; break it by removing a dependsOn or a ${ref:...} from one of them");
      }
      return;
    }
    stack.add(node);
    onStack.add(node);
    for (String next : edges.getOrDefault(node, Set.of())) {
      findCycle(next, edges, stack, onStack, done, reported);
    }
    stack.remove(stack.size() - 1);
    onStack.remove(node);
    done.add(node);
  }

  private static String sorted(Set<String> names) {
    return names.stream().sorted().collect(Collectors.joining(", "));
  }
}
