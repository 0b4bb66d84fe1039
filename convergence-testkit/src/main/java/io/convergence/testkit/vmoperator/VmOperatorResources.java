package io.convergence.testkit.vmoperator;

import static java.util.Objects.requireNonNull;

import io.convergence.testkit.vmoperator.internal.ApiVersions;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vm-operator ({@code vmoperator.vmware.com}) kinds the simulator reads and writes, as {@link
 * ResourceDefinitionContext}s per API version, the finalizers, labels and annotations the real
 * operator uses, and discovery of the versions a server serves.
 *
 * @since 0.1.0
 */
public final class VmOperatorResources {

  private static final Logger log = LoggerFactory.getLogger(VmOperatorResources.class);

  private VmOperatorResources() {}

  /** The API group: {@value}. */
  public static final String GROUP = "vmoperator.vmware.com";

  /** The versions the simulator knows the schemas of, oldest first. */
  public static final List<String> SUPPORTED_VERSIONS = ApiVersions.KNOWN;

  /** The VirtualMachine controller's finalizer: {@value}. */
  public static final String VM_FINALIZER = "vmoperator.vmware.com/virtualmachine";

  /** The VirtualMachineService controller's finalizer: {@value}. */
  public static final String VM_SERVICE_FINALIZER = "vmoperator.vmware.com/virtualmachineservice";

  /** The VirtualMachineSnapshot controller's finalizer: {@value}. */
  public static final String SNAPSHOT_FINALIZER = "vmoperator.vmware.com/virtualmachinesnapshot";

  /** Annotation that stops reconciling (and deleting) a VirtualMachine: {@value}. */
  public static final String PAUSE_ANNOTATION = "vmoperator.vmware.com/paused";

  /** Prefix of the annotations that hold back a VirtualMachine's deletion: {@value}. */
  public static final String DELETE_CHECK_ANNOTATION_PREFIX = "delete.check.vmoperator.vmware.com/";

  /** Annotation naming the vCenter that manages a VirtualMachine: {@value}. */
  public static final String MANAGER_ID_ANNOTATION = "vmoperator.vmware.com/manager-id";

  /** The zone label placement sets on a VirtualMachine: {@value}. */
  public static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  /** The VirtualMachineClass {@code spec.controllerName} of the vSphere provider: {@value}. */
  public static final String CLASS_CONTROLLER_NAME = "vmoperator.vmware.com/vsphere";

  /**
   * VirtualMachine.
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext virtualMachines(String version) {
    return context(version, "VirtualMachine", "virtualmachines", true);
  }

  /**
   * VirtualMachineClass (namespaced).
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext virtualMachineClasses(String version) {
    return context(version, "VirtualMachineClass", "virtualmachineclasses", true);
  }

  /**
   * VirtualMachineImage (namespaced).
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext virtualMachineImages(String version) {
    return context(version, "VirtualMachineImage", "virtualmachineimages", true);
  }

  /**
   * ClusterVirtualMachineImage (cluster-scoped).
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext clusterVirtualMachineImages(String version) {
    return context(version, "ClusterVirtualMachineImage", "clustervirtualmachineimages", false);
  }

  /**
   * VirtualMachineService.
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext virtualMachineServices(String version) {
    return context(version, "VirtualMachineService", "virtualmachineservices", true);
  }

  /**
   * VirtualMachineSnapshot.
   *
   * @param version e.g. {@code v1alpha5}
   * @return the context
   */
  public static ResourceDefinitionContext virtualMachineSnapshots(String version) {
    return context(version, "VirtualMachineSnapshot", "virtualmachinesnapshots", true);
  }

  /**
   * The {@code apiVersion} of a version, e.g. {@code vmoperator.vmware.com/v1alpha5}.
   *
   * @param version the version
   * @return the API version
   */
  public static String apiVersion(String version) {
    return GROUP + "/" + version;
  }

  private static ResourceDefinitionContext context(
      String version, String kind, String plural, boolean namespaced) {
    requireNonNull(version, "version");
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(namespaced)
        .build();
  }

  /**
   * The versions at which the server serves a vm-operator kind, highest priority first, read from
   * API discovery ({@code /apis/vmoperator.vmware.com/<version>} for each version the simulator
   * knows), falling back to the kind's CustomResourceDefinition when discovery answers nothing.
   * Versions the simulator does not know are left out (and logged when discovery lists them).
   *
   * @param client the client
   * @param kind e.g. {@code VirtualMachine}
   * @return the versions; empty when the kind is not served at a version the simulator knows
   */
  public static List<String> servedVersions(KubernetesClient client, String kind) {
    requireNonNull(client, "client");
    requireNonNull(kind, "kind");
    List<String> out = new ArrayList<>();
    for (String v : descending(SUPPORTED_VERSIONS)) {
      APIResourceList list;
      try {
        list = client.getApiResources(apiVersion(v));
      } catch (KubernetesClientException e) {
        list = null;
      }
      if (list != null && list.getResources() != null) {
        for (APIResource r : list.getResources()) {
          if (kind.equals(r.getKind()) && !r.getName().contains("/")) {
            out.add(v);
            break;
          }
        }
      }
    }
    warnAboutNewerVersions(client);
    if (!out.isEmpty()) {
      return out;
    }
    return fromCrd(client, kind);
  }

  /**
   * The highest-priority version at which the server serves VirtualMachine among those the
   * simulator knows ({@code v1alpha3} and newer).
   *
   * @param client the client
   * @return the version, if any
   */
  public static Optional<String> newestServedVersion(KubernetesClient client) {
    return servedVersions(client, "VirtualMachine").stream().findFirst();
  }

  private static List<String> descending(List<String> versions) {
    List<String> out = new ArrayList<>(versions);
    out.sort(ApiVersions.PRIORITY);
    return out;
  }

  private static void warnAboutNewerVersions(KubernetesClient client) {
    try {
      APIGroup group = client.getApiGroup(GROUP);
      if (group == null || group.getVersions() == null) {
        return;
      }
      for (GroupVersionForDiscovery gv : group.getVersions()) {
        String v = gv.getVersion();
        if (v != null
            && !SUPPORTED_VERSIONS.contains(v)
            && ApiVersions.PRIORITY.compare(
                    v, SUPPORTED_VERSIONS.get(SUPPORTED_VERSIONS.size() - 1))
                < 0) {
          log.warn(
              "the server serves {}/{}, newer than the simulator knows ({}); it is not used",
              GROUP,
              v,
              SUPPORTED_VERSIONS);
        }
      }
    } catch (KubernetesClientException e) {
      log.debug("API group discovery of {} failed: {}", GROUP, e.getMessage());
    }
  }

  private static List<String> fromCrd(KubernetesClient client, String kind) {
    List<String> out = new ArrayList<>();
    try {
      for (CustomResourceDefinition crd :
          client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        if (!GROUP.equals(crd.getSpec().getGroup())
            || !kind.equals(crd.getSpec().getNames().getKind())) {
          continue;
        }
        for (CustomResourceDefinitionVersion v : crd.getSpec().getVersions()) {
          if (Boolean.TRUE.equals(v.getServed()) && SUPPORTED_VERSIONS.contains(v.getName())) {
            out.add(v.getName());
          }
        }
      }
    } catch (KubernetesClientException e) {
      log.debug("cannot read the CRDs of {}: {}", GROUP, e.getMessage());
    }
    out.sort(ApiVersions.PRIORITY);
    return out;
  }
}
