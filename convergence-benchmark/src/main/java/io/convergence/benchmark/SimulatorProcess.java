package io.convergence.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link SimulatorMain} running in a child JVM. */
final class SimulatorProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final Map<String, String> settings = new HashMap<>();

  /**
   * Starts the child and waits until it is up.
   *
   * @param mode {@code kubevirt} or {@code nutanix} (see {@link SimulatorMain})
   * @param step the simulated latency of each platform step
   */
  SimulatorProcess(String mode, Duration step) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                SimulatorMain.class.getName(),
                mode,
                step.toMillis() + "ms")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    String line;
    while ((line = out.readLine()) != null && !line.equals("READY")) {
      // "KEY value" settings, or log lines of the simulator before it is up
      int space = line.indexOf(' ');
      if (space > 0 && line.substring(0, space).matches("[A-Z]+")) {
        settings.put(line.substring(0, space), line.substring(space + 1));
      }
    }
    if (line == null) {
      throw new IllegalStateException("the simulator process exited before it was up");
    }
  }

  private String setting(String key) {
    String v = settings.get(key);
    if (v == null) {
      throw new IllegalStateException("the simulator process did not print " + key);
    }
    return v;
  }

  Path kubeconfig() {
    return Path.of(setting("KUBECONFIG"));
  }

  /** The fake Prism Central's base URI (nutanix mode). */
  URI prism() {
    return URI.create(setting("PRISM"));
  }

  /** Requests the Kubernetes API server received from clients with this User-Agent prefix. */
  long requestCount(String userAgentPrefix) {
    return ask("COUNT " + userAgentPrefix);
  }

  /** Requests the fake Prism Central received (nutanix mode; 0 otherwise). */
  long prismRequestCount() {
    return ask("PRISM_COUNT");
  }

  private long ask(String query) {
    in.println(query);
    try {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.matches("\\d+")) {
          return Long.parseLong(line);
        }
      }
      throw new IllegalStateException("the simulator process ended");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    in.close();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
