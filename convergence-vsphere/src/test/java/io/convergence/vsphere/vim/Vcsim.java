package io.convergence.vsphere.vim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A simulated vCenter (govmomi 0.24 vcsim) from the project's shared tool ({@code
 * shared/tools/vcsim}): built by its {@code build.sh} (cached after the first build), started on a
 * free loopback port, stopped with SIGTERM. One per test class is cheap (about 0.1 s).
 *
 * <p>The shared folder comes from the system property {@code convergence.shared.dir} (the parent
 * POM sets it), else from walking up from the working directory. When the tool is unavailable the
 * calling test is skipped, or fails when the environment variable {@code CI} is set.
 */
public final class Vcsim implements AutoCloseable {
  private final Process process;
  private final URI sdk;
  private final String user;
  private final String password;
  private final Path log;

  private Vcsim(Process process, URI sdk, String user, String password, Path log) {
    this.process = process;
    this.sdk = sdk;
    this.user = user;
    this.password = password;
    this.log = log;
  }

  /**
   * Builds (if needed) and starts vcsim, or skips the test.
   *
   * @param workDir where to keep its log
   * @param args extra flags, e.g. {@code -tls}
   * @return the running simulator
   */
  public static Vcsim startOrSkip(Path workDir, String... args)
      throws IOException, InterruptedException {
    Optional<Path> shared = sharedDir();
    if (shared.isEmpty()) {
      unavailable("shared/tools/vcsim/build.sh not found (set -Dconvergence.shared.dir)");
    }
    Path buildLog = workDir.resolve("vcsim-build.log");
    Process build =
        new ProcessBuilder("bash", shared.get().resolve("tools/vcsim/build.sh").toString())
            .redirectError(buildLog.toFile())
            .start();
    String binary;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
      binary = out.lines().reduce((a, b) -> b).orElse("");
    }
    if (!build.waitFor(15, TimeUnit.MINUTES) || build.exitValue() != 0 || binary.isBlank()) {
      unavailable("vcsim build failed: " + tail(buildLog));
    }
    List<String> cmd = new ArrayList<>(List.of(binary, "-listen", "127.0.0.1:0"));
    cmd.addAll(List.of(args));
    Path log = workDir.resolve("vcsim.log");
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> readLine(out));
    String line;
    try {
      line = first.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IllegalStateException("vcsim printed no URL: " + tail(log), e);
    }
    if (line == null) {
      throw new IllegalStateException("vcsim exited: " + tail(log));
    }
    // drain the rest so that the process never blocks on a full pipe
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "vcsim-stdout");
    drain.setDaemon(true);
    drain.start();
    URI withUser = URI.create(line.trim());
    String[] userInfo = withUser.getUserInfo().split(":", 2);
    URI sdk =
        URI.create(
            withUser.getScheme()
                + "://"
                + withUser.getAuthority().replaceFirst("^[^@]*@", "")
                + withUser.getPath());
    return new Vcsim(p, sdk, userInfo[0], userInfo[1], log);
  }

  private static String readLine(BufferedReader r) {
    try {
      return r.readLine();
    } catch (IOException e) {
      return null;
    }
  }

  private static void unavailable(String reason) {
    if (System.getenv("CI") != null) {
      throw new IllegalStateException(reason + " (CI is set, so this is a failure)");
    }
    Assumptions.abort("vcsim unavailable: " + reason);
  }

  private static Optional<Path> sharedDir() {
    String prop = System.getProperty("convergence.shared.dir");
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).toAbsolutePath().normalize();
      return Files.isRegularFile(p.resolve("tools/vcsim/build.sh"))
          ? Optional.of(p)
          : Optional.empty();
    }
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared");
      if (Files.isRegularFile(candidate.resolve("tools/vcsim/build.sh"))) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  /** {@return the SDK URI, without credentials} */
  public URI sdk() {
    return sdk;
  }

  /** {@return the user vcsim accepts} */
  public String user() {
    return user;
  }

  /** {@return the password vcsim accepts} */
  public String password() {
    return password;
  }

  /** {@return the last lines of vcsim's log, for failure messages} */
  public String logTail() {
    return tail(log);
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: vcsim removes its temporary datastore folders
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
