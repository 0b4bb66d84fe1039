package io.convergence.testkit.vcsim;

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
 * <p>The binary is the one named by the system property {@value #BINARY_PROPERTY} or the
 * environment variable {@value #BINARY_ENV}, else the one the shared tool's {@code build.sh}
 * builds; the shared folder comes from the system property {@code convergence.shared.dir} (the
 * parent POM sets it), else from walking up from the working directory. {@link #start} throws when
 * the tool is unavailable; {@link #startOrSkip} skips the calling test instead, or fails it when
 * the environment variable {@code CI} is set.
 *
 * @since 0.1.0
 */
public final class Vcsim implements AutoCloseable {

  /** The system property naming a vcsim binary: {@value}. */
  public static final String BINARY_PROPERTY = "convergence.vcsim.binary";

  /** The environment variable naming a vcsim binary: {@value}. */
  public static final String BINARY_ENV = "CONVERGENCE_VCSIM_BINARY";

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
   * @throws IOException when vcsim cannot be started
   * @throws InterruptedException when interrupted while building
   */
  public static Vcsim startOrSkip(Path workDir, String... args)
      throws IOException, InterruptedException {
    String binary;
    try {
      binary = binary(workDir);
    } catch (IllegalStateException e) {
      if (System.getenv("CI") != null) {
        throw new IllegalStateException(e.getMessage() + " (CI is set, so this is a failure)", e);
      }
      Assumptions.abort("vcsim unavailable: " + e.getMessage());
      throw e; // not reached
    }
    return launch(binary, workDir, args);
  }

  /**
   * Builds (if needed) and starts vcsim.
   *
   * @param workDir where to keep its log
   * @param args extra flags, e.g. {@code -tls}
   * @return the running simulator
   * @throws IllegalStateException when there is no binary and the tool cannot be built
   * @throws IOException when vcsim cannot be started
   * @throws InterruptedException when interrupted while building
   */
  public static Vcsim start(Path workDir, String... args) throws IOException, InterruptedException {
    return launch(binary(workDir), workDir, args);
  }

  /**
   * Why vcsim is unavailable, checked without building or starting it.
   *
   * @return the reason, or empty when a binary is named or the shared tool is there to build one
   */
  public static Optional<String> unavailableReason() {
    if (namedBinary().isPresent()) {
      return Optional.empty();
    }
    return sharedDir().isPresent()
        ? Optional.empty()
        : Optional.of(
            "no vcsim: set -D"
                + BINARY_PROPERTY
                + " (or "
                + BINARY_ENV
                + ") to a vcsim binary, or -Dconvergence.shared.dir to the folder with"
                + " tools/vcsim/build.sh");
  }

  private static Optional<String> namedBinary() {
    String named = System.getProperty(BINARY_PROPERTY);
    if (named == null || named.isBlank()) {
      named = System.getenv(BINARY_ENV);
    }
    return named == null || named.isBlank() ? Optional.empty() : Optional.of(named.trim());
  }

  private static String binary(Path workDir) throws IOException, InterruptedException {
    Optional<String> named = namedBinary();
    if (named.isPresent()) {
      return named.get();
    }
    Optional<Path> shared = sharedDir();
    if (shared.isEmpty()) {
      throw new IllegalStateException(unavailableReason().orElse("no vcsim"));
    }
    Files.createDirectories(workDir);
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
      throw new IllegalStateException("vcsim build failed: " + tail(buildLog));
    }
    return binary;
  }

  private static Vcsim launch(String binary, Path workDir, String... args) throws IOException {
    Files.createDirectories(workDir);
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
