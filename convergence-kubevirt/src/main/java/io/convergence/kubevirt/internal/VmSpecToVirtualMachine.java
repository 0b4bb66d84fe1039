package io.convergence.kubevirt.internal;

import static io.convergence.kubevirt.internal.Maps.map;

import io.convergence.kubernetes.ContainerSpecToPod;
import io.convergence.kubernetes.GuestMount;
import io.convergence.kubernetes.GuestMountInjector;
import io.convergence.kubernetes.LabNames;
import io.convergence.kubernetes.PortsToService;
import io.convergence.kubernetes.ProbeToKubernetesProbe;
import io.convergence.kubernetes.SharedVolumeToClaim;
import io.convergence.kubevirt.KubeVirtOptions;
import io.convergence.kubevirt.KubeVirtResources;
import io.convergence.spec.DiskSpec;
import io.convergence.spec.GuestOs;
import io.convergence.spec.VmImage;
import io.convergence.spec.VmSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a VM workload to the objects that run it on KubeVirt: a {@code kubevirt.io/v1}
 * VirtualMachine with {@code runStrategy: Always} (never the deprecated {@code running}), a Secret
 * with its cloud-init user data or sysprep answer file (referenced, never inline: inline user data
 * is limited to 2 KiB), and a Service for its exposed ports that selects the virt-launcher pod by
 * the lab labels set in the template. Pure.
 *
 * <p>Boot disk by image kind: a registry image is an ephemeral {@code containerDisk} (or, with
 * {@link KubeVirtOptions#importRegistryImage()}, a DataVolume import); a named image clones the
 * DataSource of that name in the golden image namespace; a URL is a DataVolume HTTP import; a disk
 * {@code namespace/name} clones that PVC. DataVolumes are {@code dataVolumeTemplates}, so they live
 * and die with the VM.
 */
public final class VmSpecToVirtualMachine {

  static final String ROOT = "rootdisk";
  static final String CLOUD_INIT = "cloudinitdisk";
  static final String SYSPREP = "sysprepdisk";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private VmSpecToVirtualMachine() {}

  /** The objects of one VM: secrets first, then the VM, then its service. */
  public record VmObjects(
      List<Secret> secrets, GenericKubernetesResource virtualMachine, List<HasMetadata> services) {
    /** Every object, in creation order. */
    public List<HasMetadata> all() {
      List<HasMetadata> all = new ArrayList<>(secrets);
      all.add(virtualMachine);
      all.addAll(services);
      return all;
    }
  }

  /** The name of a VM's user data Secret. */
  public static String userDataSecretName(String workload, LabNames names) {
    return names.objectName(workload, "userdata");
  }

  /** The name of a VM's root DataVolume. */
  public static String rootDataVolumeName(String workload, LabNames names) {
    return names.objectName(workload, "root");
  }

  /**
   * Maps a VM.
   *
   * @param workload the workload's name
   * @param vm the VM, references resolved, secrets literal
   * @param names the lab's names
   * @param settings the backend's settings
   * @param mounts how its shared volumes reach the guest
   * @return the objects
   */
  public static VmObjects toObjects(
      String workload,
      VmSpec vm,
      LabNames names,
      KubeVirtSettings settings,
      List<GuestMount> mounts) {
    Optional<KubeVirtOptions> options = vm.options(KubeVirtOptions.class);
    boolean windows = vm.guestOs() == GuestOs.WINDOWS;
    String bus = options.flatMap(KubeVirtOptions::diskBus).orElse(windows ? "sata" : "virtio");
    String model =
        options.flatMap(KubeVirtOptions::interfaceModel).orElse(windows ? "e1000e" : "virtio");
    Map<String, String> labels = names.labels(workload, vm.labels());

    List<Object> disks = new ArrayList<>();
    List<Object> volumes = new ArrayList<>();
    List<Object> dataVolumeTemplates = new ArrayList<>();
    List<Object> filesystems = new ArrayList<>();
    disks.add(map("name", ROOT, "disk", map("bus", bus), "bootOrder", 1));
    volumes.add(rootVolume(workload, vm, names, settings, options, labels, dataVolumeTemplates));

    List<Secret> secrets = new ArrayList<>();
    List<GuestMount> smb = mounts.stream().filter(m -> m.kind() == GuestMount.Kind.SMB).toList();
    List<GuestMount> linuxMounts =
        mounts.stream().filter(m -> m.kind() != GuestMount.Kind.SMB).toList();
    String secretName = userDataSecretName(workload, names);
    if (windows) {
      Optional<String> sysprep = vm.sysprep().map(s -> GuestMountInjector.sysprep(s.reveal(), smb));
      if (sysprep.isPresent()) {
        secrets.add(
            ContainerSpecToPod.secret(
                secretName, labels, names, Map.of("autounattend.xml", sysprep.get())));
        disks.add(map("name", SYSPREP, "cdrom", map("bus", "sata")));
        volumes.add(map("name", SYSPREP, "sysprep", map("secret", map("name", secretName))));
      }
    } else {
      String userData =
          GuestMountInjector.cloudInit(
              vm.cloudInit().map(s -> s.reveal()).orElse(null), linuxMounts);
      if (userData != null) {
        secrets.add(
            ContainerSpecToPod.secret(secretName, labels, names, Map.of("userdata", userData)));
        disks.add(map("name", CLOUD_INIT, "disk", map("bus", "virtio")));
        volumes.add(
            map("name", CLOUD_INIT, "cloudInitNoCloud", map("secretRef", map("name", secretName))));
      }
    }
    for (DiskSpec d : vm.disks()) {
      String name = "disk-" + d.name();
      disks.add(map("name", name, "disk", map("bus", bus)));
      volumes.add(map("name", name, "emptyDisk", map("capacity", d.size())));
    }
    for (GuestMount m : mounts) {
      if (m.kind() == GuestMount.Kind.VIRTIOFS) {
        filesystems.add(map("name", m.server(), "virtiofs", map()));
        volumes.add(
            map(
                "name",
                m.server(),
                "persistentVolumeClaim",
                map(
                    "claimName",
                    SharedVolumeToClaim.claimName(m.volume(), names),
                    "readOnly",
                    m.readOnly() ? true : null)));
      }
    }

    Map<String, Object> devices =
        map(
            "disks",
            disks,
            "interfaces",
            List.of(
                map("name", "default", "masquerade", map(), "model", model, "ports", ports(vm))),
            "filesystems",
            filesystems.isEmpty() ? null : filesystems);
    Map<String, Object> domain = new LinkedHashMap<>();
    if (options.flatMap(KubeVirtOptions::instancetype).isEmpty()) {
      domain.put("cpu", map("cores", vm.cpus(), "sockets", 1, "threads", 1));
      domain.put("memory", map("guest", vm.memory()));
    }
    domain.put("devices", devices);
    if (windows) {
      domain.put(
          "features",
          map(
              "acpi",
              map(),
              "apic",
              map(),
              "hyperv",
              map("relaxed", map(), "vapic", map(), "spinlocks", map("spinlocks", 8191))));
      domain.put(
          "clock",
          map(
              "utc",
              map(),
              "timer",
              map(
                  "hpet",
                  map("present", false),
                  "pit",
                  map("tickPolicy", "delay"),
                  "rtc",
                  map("tickPolicy", "catchup"),
                  "hyperv",
                  map())));
    }
    Map<String, Object> templateSpec =
        map(
            "domain",
            domain,
            "networks",
            List.of(map("name", "default", "pod", map())),
            "volumes",
            volumes,
            "terminationGracePeriodSeconds",
            windows ? 60 : 30,
            "nodeSelector",
            options.map(KubeVirtOptions::nodeSelector).filter(m -> !m.isEmpty()).orElse(null),
            "readinessProbe",
            ProbeToKubernetesProbe.readinessProbe(vm.readiness())
                .map(p -> SERIALIZATION.convertValue(p, Map.class))
                .orElse(null));
    Map<String, Object> spec =
        map(
            "runStrategy", "Always",
            "instancetype",
                options
                    .flatMap(KubeVirtOptions::instancetype)
                    .map(n -> map("name", n))
                    .orElse(null),
            "preference",
                options.flatMap(KubeVirtOptions::preference).map(n -> map("name", n)).orElse(null),
            "dataVolumeTemplates", dataVolumeTemplates.isEmpty() ? null : dataVolumeTemplates,
            "template", map("metadata", map("labels", labels), "spec", templateSpec));
    GenericKubernetesResource resource =
        new GenericKubernetesResourceBuilder()
            .withApiVersion(KubeVirtResources.apiVersion(KubeVirtResources.VIRTUAL_MACHINE))
            .withKind("VirtualMachine")
            .withNewMetadata()
            .withName(names.objectName(workload))
            .withNamespace(names.namespace())
            .withLabels(labels)
            .endMetadata()
            .withAdditionalProperties(map("spec", spec))
            .build();
    GenericKubernetesResource modified =
        options
            .flatMap(KubeVirtOptions::virtualMachineModifier)
            .map(m -> m.apply(resource))
            .orElse(resource);
    List<HasMetadata> services = new ArrayList<>();
    if (!vm.ports().isEmpty()) {
      services.add(PortsToService.service(workload, vm.ports(), names, vm.labels()));
    }
    return new VmObjects(secrets, modified, services);
  }

  /**
   * The exposed ports on the masquerade interface: only they are forwarded to the guest (without
   * any, KubeVirt forwards every port), and KubeVirt declares them on the virt-launcher pod.
   */
  private static List<Object> ports(VmSpec vm) {
    if (vm.ports().isEmpty()) {
      return null;
    }
    List<Object> ports = new ArrayList<>();
    vm.ports()
        .forEach(
            p ->
                ports.add(
                    map("name", p.name(), "port", p.number(), "protocol", p.protocol().name())));
    return ports;
  }

  private static Map<String, Object> rootVolume(
      String workload,
      VmSpec vm,
      LabNames names,
      KubeVirtSettings settings,
      Optional<KubeVirtOptions> options,
      Map<String, String> labels,
      List<Object> dataVolumeTemplates) {
    VmImage image = vm.image().orElseThrow();
    if (image.kind() == VmImage.Kind.REGISTRY
        && !options.map(KubeVirtOptions::importRegistryImage).orElse(false)) {
      return map("name", ROOT, "containerDisk", map("image", image.reference()));
    }
    String dv = rootDataVolumeName(workload, names);
    Optional<String> size = options.flatMap(KubeVirtOptions::rootDiskSize);
    Map<String, Object> source;
    Map<String, Object> sourceRef = null;
    switch (image.kind()) {
      case NAMED:
        source = null;
        sourceRef =
            map(
                "kind",
                "DataSource",
                "name",
                image.reference(),
                "namespace",
                settings.goldenImageNamespace());
        break;
      case URL:
        source = map("http", map("url", image.reference()));
        size = size.or(() -> Optional.of(settings.defaultImportSize()));
        break;
      case REGISTRY:
        source = map("registry", map("url", "docker://" + image.reference()));
        size = size.or(() -> Optional.of(settings.defaultImportSize()));
        break;
      case DISK:
        String[] parts = image.reference().split("/", 2);
        source =
            parts.length == 2
                ? map("pvc", map("namespace", parts[0], "name", parts[1]))
                : map("pvc", map("namespace", settings.goldenImageNamespace(), "name", parts[0]));
        break;
      default:
        throw new AssertionError(image.kind());
    }
    Map<String, Object> storage =
        map(
            "resources", size.map(s -> map("requests", map("storage", s))).orElse(null),
            "storageClassName", options.flatMap(KubeVirtOptions::storageClass).orElse(null));
    dataVolumeTemplates.add(
        map(
            "metadata", map("name", dv, "labels", labels),
            "spec", map("source", source, "sourceRef", sourceRef, "storage", storage)));
    return map("name", ROOT, "dataVolume", map("name", dv));
  }
}
