package io.convergence.kubernetes;

import io.convergence.spec.Probe;
import io.convergence.spec.Stage;
import io.convergence.spi.StageObserver;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a container's output until every log-line probe matched, then reports the probe stage
 * (once the native probe, if any, passed too). The log stream is reopened, after the probe
 * interval, when the server ends it early.
 */
final class LogLineFollower {
  private static final Logger log = LoggerFactory.getLogger(LogLineFollower.class);

  private final KubernetesLab lab;
  private final String pod;
  private final String container;
  private final List<Pattern> pending = new ArrayList<>();
  private final Duration interval;
  private final Thread thread;
  private volatile boolean nativePassed;
  private volatile boolean matched;
  private volatile boolean closed;
  private volatile @Nullable StageObserver observer;
  private volatile @Nullable LogWatch watch;

  LogLineFollower(
      KubernetesLab lab,
      String pod,
      String container,
      List<Probe.LogLine> probes,
      Duration interval) {
    this.lab = lab;
    this.pod = pod;
    this.container = container;
    probes.forEach(p -> pending.add(Pattern.compile(p.regex())));
    this.interval = interval;
    this.thread = new Thread(this::follow, "convergence-logs-" + pod);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void nativeProbePassed(boolean passed, StageObserver observer) {
    this.observer = observer;
    this.nativePassed |= passed;
    maybeReport();
  }

  private void maybeReport() {
    StageObserver o = observer;
    if (o != null && matched && nativePassed) {
      o.reached(Stage.PROBE, "log lines matched");
    }
  }

  private void follow() {
    while (!closed && !matched) {
      try (LogWatch w =
          lab.client()
              .pods()
              .inNamespace(lab.names().namespace())
              .withName(pod)
              .inContainer(container)
              .watchLog()) {
        watch = w;
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(w.getOutput(), StandardCharsets.UTF_8));
        String line;
        while (!closed && (line = reader.readLine()) != null) {
          String l = line;
          synchronized (pending) {
            pending.removeIf(p -> p.matcher(l).find());
            if (pending.isEmpty()) {
              matched = true;
            }
          }
          if (matched) {
            maybeReport();
            return;
          }
        }
      } catch (IOException | KubernetesClientException e) {
        log.debug("Following the output of {} failed: {}", pod, e.toString());
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void close() {
    closed = true;
    LogWatch w = watch;
    if (w != null) {
      w.close();
    }
    thread.interrupt();
  }
}
