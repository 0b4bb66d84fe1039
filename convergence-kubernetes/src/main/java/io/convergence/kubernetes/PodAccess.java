package io.convergence.kubernetes;

import io.convergence.BackendException;
import io.convergence.Endpoint;
import io.convergence.ExecResult;
import io.convergence.spi.WorkloadAccess;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exec, file copies (tar over exec, as {@code kubectl cp}), logs and port-forwarding into a
 * workload's running pod (for a KubeVirt VM, its virt-launcher pod: traffic to the pod's port
 * reaches the VM through its masquerade interface).
 *
 * @since 0.1.0
 */
public final class PodAccess implements WorkloadAccess {
  private static final Logger log = LoggerFactory.getLogger(PodAccess.class);

  private final KubernetesLab lab;
  private final String workload;
  private final Function<Pod, String> container;
  private final @Nullable String unsupportedExec;
  private final Duration execTimeout;
  private final Map<Integer, LocalPortForward> forwards = new ConcurrentHashMap<>();

  /**
   * Access to a workload's pod.
   *
   * @param lab the lab
   * @param workload the workload
   * @param container picks the container of the pod to exec in and read logs of
   * @param unsupportedExec why exec is not offered (e.g. a VM's launcher pod is not the guest), or
   *     {@code null}
   * @param execTimeout how long a command may run
   */
  public PodAccess(
      KubernetesLab lab,
      String workload,
      Function<Pod, String> container,
      @Nullable String unsupportedExec,
      Duration execTimeout) {
    this.lab = lab;
    this.workload = workload;
    this.container = container;
    this.unsupportedExec = unsupportedExec;
    this.execTimeout = execTimeout;
  }

  private Pod pod() {
    return lab.cachedPods(workload).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "workload "
                        + workload
                        + " has no running pod in namespace "
                        + lab.names().namespace()));
  }

  @Override
  public ExecResult exec(List<String> command) {
    if (unsupportedExec != null) {
      throw new UnsupportedOperationException(unsupportedExec);
    }
    Pod pod = pod();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String what = "exec " + command.get(0) + " in " + workload;
    try (ExecWatch watch =
        lab.client()
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .inContainer(container.apply(pod))
            .writingOutput(out)
            .writingError(err)
            .exec(command.toArray(String[]::new))) {
      int code = watch.exitCode().get(execTimeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ExecResult(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } catch (KubernetesClientException e) {
      throw KubernetesConnection.error(lab.backendId(), what, e);
    } catch (TimeoutException e) {
      throw new BackendException(
          lab.backendId(),
          what,
          -1,
          "Timeout",
          "the command did not finish within " + execTimeout,
          "raise convergence.<backend>.exec-timeout",
          e);
    } catch (ExecutionException e) {
      throw new BackendException(
          lab.backendId(), what, -1, null, String.valueOf(e.getCause()), "", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException(lab.backendId(), what, -1, "Interrupted", "interrupted", "", e);
    }
  }

  @Override
  public void copyTo(java.nio.file.Path source, String destination) {
    if (unsupportedExec != null) {
      throw new UnsupportedOperationException(unsupportedExec);
    }
    Pod pod = pod();
    boolean done =
        lab.call(
            "copy " + source + " to " + workload + ":" + destination,
            () ->
                lab.client()
                    .pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .inContainer(container.apply(pod))
                    .file(destination)
                    .upload(source));
    if (!done) {
      throw new BackendException(
          lab.backendId(),
          "copy " + source + " to " + workload + ":" + destination,
          -1,
          "CopyFailed",
          "the upload did not complete",
          "the image needs sh, tar or base64 for copies",
          null);
    }
  }

  @Override
  public void copyFrom(String source, java.nio.file.Path destination) {
    if (unsupportedExec != null) {
      throw new UnsupportedOperationException(unsupportedExec);
    }
    Pod pod = pod();
    boolean done =
        lab.call(
            "copy " + workload + ":" + source + " to " + destination,
            () ->
                lab.client()
                    .pods()
                    .inNamespace(pod.getMetadata().getNamespace())
                    .withName(pod.getMetadata().getName())
                    .inContainer(container.apply(pod))
                    .file(source)
                    .copy(destination));
    if (!done) {
      throw new BackendException(
          lab.backendId(),
          "copy " + workload + ":" + source + " to " + destination,
          -1,
          "CopyFailed",
          "the download did not complete",
          "the file must exist and the image needs sh and tar",
          null);
    }
  }

  @Override
  public String logs() {
    Pod pod = pod();
    return lab.call(
        "read logs of " + workload,
        () ->
            lab.client()
                .pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .inContainer(container.apply(pod))
                .getLog());
  }

  @Override
  public Endpoint endpoint(int port) {
    LocalPortForward forward =
        forwards.computeIfAbsent(
            port,
            p -> {
              Pod pod = pod();
              return lab.call(
                  "port-forward " + workload + ":" + p,
                  () ->
                      lab.client()
                          .pods()
                          .inNamespace(pod.getMetadata().getNamespace())
                          .withName(pod.getMetadata().getName())
                          .portForward(p));
            });
    return new Endpoint(forward.getLocalAddress().getHostAddress(), forward.getLocalPort());
  }

  @Override
  public void close() {
    for (LocalPortForward f : forwards.values()) {
      try {
        f.close();
      } catch (IOException e) {
        log.debug("Closing a port-forward of {} failed: {}", workload, e.toString());
      }
    }
    forwards.clear();
  }
}
