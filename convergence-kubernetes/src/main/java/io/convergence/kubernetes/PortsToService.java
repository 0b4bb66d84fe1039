package io.convergence.kubernetes;

import io.convergence.spec.PortSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a workload's exposed ports to one ClusterIP Service named after the workload, selecting its
 * pod (for a VM, the virt-launcher pod, which carries the VM template's labels), so that the
 * workload's name is its DNS name.
 *
 * @since 0.1.0
 */
public final class PortsToService {

  private PortsToService() {}

  /**
   * The Service of a workload.
   *
   * @param workload the workload's name
   * @param ports its exposed ports (not empty)
   * @param names the lab's names
   * @param workloadLabels the workload spec's labels
   * @return the Service
   */
  public static Service service(
      String workload, List<PortSpec> ports, LabNames names, Map<String, String> workloadLabels) {
    List<ServicePort> servicePorts = new ArrayList<>();
    for (PortSpec p : ports) {
      servicePorts.add(
          new ServicePortBuilder()
              .withName(
                  p.optionalName()
                      .orElse(p.protocol().name().toLowerCase(Locale.ROOT) + "-" + p.number()))
              .withPort(p.number())
              .withTargetPort(new IntOrString(p.number()))
              .withProtocol(p.protocol().name())
              .build());
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(names.objectName(workload))
        .withNamespace(names.namespace())
        .withLabels(names.labels(workload, workloadLabels))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(names.workloadSelector(workload))
        .withPorts(servicePorts)
        .endSpec()
        .build();
  }
}
