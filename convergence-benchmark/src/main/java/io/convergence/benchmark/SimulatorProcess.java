package io.convergence.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A {@link SimulatorMain} running in a child JVM. */
final class SimulatorProcess implements AutoCloseable {

  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  private final Path kubeconfig;

  SimulatorProcess(Duration step) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                SimulatorMain.class.getName(),
                step.toMillis() + "ms")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in =
        new PrintWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("KUBECONFIG ")) {
      // log lines of the simulator before it is up
    }
    if (line == null) {
      throw new IllegalStateException("the simulator process exited before it was up");
    }
    kubeconfig = Path.of(line.substring("KUBECONFIG ".length()));
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  long requestCount(String userAgentPrefix) {
    in.println("COUNT " + userAgentPrefix);
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
