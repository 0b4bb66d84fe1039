package io.convergence.vsphere.supervisor.internal;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The vm-operator API version the backend talks ({@code vmoperator.vmware.com}), chosen from what
 * the Supervisor serves: the newest of {@link #SUPPORTED}. The fields the backend writes
 * (className, imageName, image, storageClass, powerState, bootstrap raw cloud-init and sysprep
 * Secrets, PVC volumes, readinessProbe.tcpSocket; VirtualMachineService type, selector, ports) have
 * the same shape in every supported version (checked against the CRDs of vm-operator main), so only
 * the apiVersion differs. {@code v1alpha2} lacks {@code spec.image} and is not supported.
 *
 * @param version the chosen version, e.g. {@code v1alpha5}
 * @param served the versions the group serves (as discovery reports them)
 * @param snapshots whether VirtualMachineSnapshot is served at that version in the {@code
 *     spec.vmName} form ({@code v1alpha5} and newer; {@code v1alpha4}'s {@code vmRef} form is not
 *     used)
 */
public record VmOperatorApi(String version, List<String> served, boolean snapshots) {

  /** The API group. */
  public static final String GROUP = "vmoperator.vmware.com";

  /** The versions this backend can write, oldest first. */
  public static final List<String> SUPPORTED =
      List.of("v1alpha3", "v1alpha4", "v1alpha5", "v1alpha6");

  /**
   * Reads discovery.
   *
   * @param client the client
   * @return the API, or empty when the group is not served or no supported version is
   * @throws io.fabric8.kubernetes.client.KubernetesClientException when discovery fails
   */
  public static Optional<VmOperatorApi> discover(KubernetesClient client) {
    List<String> served = new ArrayList<>();
    APIGroup group = client.getApiGroup(GROUP);
    if (group != null && group.getVersions() != null) {
      group.getVersions().forEach(v -> served.add(v.getVersion()));
    }
    // Ask each supported version directly too: some servers (and fabric8's mock) answer
    // /apis/<group>/<version> but not /apis/<group>.
    for (int i = SUPPORTED.size() - 1; i >= 0; i--) {
      String v = SUPPORTED.get(i);
      APIResourceList resources = client.getApiResources(GROUP + "/" + v);
      if (resources == null || resources.getResources() == null) {
        continue;
      }
      if (resources.getResources().stream().anyMatch(r -> r.getName().equals("virtualmachines"))) {
        if (!served.contains(v)) {
          served.add(v);
        }
        boolean snapshots =
            SUPPORTED.indexOf(v) >= SUPPORTED.indexOf("v1alpha5")
                && resources.getResources().stream()
                    .anyMatch(r -> r.getName().equals("virtualmachinesnapshots"));
        return Optional.of(new VmOperatorApi(v, List.copyOf(served), snapshots));
      }
    }
    return Optional.empty();
  }

  /**
   * The {@code apiVersion} of objects.
   *
   * @return e.g. {@code vmoperator.vmware.com/v1alpha5}
   */
  public String apiVersion() {
    return GROUP + "/" + version;
  }

  /** VirtualMachines. */
  public ResourceDefinitionContext virtualMachines() {
    return context("VirtualMachine", "virtualmachines", true);
  }

  /** VirtualMachineServices. */
  public ResourceDefinitionContext virtualMachineServices() {
    return context("VirtualMachineService", "virtualmachineservices", true);
  }

  /** VirtualMachineClasses. */
  public ResourceDefinitionContext virtualMachineClasses() {
    return context("VirtualMachineClass", "virtualmachineclasses", true);
  }

  /** VirtualMachineImages (namespaced). */
  public ResourceDefinitionContext virtualMachineImages() {
    return context("VirtualMachineImage", "virtualmachineimages", true);
  }

  /** ClusterVirtualMachineImages. */
  public ResourceDefinitionContext clusterVirtualMachineImages() {
    return context("ClusterVirtualMachineImage", "clustervirtualmachineimages", false);
  }

  /** VirtualMachineSnapshots (meaningful when {@link #snapshots()}). */
  public ResourceDefinitionContext virtualMachineSnapshots() {
    return context("VirtualMachineSnapshot", "virtualmachinesnapshots", true);
  }

  /**
   * The namespaced kinds a lab creates, in deletion order (snapshots and services before their
   * VMs).
   */
  public List<ResourceDefinitionContext> labKinds() {
    return snapshots
        ? List.of(virtualMachineSnapshots(), virtualMachineServices(), virtualMachines())
        : List.of(virtualMachineServices(), virtualMachines());
  }

  private ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /** A plan note naming the version. */
  public String note() {
    return "vm-operator API "
        + apiVersion()
        + " (served: "
        + String.join(", ", served)
        + "; the newest this backend writes)"
        + (snapshots
            ? "; snapshots through VirtualMachineSnapshot"
            : "; no snapshots (VirtualMachineSnapshot with spec.vmName is not served)");
  }
}
