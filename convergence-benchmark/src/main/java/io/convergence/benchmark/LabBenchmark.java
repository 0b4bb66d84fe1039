package io.convergence.benchmark;

import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.event.LabEvent;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.LabSpec;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.convergence.testkit.prism.FakePrismCentral;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;

/**
 * Provisions labs of growing size (one VM in five, the rest containers) on a simulated platform
 * whose every step takes a fixed latency, and reports:
 *
 * <ul>
 *   <li>overhead: the lab's time to ready divided by the slowest workload's own readiness latency
 *       (from its creation to its last stage): what the SDK adds on top of the platform; 1.00 would
 *       be none;
 *   <li>requests per workload sent by the SDK (its own counter, cross-checked with the servers'
 *       logs), for start and for teardown, and watches per lab;
 *   <li>threads and heap per lab, with several labs open at once through one client.
 * </ul>
 *
 * <p>Backends ({@code --backend=}):
 *
 * <ul>
 *   <li>{@code kubevirt} (default): the KubeVirt backend on the embedded KubeVirt simulator; sizes
 *       1, 10, 50 and 200 by default.
 *   <li>{@code nutanix}: the Nutanix backend on the testkit's fake Prism Central (VMs) and a fake
 *       container cluster (containers); sizes 1, 10 and 50 by default. Prism requests are reported
 *       per VM, Kubernetes requests per container.
 * </ul>
 *
 * <p>The platform runs in a child JVM ({@link SimulatorMain}), so threads and heap measured here
 * are the SDK's and its clients' alone.
 *
 * <p>Arguments: {@code --backend=kubevirt}, {@code --sizes=1,10,50,200}, {@code --step=200ms}
 * (simulated latency of each platform step), {@code --runs=3} (the median is reported), {@code
 * --concurrent=10} (labs open at once for threads and heap), {@code --idle=5s} (how long those labs
 * sit ready while the requests they cause are counted), {@code --out=target/benchmark.md} ({@code
 * target/benchmark-nutanix.md} for nutanix).
 */
public final class LabBenchmark {

  private LabBenchmark() {}

  /** Prism Central requests are counted with keys {@code prism <method> <path>}. */
  private static final String PRISM = "prism ";

  private static final Pattern ID =
      Pattern.compile(
          "[^/]*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[^/]*");

  /** The SDK's requests at one moment, by platform. */
  record Counts(long prism, long kubernetes, long watches, Map<String, Long> prismByPattern) {

    static Counts of(RequestCounter counter) {
      long prism = 0;
      long kubernetes = 0;
      long watches = 0;
      Map<String, Long> byPattern = new TreeMap<>();
      for (Map.Entry<String, Long> e : counter.byPattern().entrySet()) {
        String key = e.getKey();
        if (key.startsWith(PRISM)) {
          prism += e.getValue();
          byPattern.merge(ID.matcher(key).replaceAll("*"), e.getValue(), Long::sum);
        } else {
          kubernetes += e.getValue();
          if (key.startsWith("WATCH ")) {
            watches += e.getValue();
          }
        }
      }
      return new Counts(prism, kubernetes, watches, byPattern);
    }

    Counts minus(Counts before) {
      Map<String, Long> byPattern = new TreeMap<>(prismByPattern);
      before.prismByPattern.forEach((k, v) -> byPattern.merge(k, -v, Long::sum));
      byPattern.values().removeIf(v -> v == 0);
      return new Counts(
          prism - before.prism,
          kubernetes - before.kubernetes,
          watches - before.watches,
          byPattern);
    }

    long total() {
      return prism + kubernetes;
    }
  }

  record Run(
      int workloads,
      int vms,
      double seconds,
      double slowestOwnSeconds,
      double fastestVmSeconds,
      double slowestVmSeconds,
      double overhead,
      Counts start,
      Counts teardown,
      long serverKubernetes,
      long serverPrism) {

    int containers() {
      return workloads - vms;
    }
  }

  /**
   * Entry point.
   *
   * @param args see the class comment
   * @throws Exception when a lab fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String a : String.join(" ", args).trim().split("\\s+")) {
      if (a.startsWith("--") && a.contains("=")) {
        options.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
    }
    String backend = options.getOrDefault("backend", "kubevirt");
    boolean nutanix;
    switch (backend) {
      case "kubevirt" -> nutanix = false;
      case "nutanix" -> nutanix = true;
      default -> throw new IllegalArgumentException("--backend must be kubevirt or nutanix");
    }
    int[] sizes =
        Arrays.stream(options.getOrDefault("sizes", nutanix ? "1,10,50" : "1,10,50,200").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Duration step =
        io.convergence.spec.DurationText.parse(options.getOrDefault("step", "200ms")).orElseThrow();
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int concurrent = Integer.parseInt(options.getOrDefault("concurrent", "10"));
    Duration idle =
        io.convergence.spec.DurationText.parse(options.getOrDefault("idle", "5s")).orElseThrow();
    Path out =
        Path.of(
            options.getOrDefault(
                "out", nutanix ? "target/benchmark-nutanix.md" : "target/benchmark.md"));

    StringBuilder report = new StringBuilder();
    report.append("# Lab benchmark: ").append(backend).append("\n\n");
    report
        .append(
            nutanix
                ? "Fake Prism Central + fake container cluster; simulated step latency "
                : "KubeVirt simulator; simulated step latency ")
        .append(step.toMillis())
        .append(" ms; ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs; Java ")
        .append(System.getProperty("java.version"))
        .append("; ")
        .append(Instant.now())
        .append("\n\n");
    try (SimulatorProcess cluster = new SimulatorProcess(backend, step);
        Convergence client = connect(backend, cluster)) {
      System.out.println("warming up...");
      measure(client, cluster, nutanix, 10, "warmup");

      if (nutanix) {
        report
            .append(
                "| workloads (VMs) | time to ready (s) | slowest workload's own readiness (s) |")
            .append(" VMs' own readiness: fastest - slowest (s) |")
            .append(" overhead | Prism requests per VM: start | Kubernetes requests per container:")
            .append(" start | teardown per lab: Prism + Kubernetes | watches per lab |")
            .append(" Prism requests, start + teardown: SDK-counted / server-logged |\n");
        report.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      } else {
        report
            .append(
                "| workloads | time to ready (s) | slowest workload's own readiness (s) | overhead |")
            .append(
                " SDK requests per workload: start | teardown (per lab) | watches per lab |"
                    + " server-logged SDK requests |\n");
        report.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      }
      Run largest = null;
      for (int n : sizes) {
        List<Run> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          Run run = measure(client, cluster, nutanix, n, "bench-" + n + "-" + r);
          results.add(run);
          System.out.printf(
              Locale.ROOT,
              "n=%d run %d: %.2fs ready, slowest own %.2fs, overhead %.3f,"
                  + " start requests %d Prism + %d Kubernetes%n",
              n,
              r,
              run.seconds(),
              run.slowestOwnSeconds(),
              run.overhead(),
              run.start().prism(),
              run.start().kubernetes());
        }
        results.sort(Comparator.comparingDouble(Run::overhead));
        Run median = results.get(results.size() / 2);
        report.append(nutanix ? nutanixRow(median) : kubevirtRow(median));
        if (largest == null || median.vms() >= largest.vms()) {
          largest = median;
        }
      }
      if (nutanix && largest != null && largest.vms() > 0) {
        report.append("\n").append(prismBreakdown(largest));
      }
      report.append("\n").append(concurrency(client, concurrent, 1, nutanix, idle)).append("\n");
      report.append(concurrency(client, concurrent, 2, nutanix, idle)).append("\n");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("written to " + out.toAbsolutePath());
  }

  private static Convergence connect(String backend, SimulatorProcess cluster) {
    Convergence.Builder b = Convergence.builder().backend(backend).withoutDefaultLogging();
    if (backend.equals("nutanix")) {
      b.property("nutanix.url", cluster.prism().toString())
          .property("nutanix.username", FakePrismCentral.DEFAULT_USERNAME)
          .property("nutanix.password", FakePrismCentral.DEFAULT_PASSWORD)
          .property("nutanix.cluster", FakePrismCentral.DEFAULT_CLUSTER)
          .property("nutanix.subnet", FakePrismCentral.DEFAULT_SUBNET)
          .property("nutanix.kubeconfig", cluster.kubeconfig().toString());
    } else {
      b.property("kubevirt.kubeconfig", cluster.kubeconfig().toString());
    }
    return b.build();
  }

  private static String kubevirtRow(Run run) {
    return String.format(
        Locale.ROOT,
        "| %d | %.2f | %.2f | %.3f | %.2f | %d | %d | %d |%n",
        run.workloads(),
        run.seconds(),
        run.slowestOwnSeconds(),
        run.overhead(),
        run.start().total() / (double) run.workloads(),
        run.teardown().total(),
        run.start().watches(),
        run.serverKubernetes());
  }

  private static String nutanixRow(Run run) {
    return String.format(
        Locale.ROOT,
        "| %d (%d) | %.2f | %.2f | %s | %.3f | %s | %s | %d + %d | %d | %d / %d |%n",
        run.workloads(),
        run.vms(),
        run.seconds(),
        run.slowestOwnSeconds(),
        run.vms() == 0
            ? "-"
            : String.format(
                Locale.ROOT, "%.2f - %.2f", run.fastestVmSeconds(), run.slowestVmSeconds()),
        run.overhead(),
        per(run.start().prism(), run.vms()),
        per(run.start().kubernetes(), run.containers()),
        run.teardown().prism(),
        run.teardown().kubernetes(),
        run.start().watches(),
        run.start().prism() + run.teardown().prism(),
        run.serverPrism());
  }

  /** A count per item, or the count itself when there is no item. */
  private static String per(long count, int items) {
    if (items == 0) {
      return count == 0 ? "-" : count + " (none to divide by)";
    }
    return String.format(Locale.ROOT, "%.2f", count / (double) items);
  }

  private static String prismBreakdown(Run run) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "Prism requests per VM by call at %d workloads (%d VM%s; start, then teardown):%n%n",
            run.workloads(),
            run.vms(),
            run.vms() == 1 ? "" : "s"));
    b.append("| call | start | teardown |\n|---|---:|---:|\n");
    Map<String, long[]> calls = new TreeMap<>();
    run.start()
        .prismByPattern()
        .forEach(
            (k, v) -> calls.computeIfAbsent(k.substring(PRISM.length()), x -> new long[2])[0] = v);
    run.teardown()
        .prismByPattern()
        .forEach(
            (k, v) -> calls.computeIfAbsent(k.substring(PRISM.length()), x -> new long[2])[1] = v);
    calls.forEach(
        (call, n) ->
            b.append(
                String.format(
                    Locale.ROOT,
                    "| `%s` | %.2f | %.2f |%n",
                    call,
                    n[0] / (double) run.vms(),
                    n[1] / (double) run.vms())));
    return b.toString();
  }

  static LabSpec lab(String name, int workloads, boolean nutanix) {
    LabSpec.Builder b = LabSpec.builder(name);
    for (int i = 0; i < workloads; i++) {
      if (i % 5 == 4) {
        b.vm("vm" + i, nutanix ? nutanixVm() : kubevirtVm());
      } else {
        b.container("c" + i, ContainerSpec.builder().image("python:3.12-slim").build());
      }
    }
    return b.build();
  }

  private static VmSpec kubevirtVm() {
    return VmSpec.builder()
        .image(VmImage.registry("quay.io/containerdisks/fedora:41"))
        .guestAgent(true)
        .build();
  }

  private static VmSpec nutanixVm() {
    return VmSpec.builder()
        .image(FakePrismCentral.UBUNTU_IMAGE)
        .guestOs(GuestOs.LINUX)
        .guestAgent(true)
        .build();
  }

  static Run measure(
      Convergence client, SimulatorProcess cluster, boolean nutanix, int workloads, String name) {
    RequestCounter counter = client.unwrap(RequestCounter.class);
    Counts before = Counts.of(counter);
    long serverBefore = cluster.requestCount("convergence/");
    long prismBefore = cluster.prismRequestCount();
    LabSpec spec = lab(name, workloads, nutanix);
    long t0 = System.nanoTime();
    Lab lab = client.start(spec);
    double seconds = (System.nanoTime() - t0) / 1e9;
    Counts afterStart = Counts.of(counter);
    Map<String, Instant> creating = new HashMap<>();
    double slowest = 0;
    double fastestVm = Double.MAX_VALUE;
    double slowestVm = 0;
    for (LabEvent e : lab.events()) {
      if (e.type() == LabEvent.Type.WORKLOAD_CREATING) {
        creating.put(e.workload(), e.at());
      } else if (e.type() == LabEvent.Type.WORKLOAD_READY && creating.containsKey(e.workload())) {
        double own = Duration.between(creating.get(e.workload()), e.at()).toNanos() / 1e9;
        slowest = Math.max(slowest, own);
        if (e.workload().startsWith("vm")) {
          fastestVm = Math.min(fastestVm, own);
          slowestVm = Math.max(slowestVm, own);
        }
      }
    }
    lab.close();
    Counts afterClose = Counts.of(counter);
    long server = cluster.requestCount("convergence/") - serverBefore;
    long prism = cluster.prismRequestCount() - prismBefore;
    int vms = (int) spec.workloads().stream().filter(w -> w.spec() instanceof VmSpec).count();
    return new Run(
        workloads,
        vms,
        seconds,
        slowest,
        slowestVm == 0 ? 0 : fastestVm,
        slowestVm,
        seconds / slowest,
        afterStart.minus(before),
        afterClose.minus(afterStart),
        server,
        prism);
  }

  /**
   * Threads and heap per lab, with several labs open at once, started in parallel through one
   * client; and the requests the labs cause while they sit ready.
   */
  static String concurrency(Convergence client, int labs, int round, boolean nutanix, Duration idle)
      throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    RequestCounter counter = client.unwrap(RequestCounter.class);
    gc();
    int threadsBefore = threads.getThreadCount();
    Map<String, Integer> namesBefore = threadNames();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    ExecutorService starters = Executors.newFixedThreadPool(labs);
    List<Future<Lab>> started = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < labs; i++) {
      int n = i;
      started.add(starters.submit(() -> client.start(lab("conc-" + n, 5, nutanix))));
    }
    List<Lab> open = new ArrayList<>();
    for (Future<Lab> f : started) {
      open.add(f.get());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    starters.shutdown();
    starters.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    Counts ready = Counts.of(counter);
    Thread.sleep(idle.toMillis());
    Counts idleRequests = Counts.of(counter).minus(ready);
    gc();
    int threadsOpen = threads.getThreadCount();
    Map<String, Integer> namesOpen = threadNames();
    long heapOpen = memory.getHeapMemoryUsage().getUsed();
    open.forEach(Lab::close);
    gc();
    int threadsAfter = threads.getThreadCount();
    Map<String, Integer> namesAfter = threadNames();
    if (Boolean.parseBoolean(System.getProperty("benchmark.threads", "false"))) {
      System.out.println("threads after round " + round + ": " + namesAfter);
    }
    return String.format(
        Locale.ROOT,
        "Round %d: %d labs of 5 workloads open at once through one client (started in parallel in %.2f s): threads %d before,"
            + " %d with the labs open (%.1f per lab; by name: %s), %d after closing (%s);"
            + " heap %.1f MiB more with the labs open (%.2f MiB per lab, after GC);"
            + " SDK requests while the labs sat ready for %d s: %d%s.%n",
        round,
        labs,
        seconds,
        threadsBefore,
        threadsOpen,
        (threadsOpen - threadsBefore) / (double) labs,
        growth(namesBefore, namesOpen),
        threadsAfter,
        growth(namesBefore, namesAfter),
        (heapOpen - heapBefore) / 1048576.0,
        (heapOpen - heapBefore) / 1048576.0 / labs,
        idle.toSeconds(),
        idleRequests.total(),
        nutanix
            ? " ("
                + idleRequests.prism()
                + " Prism"
                + (idleRequests.prism() == 0 ? "" : ": " + idleRequests.prismByPattern())
                + ", "
                + idleRequests.kubernetes()
                + " Kubernetes)"
            : "");
  }

  /** Live threads by name, digits replaced by {@code #}. */
  private static Map<String, Integer> threadNames() {
    Map<String, Integer> byName = new TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
    }
    return byName;
  }

  /** How the thread names changed, e.g. {@code nutanix-# +40}, or {@code no change}. */
  private static String growth(Map<String, Integer> before, Map<String, Integer> after) {
    Map<String, Integer> diff = new TreeMap<>();
    after.forEach((k, v) -> diff.merge(k, v, Integer::sum));
    before.forEach((k, v) -> diff.merge(k, -v, Integer::sum));
    diff.values().removeIf(v -> v == 0);
    if (diff.isEmpty()) {
      return "no change";
    }
    StringBuilder b = new StringBuilder();
    diff.forEach(
        (k, v) ->
            b.append(b.length() == 0 ? "" : ", ")
                .append('`')
                .append(k)
                .append("` ")
                .append(v > 0 ? "+" : "")
                .append(v));
    return b.toString();
  }

  private static void gc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
