package io.convergence.testkit.kubevirt;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The KubeVirt and CDI kinds the simulators read and write, as explicit {@link
 * ResourceDefinitionContext}s for {@code client.genericKubernetesResources(context)} (these work
 * against the CRUD mock, which has no discovery for unregistered kinds), and the labels,
 * annotations and finalizers KubeVirt v1.9 uses.
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

  /** {@code kubevirt.io/v1} KubeVirt (the operator's configuration, one per cluster). */
  public static final ResourceDefinitionContext KUBEVIRT =
      context("kubevirt.io", "v1", "KubeVirt", "kubevirts");

  /** {@code snapshot.kubevirt.io/v1beta1} VirtualMachineSnapshot. */
  public static final ResourceDefinitionContext VIRTUAL_MACHINE_SNAPSHOT =
      context(
          "snapshot.kubevirt.io", "v1beta1", "VirtualMachineSnapshot", "virtualmachinesnapshots");

  /** {@code snapshot.kubevirt.io/v1beta1} VirtualMachineRestore. */
  public static final ResourceDefinitionContext VIRTUAL_MACHINE_RESTORE =
      context("snapshot.kubevirt.io", "v1beta1", "VirtualMachineRestore", "virtualmachinerestores");

  /** {@code cdi.kubevirt.io/v1beta1} DataVolume. */
  public static final ResourceDefinitionContext DATA_VOLUME =
      context("cdi.kubevirt.io", "v1beta1", "DataVolume", "datavolumes");

  /** {@code cdi.kubevirt.io/v1beta1} DataSource. */
  public static final ResourceDefinitionContext DATA_SOURCE =
      context("cdi.kubevirt.io", "v1beta1", "DataSource", "datasources");

  /** Label on virt-launcher pods: {@value}. */
  public static final String LAUNCHER_LABEL = "kubevirt.io";

  /** Its value on virt-launcher pods: {@value}. */
  public static final String LAUNCHER_LABEL_VALUE = "virt-launcher";

  /** Label on virt-launcher pods naming the VMI's uid: {@value}. */
  public static final String CREATED_BY_LABEL = "kubevirt.io/created-by";

  /** Label on virt-launcher pods naming the VM (deprecated upstream, still set): {@value}. */
  public static final String VM_NAME_LABEL = "vm.kubevirt.io/name";

  /** Label on virt-launcher pods for Service selectors (KubeVirt 1.7+): {@value}. */
  public static final String VMI_ID_LABEL = "vmi.kubevirt.io/id";

  /** Label set on a VMI once scheduled, naming its node: {@value}. */
  public static final String NODE_NAME_LABEL = "kubevirt.io/nodeName";

  /** Annotation on virt-launcher pods naming the domain (the VMI): {@value}. */
  public static final String DOMAIN_ANNOTATION = "kubevirt.io/domain";

  /** VMI finalizer: {@value}. */
  public static final String FOREGROUND_DELETE_FINALIZER =
      "kubevirt.io/foregroundDeleteVirtualMachine";

  /** VMI and VM finalizer: {@value}. */
  public static final String CONTROLLER_FINALIZER = "kubevirt.io/virtualMachineControllerFinalize";

  /** The KubeVirt version the simulators report: {@value}. */
  public static final String KUBEVIRT_VERSION = "v1.9.0";

  /** The CDI version the simulators report: {@value}. */
  public static final String CDI_VERSION = "v1.64.0";

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
   * The {@code apiVersion} of a context, e.g. {@code kubevirt.io/v1}.
   *
   * @param context the context
   * @return the API version
   */
  public static String apiVersion(ResourceDefinitionContext context) {
    return context.getGroup() + "/" + context.getVersion();
  }
}
