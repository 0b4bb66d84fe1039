package io.convergence.kubernetes;

import io.convergence.spec.ContainerSpec;
import io.convergence.spec.EnvValue;
import io.convergence.spec.Mount;
import io.convergence.spec.PortSpec;
import io.convergence.spec.ResourceSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a container workload to the Pod (and the Secret of its secret environment values) that run
 * it. Pure.
 *
 * <p>The Pod has {@code restartPolicy: Never}: in a test lab a container that exits is a failure to
 * report, not something to hide by restarting it. Resources are both requests and limits. Probes
 * become the container's readiness probe, run by the kubelet; log-line probes are followed by the
 * SDK.
 *
 * @since 0.1.0
 */
public final class ContainerSpecToPod {

  private ContainerSpecToPod() {}

  /**
   * The name of the volume in a pod that holds shared volume {@code volume}.
   *
   * @param volume the shared volume's name
   * @return the pod volume's name
   */
  public static String podVolumeName(String volume) {
    return "vol-" + volume;
  }

  /**
   * The Pod of a container workload.
   *
   * @param workload the workload's name
   * @param spec the container, references resolved
   * @param names the lab's names
   * @return the Pod
   */
  public static Pod pod(String workload, ContainerSpec spec, LabNames names) {
    ContainerBuilder c =
        new ContainerBuilder()
            .withName(workload)
            .withImage(spec.image())
            .withCommand(spec.command())
            .withArgs(spec.args())
            .withEnv(env(workload, spec, names))
            .withPorts(ports(spec.ports()))
            .withVolumeMounts(mounts(spec.mounts()));
    ResourceSpec r = spec.resources();
    if (!r.equals(ResourceSpec.DEFAULT)) {
      Map<String, Quantity> amounts = new LinkedHashMap<>();
      r.optionalCpu().ifPresent(x -> amounts.put("cpu", new Quantity(x)));
      r.optionalMemory().ifPresent(x -> amounts.put("memory", new Quantity(x)));
      c.withResources(
          new ResourceRequirementsBuilder().withRequests(amounts).withLimits(amounts).build());
    }
    ProbeToKubernetesProbe.readinessProbe(spec.readiness()).ifPresent(c::withReadinessProbe);
    return new PodBuilder()
        .withNewMetadata()
        .withName(names.objectName(workload))
        .withNamespace(names.namespace())
        .withLabels(names.labels(workload, spec.labels()))
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(10L)
        .withContainers(c.build())
        .withVolumes(volumes(spec.mounts(), names))
        .endSpec()
        .build();
  }

  private static List<EnvVar> env(String workload, ContainerSpec spec, LabNames names) {
    List<EnvVar> env = new ArrayList<>();
    spec.env()
        .forEach(
            (name, value) -> {
              if (value instanceof EnvValue.Plain p) {
                env.add(new EnvVarBuilder().withName(name).withValue(p.value()).build());
              } else {
                env.add(
                    new EnvVarBuilder()
                        .withName(name)
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName(envSecretName(workload, names))
                        .withKey(name)
                        .endSecretKeyRef()
                        .endValueFrom()
                        .build());
              }
            });
    return env;
  }

  /**
   * The name of the Secret holding a workload's secret environment values.
   *
   * @param workload the workload
   * @param names the lab's names
   * @return the Secret's name
   */
  public static String envSecretName(String workload, LabNames names) {
    return names.objectName(workload, "env");
  }

  /**
   * The Secret holding a container's secret environment values, if it has any.
   *
   * @param workload the workload's name
   * @param spec the container; secrets must be literal (read by the runtime)
   * @param names the lab's names
   * @return the Secret
   */
  public static Optional<Secret> envSecret(String workload, ContainerSpec spec, LabNames names) {
    Map<String, String> data = new LinkedHashMap<>();
    spec.env()
        .forEach(
            (name, value) -> {
              if (value instanceof EnvValue.Secret s) {
                data.put(name, s.value().reveal());
              }
            });
    if (data.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        secret(envSecretName(workload, names), names.labels(workload, Map.of()), names, data));
  }

  /**
   * An Opaque Secret with the given entries (base64-encoded in {@code data}, as the API server
   * stores them).
   *
   * @param name the Secret's name
   * @param labels its labels
   * @param names the lab's names
   * @param entries key to plain value
   * @return the Secret
   */
  public static Secret secret(
      String name, Map<String, String> labels, LabNames names, Map<String, String> entries) {
    Map<String, String> data = new LinkedHashMap<>();
    entries.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(names.namespace())
        .withLabels(labels)
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }

  /**
   * The container ports of exposed ports.
   *
   * @param ports the exposed ports
   * @return the container ports
   */
  public static List<ContainerPort> ports(List<PortSpec> ports) {
    List<ContainerPort> out = new ArrayList<>();
    for (PortSpec p : ports) {
      ContainerPortBuilder b =
          new ContainerPortBuilder()
              .withContainerPort(p.number())
              .withProtocol(p.protocol().name());
      p.optionalName().ifPresent(b::withName);
      out.add(b.build());
    }
    return out;
  }

  private static List<VolumeMount> mounts(List<Mount> mounts) {
    List<VolumeMount> out = new ArrayList<>();
    for (Mount m : mounts) {
      out.add(
          new VolumeMountBuilder()
              .withName(podVolumeName(m.volume()))
              .withMountPath(m.path())
              .withReadOnly(m.readOnly() ? Boolean.TRUE : null)
              .build());
    }
    return out;
  }

  private static List<Volume> volumes(List<Mount> mounts, LabNames names) {
    List<Volume> out = new ArrayList<>();
    for (Mount m : mounts) {
      out.add(
          new VolumeBuilder()
              .withName(podVolumeName(m.volume()))
              .withNewPersistentVolumeClaim()
              .withClaimName(SharedVolumeToClaim.claimName(m.volume(), names))
              .endPersistentVolumeClaim()
              .build());
    }
    return out;
  }
}
