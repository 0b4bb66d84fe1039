package io.convergence.testkit.kubevirt;

import io.convergence.testkit.kubernetes.internal.Conditions;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Map;

/** Hand-written KubeVirt objects, as a client would send them, and readers of their status. */
final class KubeVirtObjects {

  private KubeVirtObjects() {}

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vms(KubernetesClient c, String ns) {
    return c.genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE).inNamespace(ns);
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vmis(KubernetesClient c, String ns) {
    return c.genericKubernetesResources(KubeVirtResources.VIRTUAL_MACHINE_INSTANCE).inNamespace(ns);
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      dvs(KubernetesClient c, String ns) {
    return c.genericKubernetesResources(KubeVirtResources.DATA_VOLUME).inNamespace(ns);
  }

  static GenericKubernetesResource parse(KubernetesClient c, String yaml) {
    return c.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  /** A containerDisk VM with cloud-init from a Secret, a masquerade NIC with ports, a probe. */
  static String containerDiskVm(String ns, String name, String image, String runStrategy) {
    return """
        apiVersion: kubevirt.io/v1
        kind: VirtualMachine
        metadata:
          name: %2$s
          namespace: %1$s
          labels:
            convergence.io/lab: lab-a
        spec:
          runStrategy: %4$s
          template:
            metadata:
              labels:
                convergence.io/lab: lab-a
                convergence.io/workload: %2$s
            spec:
              domain:
                cpu: {cores: 2}
                memory: {guest: 2Gi}
                devices:
                  disks:
                  - {name: rootdisk, disk: {bus: virtio}}
                  - {name: cloudinit, disk: {bus: virtio}}
                  interfaces:
                  - name: default
                    masquerade: {}
                    ports:
                    - {name: ssh, port: 22}
              networks:
              - {name: default, pod: {}}
              readinessProbe:
                tcpSocket: {port: 22}
                initialDelaySeconds: 5
                periodSeconds: 5
              volumes:
              - name: rootdisk
                containerDisk: {image: %3$s}
              - name: cloudinit
                cloudInitNoCloud:
                  secretRef: {name: %2$s-cloudinit}
        """
        .formatted(ns, name, image, runStrategy);
  }

  /** A VM whose root disk is a DataVolume cloned from a golden-image DataSource. */
  static String dataVolumeVm(String ns, String name, String dataSource) {
    return """
        apiVersion: kubevirt.io/v1
        kind: VirtualMachine
        metadata:
          name: %2$s
          namespace: %1$s
        spec:
          runStrategy: Always
          dataVolumeTemplates:
          - metadata:
              name: %2$s-root
              labels:
                convergence.io/lab: lab-a
            spec:
              sourceRef:
                kind: DataSource
                name: %3$s
                namespace: kubevirt-os-images
              storage:
                resources:
                  requests:
                    storage: 30Gi
          template:
            metadata:
              labels:
                convergence.io/lab: lab-a
                convergence.io/workload: %2$s
            spec:
              domain:
                devices:
                  disks:
                  - {name: root, disk: {bus: virtio}}
                  interfaces:
                  - {name: default, masquerade: {}}
                resources:
                  requests: {memory: 4Gi}
              networks:
              - {name: default, pod: {}}
              volumes:
              - name: root
                dataVolume: {name: %2$s-root}
        """
        .formatted(ns, name, dataSource);
  }

  static String cloudInitSecret(String ns, String vm) {
    return """
        apiVersion: v1
        kind: Secret
        metadata:
          name: %2$s-cloudinit
          namespace: %1$s
        stringData:
          userdata: |
            #cloud-config
            packages: [qemu-guest-agent]
        """
        .formatted(ns, vm);
  }

  // ------------------------------------------------------------------ readers

  static Map<String, Object> status(GenericKubernetesResource o) {
    return Json.map(o.getAdditionalProperties(), "status");
  }

  static String phase(GenericKubernetesResource o) {
    return Json.strOr(status(o), "", "phase");
  }

  static String printable(GenericKubernetesResource vm) {
    return Json.strOr(status(vm), "", "printableStatus");
  }

  static List<Map<String, Object>> conditions(GenericKubernetesResource o) {
    return Json.maps(status(o), "conditions");
  }

  static Map<String, Object> condition(GenericKubernetesResource o, String type) {
    return Conditions.find(conditions(o), type).orElse(Map.of());
  }

  static boolean isTrue(GenericKubernetesResource o, String type) {
    return Conditions.isTrue(conditions(o), type);
  }

  /** e.g. {@code Running ready=true agent=false}. */
  static String vmiState(GenericKubernetesResource vmi) {
    return phase(vmi)
        + " ready="
        + isTrue(vmi, "Ready")
        + " agent="
        + isTrue(vmi, "AgentConnected");
  }
}
