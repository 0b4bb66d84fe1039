package io.convergence.benchmark;

import io.convergence.Convergence;
import io.convergence.Lab;
import io.convergence.event.LabEvent;
import io.convergence.kubernetes.RequestCounter;
import io.convergence.spec.ContainerSpec;
import io.convergence.spec.LabSpec;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Provisions labs of 1, 10, 50 and 200 workloads (one VM in five, the rest containers) on the
 * embedded KubeVirt simulator, whose every simulated step takes a fixed latency, and reports:
 *
 * <ul>
 *   <li>overhead: the lab's time to ready divided by the slowest workload's own readiness latency
 *       (from its creation to its last stage): what the SDK adds on top of the platform; 1.00 would
 *       be none;
 *   <li>requests per workload sent by the SDK (its own counter, cross-checked with the server's log
 *       of the SDK's User-Agent), for start and for teardown, and watches per lab;
 *   <li>threads and heap per lab, with several labs open at once through one client.
 * </ul>
 *
 * <p>The simulator runs in a child JVM ({@link SimulatorMain}), so threads and heap measured here
 * are the SDK's and its fabric8 client's alone.
 *
 * <p>Arguments: {@code --sizes=1,10,50,200}, {@code --step=200ms} (simulated latency of each
 * platform step), {@code --runs=3} (the median is reported), {@code --concurrent=10} (labs open at
 * once for threads and heap), {@code --out=target/benchmark.md}.
 */
public final class LabBenchmark {

  private LabBenchmark() {}

  record Run(
      int workloads,
      double seconds,
      double slowestOwnSeconds,
      double overhead,
      double startRequests,
      double teardownRequests,
      long watches,
      long serverRequests) {}

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
    int[] sizes =
        Arrays.stream(options.getOrDefault("sizes", "1,10,50,200").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Duration step =
        io.convergence.spec.DurationText.parse(options.getOrDefault("step", "200ms")).orElseThrow();
    int runs = Integer.parseInt(options.getOrDefault("runs", "3"));
    int concurrent = Integer.parseInt(options.getOrDefault("concurrent", "10"));
    Path out = Path.of(options.getOrDefault("out", "target/benchmark.md"));

    StringBuilder report = new StringBuilder();
    report.append("# Lab benchmark\n\n");
    report
        .append("Simulated step latency ")
        .append(step.toMillis())
        .append(" ms; ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" CPUs; Java ")
        .append(System.getProperty("java.version"))
        .append("; ")
        .append(Instant.now())
        .append("\n\n");
    try (SimulatorProcess cluster = new SimulatorProcess("kubevirt", step);
        Convergence client =
            Convergence.builder()
                .backend("kubevirt")
                .property("kubevirt.kubeconfig", cluster.kubeconfig().toString())
                .withoutDefaultLogging()
                .build()) {
      System.out.println("warming up...");
      measure(client, cluster, 10, "warmup");

      report
          .append(
              "| workloads | time to ready (s) | slowest workload's own readiness (s) | overhead |")
          .append(
              " SDK requests per workload: start | teardown (per lab) | watches per lab | server-logged SDK requests |\n");
      report.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (int n : sizes) {
        List<Run> results = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          Run run = measure(client, cluster, n, "bench-" + n + "-" + r);
          results.add(run);
          System.out.printf(
              Locale.ROOT,
              "n=%d run %d: %.2fs ready, slowest own %.2fs, overhead %.3f%n",
              n,
              r,
              run.seconds(),
              run.slowestOwnSeconds(),
              run.overhead());
        }
        results.sort(Comparator.comparingDouble(Run::overhead));
        Run median = results.get(results.size() / 2);
        report.append(
            String.format(
                Locale.ROOT,
                "| %d | %.2f | %.2f | %.3f | %.2f | %.0f | %d | %d |%n",
                n,
                median.seconds(),
                median.slowestOwnSeconds(),
                median.overhead(),
                median.startRequests(),
                median.teardownRequests(),
                median.watches(),
                median.serverRequests()));
      }
      report.append("\n").append(concurrency(client, concurrent, 1)).append("\n");
      report.append(concurrency(client, concurrent, 2)).append("\n");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
    System.out.println();
    System.out.println(report);
    System.out.println("written to " + out.toAbsolutePath());
  }

  static LabSpec lab(String name, int workloads) {
    LabSpec.Builder b = LabSpec.builder(name);
    for (int i = 0; i < workloads; i++) {
      if (i % 5 == 4) {
        b.vm(
            "vm" + i,
            VmSpec.builder()
                .image(VmImage.registry("quay.io/containerdisks/fedora:41"))
                .guestAgent(true)
                .build());
      } else {
        b.container("c" + i, ContainerSpec.builder().image("python:3.12-slim").build());
      }
    }
    return b.build();
  }

  static Run measure(Convergence client, SimulatorProcess cluster, int workloads, String name) {
    RequestCounter counter = client.unwrap(RequestCounter.class);
    long before = counter.total();
    long watchesBefore = counter.watches();
    long serverBefore = cluster.requestCount("convergence/");
    long t0 = System.nanoTime();
    Lab lab = client.start(lab(name, workloads));
    double seconds = (System.nanoTime() - t0) / 1e9;
    long afterStart = counter.total();
    long watches = counter.watches() - watchesBefore;
    Map<String, Instant> creating = new HashMap<>();
    double slowest = 0;
    for (LabEvent e : lab.events()) {
      if (e.type() == LabEvent.Type.WORKLOAD_CREATING) {
        creating.put(e.workload(), e.at());
      } else if (e.type() == LabEvent.Type.WORKLOAD_READY) {
        slowest =
            Math.max(slowest, Duration.between(creating.get(e.workload()), e.at()).toNanos() / 1e9);
      }
    }
    lab.close();
    long afterClose = counter.total();
    long server = cluster.requestCount("convergence/") - serverBefore;
    return new Run(
        workloads,
        seconds,
        slowest,
        seconds / slowest,
        (afterStart - before) / (double) workloads,
        afterClose - afterStart,
        watches,
        server);
  }

  /**
   * Threads and heap per lab, with several labs open at once, started in parallel through one
   * client.
   */
  static String concurrency(Convergence client, int labs, int round) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    gc();
    int threadsBefore = threads.getThreadCount();
    long heapBefore = memory.getHeapMemoryUsage().getUsed();
    ExecutorService starters = Executors.newFixedThreadPool(labs);
    List<Future<Lab>> started = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < labs; i++) {
      int n = i;
      started.add(starters.submit(() -> client.start(lab("conc-" + n, 5))));
    }
    List<Lab> open = new ArrayList<>();
    for (Future<Lab> f : started) {
      open.add(f.get());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    starters.shutdown();
    gc();
    int threadsOpen = threads.getThreadCount();
    long heapOpen = memory.getHeapMemoryUsage().getUsed();
    open.forEach(Lab::close);
    gc();
    int threadsAfter = threads.getThreadCount();
    if (Boolean.parseBoolean(System.getProperty("benchmark.threads", "false"))) {
      Map<String, Integer> byName = new java.util.TreeMap<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        byName.merge(t.getName().replaceAll("[0-9]+", "#"), 1, Integer::sum);
      }
      System.out.println("threads after round " + round + ": " + byName);
    }
    return String.format(
        Locale.ROOT,
        "Round %d: %d labs of 5 workloads open at once through one client (started in parallel in %.2f s): threads %d before,"
            + " %d with the labs open (%.1f per lab), %d after closing;"
            + " heap %.1f MiB more with the labs open (%.2f MiB per lab, after GC).%n",
        round,
        labs,
        seconds,
        threadsBefore,
        threadsOpen,
        (threadsOpen - threadsBefore) / (double) labs,
        threadsAfter,
        (heapOpen - heapBefore) / 1048576.0,
        (heapOpen - heapBefore) / 1048576.0 / labs);
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
