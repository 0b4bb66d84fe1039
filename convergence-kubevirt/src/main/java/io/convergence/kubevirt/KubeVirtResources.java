package io.convergence.kubevirt;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * The KubeVirt and CDI kinds the backend uses, as explicit contexts (no discovery needed to address
 * them).
 *
 * @since 0.1.0
 */
public final class KubeVirtResources {

  private KubeVirtResources() {}

  /** {@code kubevirt.io/v1} VirtualMachine. */
  public static final ResourceDefinitionContext VIRTUAL_MACHINE =
      context("kubevirt.io", "v1", "VirtualMachine", "virtualmachines");

  /** {@code kubevirt.io/v1} VirtualMachineInstance. */
  public static final ResourceDefinitionContext VIRTUAL_MACHINE_INSTANCE =
      context("kubevirt.io", "v1", "VirtualMachineInstance", "virtualmachineinstances");

  /** {@code kubevirt.io/v1} KubeVirt (the operator's configuration). */
  public static final ResourceDefinitionContext KUBEVIRT =
      context("kubevirt.io", "v1", "KubeVirt", "kubevirts");

  /** {@code cdi.kubevirt.io/v1beta1} DataVolume. */
  public static final ResourceDefinitionContext DATA_VOLUME =
      context("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes");

  /** {@code cdi.kubevirt.io/v1beta1} DataSource (a golden image). */
  public static final ResourceDefinitionContext DATA_SOURCE =
      context("cdi.kubevirt.io", "v1beta1", "DataSource", "datasources");

  /** {@code snapshot.kubevirt.io/v1beta1} VirtualMachineSnapshot. */
  public static final ResourceDefinitionContext SNAPSHOT =
      context(
          "snapshot.kubevirt.io", "v1beta1", "VirtualMachineSnapshot", "virtualmachinesnapshots");

  /** {@code snapshot.kubevirt.io/v1beta1} VirtualMachineRestore. */
  public static final ResourceDefinitionContext RESTORE =
      context("snapshot.kubevirt.io", "v1beta1", "VirtualMachineRestore", "virtualmachinerestores");

  /** The kinds a lab creates, in the order teardown deletes them. */
  public static final List<ResourceDefinitionContext> LAB_KINDS =
      List.of(RESTORE, SNAPSHOT, VIRTUAL_MACHINE, VIRTUAL_MACHINE_INSTANCE, DATA_VOLUME);

  private static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  /**
   * {@code group/version} of a kind.
   *
   * @param kind the kind
   * @return the API version
   */
  public static String apiVersion(ResourceDefinitionContext kind) {
    return kind.getGroup() + "/" + kind.getVersion();
  }
}
