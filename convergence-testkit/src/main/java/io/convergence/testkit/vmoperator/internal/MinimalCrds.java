package io.convergence.testkit.vmoperator.internal;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Minimal CustomResourceDefinitions of the vm-operator kinds for the embedded (mock) API server:
 * names, scope and short names as the real ones ({@code config/crd/bases} of vmware-tanzu/
 * vm-operator), the served versions of a release with the newest as storage version, a status
 * subresource, and any content accepted ({@code x-kubernetes-preserve-unknown-fields}). The real
 * schemas are test data ({@code ../shared/data/vm-operator-crds}), not part of this artifact.
 */
public final class MinimalCrds {

  private MinimalCrds() {}

  /** The group. */
  public static final String GROUP = "vmoperator.vmware.com";

  /**
   * The CRDs of a release.
   *
   * @param vmVersions the versions every kind but VirtualMachineSnapshot serves, oldest first (the
   *     last one is the storage version)
   * @param snapshotVersions the versions VirtualMachineSnapshot serves, oldest first; empty for no
   *     snapshot CRD
   */
  public static List<CustomResourceDefinition> of(
      List<String> vmVersions, List<String> snapshotVersions) {
    List<CustomResourceDefinition> out = new ArrayList<>();
    out.add(crd("VirtualMachine", "virtualmachines", true, List.of("vm"), vmVersions));
    out.add(
        crd("VirtualMachineClass", "virtualmachineclasses", true, List.of("vmclass"), vmVersions));
    out.add(
        crd(
            "VirtualMachineImage",
            "virtualmachineimages",
            true,
            List.of("vmi", "vmimage"),
            vmVersions));
    out.add(
        crd(
            "ClusterVirtualMachineImage",
            "clustervirtualmachineimages",
            false,
            List.of("cvmi", "cvmimage", "clustervmi", "clustervmimage"),
            vmVersions));
    out.add(
        crd(
            "VirtualMachineService",
            "virtualmachineservices",
            true,
            List.of("vmservice"),
            vmVersions));
    if (!snapshotVersions.isEmpty()) {
      out.add(
          crd(
              "VirtualMachineSnapshot",
              "virtualmachinesnapshots",
              true,
              List.of("vmsnapshot"),
              snapshotVersions));
    }
    return out;
  }

  private static CustomResourceDefinition crd(
      String kind, String plural, boolean namespaced, List<String> shortNames, List<String> vs) {
    List<CustomResourceDefinitionVersion> versions = new ArrayList<>();
    for (int i = 0; i < vs.size(); i++) {
      versions.add(
          new CustomResourceDefinitionVersionBuilder()
              .withName(vs.get(i))
              .withServed(true)
              .withStorage(i == vs.size() - 1)
              .withNewSubresources()
              .withNewStatus()
              .endStatus()
              .endSubresources()
              .withNewSchema()
              .withNewOpenAPIV3Schema()
              .withType("object")
              .withXKubernetesPreserveUnknownFields(true)
              .endOpenAPIV3Schema()
              .endSchema()
              .build());
    }
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + "." + GROUP)
        .addToLabels("app.kubernetes.io/managed-by", "convergence-simulator")
        .endMetadata()
        .withNewSpec()
        .withGroup(GROUP)
        .withScope(namespaced ? "Namespaced" : "Cluster")
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(plural)
        .withSingular(kind.toLowerCase(java.util.Locale.ROOT))
        .withShortNames(shortNames)
        .endNames()
        .withVersions(versions)
        .endSpec()
        .build();
  }
}
