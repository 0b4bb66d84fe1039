package io.convergence.testkit.vmoperator;

import io.convergence.testkit.kubernetes.internal.Gkr;
import io.convergence.testkit.kubernetes.internal.Json;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Hand-written vm-operator objects, as a client would send them, and readers of their status. */
final class VmOpObjects {

  private VmOpObjects() {}

  /**
   * The real CRDs, found through the property the build passes ({@code convergence.shared.dir}).
   */
  static Path crdDir() {
    Path shared = Path.of(System.getProperty("convergence.shared.dir", "../../shared"));
    Path dir = shared.resolve("data/vm-operator-crds");
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "the real vm-operator CRDs are not at "
              + dir.toAbsolutePath()
              + "; set -Dconvergence.shared.dir=<folder holding data/vm-operator-crds>");
    }
    return dir;
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vms(KubernetesClient c, String version, String ns) {
    return c.genericKubernetesResources(VmOperatorResources.virtualMachines(version))
        .inNamespace(ns);
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      vmServices(KubernetesClient c, String version, String ns) {
    return c.genericKubernetesResources(VmOperatorResources.virtualMachineServices(version))
        .inNamespace(ns);
  }

  static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      snapshots(KubernetesClient c, String version, String ns) {
    return c.genericKubernetesResources(VmOperatorResources.virtualMachineSnapshots(version))
        .inNamespace(ns);
  }

  static GenericKubernetesResource parse(KubernetesClient c, String yaml) {
    return c.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  /**
   * A Linux VM from the display name of a cluster image, cloud-init from a Secret, one NIC, a TCP
   * readiness probe, labels {@code app}, lab and workload.
   */
  static String linuxVm(String version, String ns, String name, String className, String image) {
    return """
        apiVersion: vmoperator.vmware.com/%1$s
        kind: VirtualMachine
        metadata:
          name: %3$s
          namespace: %2$s
          labels:
            app: web
            convergence.io/lab: lab-a
            convergence.io/workload: %3$s
        spec:
          className: %4$s
          imageName: %5$s
          storageClass: wcpglobal-storage-profile
          powerState: PoweredOn
          bootstrap:
            cloudInit:
              rawCloudConfig:
                name: %3$s-cloud-init
                key: user-data
          network:
            interfaces:
            - name: eth0
          readinessProbe:
            tcpSocket:
              port: 22
        """
        .formatted(version, ns, name, className, image);
  }

  /** A Windows VM from a namespaced VirtualMachineImage (by spec.image), sysprep from a Secret. */
  static String windowsVm(String version, String ns, String name, String vmiName) {
    return """
        apiVersion: vmoperator.vmware.com/%1$s
        kind: VirtualMachine
        metadata:
          name: %3$s
          namespace: %2$s
          labels:
            convergence.io/workload: %3$s
        spec:
          className: best-effort-large
          image:
            kind: VirtualMachineImage
            name: %4$s
          storageClass: wcpglobal-storage-profile
          bootstrap:
            sysprep:
              rawSysprep:
                name: %3$s-sysprep
                key: unattend
        """
        .formatted(version, ns, name, vmiName);
  }

  static Secret cloudInitSecret(String ns, String vm) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata()
        .withName(vm + "-cloud-init")
        .withNamespace(ns)
        .endMetadata()
        .addToStringData("user-data", "#cloud-config\nssh_pwauth: true\n")
        .build();
  }

  static Secret sysprepSecret(String ns, String vm) {
    return new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata()
        .withName(vm + "-sysprep")
        .withNamespace(ns)
        .endMetadata()
        .addToStringData("unattend", "<unattend/>")
        .build();
  }

  static String vmService(String version, String ns, String name, String type) {
    return """
        apiVersion: vmoperator.vmware.com/%1$s
        kind: VirtualMachineService
        metadata:
          name: %3$s
          namespace: %2$s
          labels:
            convergence.io/lab: lab-a
        spec:
          type: %4$s
          selector:
            app: web
          ports:
          - name: ssh
            protocol: TCP
            port: 2222
            targetPort: 22
        """
        .formatted(version, ns, name, type);
  }

  static String snapshot(String version, String ns, String name, String vm, boolean memory) {
    return """
        apiVersion: vmoperator.vmware.com/%1$s
        kind: VirtualMachineSnapshot
        metadata:
          name: %3$s
          namespace: %2$s
        spec:
          vmName: %4$s
          memory: %5$s
          description: before the test
        """
        .formatted(version, ns, name, vm, memory);
  }

  static Map<String, Object> status(GenericKubernetesResource o) {
    return Gkr.status(o);
  }

  static Map<String, Object> condition(GenericKubernetesResource o, String type) {
    return Json.maps(status(o), "conditions").stream()
        .filter(c -> type.equals(c.get("type")))
        .findFirst()
        .orElse(Map.of());
  }

  static boolean isTrue(GenericKubernetesResource o, String type) {
    return "True".equals(condition(o, type).get("status"));
  }

  static String reason(GenericKubernetesResource o, String type) {
    return String.valueOf(condition(o, type).get("reason"));
  }

  static List<String> conditionTypes(GenericKubernetesResource o) {
    return Json.maps(status(o), "conditions").stream()
        .map(c -> String.valueOf(c.get("type")))
        .toList();
  }

  /** The lifecycle stage a VM's status shows, for recorders. */
  static String stage(GenericKubernetesResource vm) {
    Map<String, Object> st = status(vm);
    if (st.isEmpty()) {
      return "new";
    }
    if (!st.containsKey("uniqueID")) {
      return isTrue(vm, "VirtualMachineConditionPlacementReady") ? "placed" : "prereqs";
    }
    String power = Json.strOr(st, "", "powerState");
    if (!power.equals("PoweredOn")) {
      return "created:" + power;
    }
    if (!isTrue(vm, "VirtualMachineTools")) {
      return "poweredOn";
    }
    if (!isTrue(vm, "GuestCustomization")) {
      return "booted";
    }
    if (!condition(vm, "Ready").isEmpty() && !isTrue(vm, "Ready")) {
      return "customized";
    }
    return isTrue(vm, "Ready") ? "ready" : "customized";
  }

  static String snapshotStage(GenericKubernetesResource s) {
    return reason(s, "VirtualMachineSnapshotCreated")
        + "/"
        + reason(s, "VirtualMachineSnapshotCSISynced")
        + "/"
        + reason(s, "VirtualMachineSnapshotReady");
  }
}
